-- POST /v1/sightings, each with a new id (thread id and counter).
local counter = 0
local thread_id = 0
setup = function(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CORDON_TOKEN")
request = function()
  counter = counter + 1
  local body = '{"id": "s-bench-' .. tostring(tid) .. '-' .. counter .. '", "observed_at": "2010-08-24T09:00:00+05:00",'
    .. ' "location": {"lat": 38.9, "lon": 69.6}, "person": "p-mirzoyev-abdurasul", "source": "patrol",'
    .. ' "confidence": "low", "note": "bench"}'
  return wrk.format(nil, "/v1/sightings", nil, body)
end

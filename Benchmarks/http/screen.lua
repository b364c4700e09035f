-- POST /v1/screen with one of several spellings of demo fugitives, in turn.
--
-- With CORDON_PACE_MS set, as clients that pace themselves: each request waits that long before it is
-- sent (so N connections offer at most N × 1000 / pace requests a second, whatever the server's speed),
-- and after a 503 the thread's next request waits as long as the server's Retry-After says, as
-- Cordon's own clients do.
local names = {
  "Мирзоев Абдурасул", "MIRZOEV ABDURASUL", "Abdurasul Mirzoyev 1974", "Davlatov Hikmatullo",
  "Джураев Умед", "JURAEV UMED", "Magomedov Shamil Gadzhievich", "Ismoilov Sadriddin",
  "Nobody Unlisted Person", "Kurbonov Farrukh",
}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CORDON_TOKEN")
request = function()
  i = i + 1
  local body = '{"name": "' .. names[(i % #names) + 1] .. '"}'
  return wrk.format(nil, "/v1/screen", nil, body)
end

local pace = tonumber(os.getenv("CORDON_PACE_MS") or "")
if pace then
  local backoff = 0
  response = function(status, headers, body)
    if status == 503 then
      backoff = (tonumber(headers["Retry-After"]) or 1) * 1000
    end
  end
  delay = function()
    local wait = pace + backoff
    backoff = 0
    return wait
  end
end

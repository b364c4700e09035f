-- POST /v1/screen with one of several spellings of demo fugitives, in turn.
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

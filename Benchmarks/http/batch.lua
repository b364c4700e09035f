-- POST /v1/screen with a batch of ten queries.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CORDON_TOKEN")
wrk.body = '{"queries": [{"name": "Мирзоев Абдурасул"}, {"name": "MIRZOEV ABDURASUL"}, {"name": "Davlatov Hikmatullo"},'
  .. ' {"name": "Джураев Умед"}, {"name": "JURAEV UMED"}, {"name": "Magomedov Shamil"}, {"name": "Ismoilov Sadriddin"},'
  .. ' {"name": "Nobody Unlisted"}, {"name": "Kurbonov Farrukh"}, {"name": "Zabihullah Safi"}]}'

-- GET what the path names (a page of persons, or one person).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CORDON_TOKEN")

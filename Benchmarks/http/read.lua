-- GET a page of persons.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CORDON_TOKEN")

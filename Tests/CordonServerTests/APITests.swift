import CordonCore
import CordonServer
import CordonStore
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Testing

/// A wanted person written for these tests, as JSON.
private var newPerson: [String: Any] {
    [
        "id": "p-test-karimov",
        "name": ["parts": [["kind": "family", "value": "Каримов"], ["kind": "given", "value": "Зафар"]]],
        "aliases": [["kind": "spelling", "value": "Karimov Zafar"]],
        "birth_date": "1979-04",
        "sex": "male",
        "nationalities": ["TJ"],
        "wanted": ["reason": "escaped", "history": [["status": "at_large", "at": "2010-08-23T01:10:00+05:00"]]],
    ]
}

@Suite(.timeLimit(.minutes(5))) struct APITests {
    @Test func screensAFugitiveByACyrillicSpellingWithAnExplanation() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                json: ["name": "Мирзоев Абдурасул", "birth_date": "1974"]
            )
            #expect(response.status == .ok)
            let hits = try #require(response.object["hits"] as? [[String: Any]])
            let first = try #require(hits.first)
            #expect(first["id"] as? String == "p-mirzoyev-abdurasul")
            #expect(first["alert"] as? Bool == true)
            // How likely the hit is the person, beside the score it was judged on.
            let probability = try #require(first["probability"] as? Double)
            #expect(probability > 0.9 && probability <= 1)
            let explanation = try #require(first["explanation"] as? [String: Any])
            #expect((explanation["parts"] as? [Any])?.isEmpty == false)
            #expect(explanation["summary"] as? String != nil)
            #expect(response.object["threshold"] as? Double != nil)
            #expect(response.object["list_version"] as? Int != nil)

            let latin = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                json: ["name": "MIRZOEV ABDURASUL"]
            )
            let latinHits = try #require(latin.object["hits"] as? [[String: Any]])
            #expect(latinHits.first?["id"] as? String == "p-mirzoyev-abdurasul")
        }
    }

    @Test func screensBatches() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.analyst],
                json: ["queries": [["name": "Abdurasul Mirzoyev"], ["name": "Nobody Atall Unlisted"]], "limit": 3]
            )
            #expect(response.status == .ok)
            let results = try #require(response.object["results"] as? [[String: Any]])
            #expect(results.count == 2)
            let first = try #require(results[0]["hits"] as? [[String: Any]])
            #expect(first.first?["id"] as? String == "p-mirzoyev-abdurasul")
            let second = results[1]["hits"] as? [[String: Any]] ?? []
            #expect(second.allSatisfy { $0["alert"] as? Bool == false })
        }
    }

    @Test func badScreeningInputGetsFieldLevelProblems() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.checkpointOfficer]
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                json: ["name": "", "birth_date": "2050", "nationality": "XX", "colour": "red"]
            )
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let pointers = Set(
                (response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            )
            #expect(pointers.isSuperset(of: ["/name", "/birth_date", "/nationality", "/colour"]))

            let notJSON = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                raw: "{name:",
                headers: [.contentType: "application/json"]
            )
            #expect(notJSON.status == .badRequest)
            let huge = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                json: ["name": String(repeating: "a", count: 2 << 20)]
            )
            #expect(huge.status == .contentTooLarge)
            let tooLong = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                json: ["name": String(repeating: "Ab ", count: 4000)]
            )
            #expect(tooLong.status == .unprocessableContent)
            let control = try await server.api.call(.post, "/v1/screen", token: token, json: ["name": "Mirzo\u{0}yev"])
            #expect(control.status == .unprocessableContent)
        }
    }

    @Test func createsReadsReplacesAndDeletesWithRevisions() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.commander]
            let created = try await server.api.call(.post, "/v1/persons", token: token, json: newPerson)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.location] == "/v1/persons/p-test-karimov")
            let etag = try #require(created.headers[.eTag])

            let again = try await server.api.call(.post, "/v1/persons", token: token, json: newPerson)
            #expect(again.status == .conflict)

            let read = try await server.api.call(.get, "/v1/persons/p-test-karimov", token: token)
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == etag)
            let cached = try await server.api.call(
                .get,
                "/v1/persons/p-test-karimov",
                token: token,
                headers: [.ifNoneMatch: etag]
            )
            #expect(cached.status == .notModified)

            // The new person is screened at once.
            let screen = try await server.api.call(.post, "/v1/screen", token: token, json: ["name": "Karimov Zafar"])
            #expect((screen.object["hits"] as? [[String: Any]])?.first?["id"] as? String == "p-test-karimov")

            var changed = newPerson
            changed["birth_date"] = "1979-04-02"
            let replaced = try await server.api.call(
                .put,
                "/v1/persons/p-test-karimov",
                token: token,
                json: changed,
                headers: [.ifMatch: etag]
            )
            #expect(replaced.status == .ok, "\(replaced.text)")
            #expect(replaced.headers[.eTag] != etag)
            let stale = try await server.api.call(
                .put,
                "/v1/persons/p-test-karimov",
                token: token,
                json: changed,
                headers: [.ifMatch: etag]
            )
            #expect(stale.status == .preconditionFailed)

            var other = newPerson
            other["id"] = "p-someone-else"
            let mismatch = try await server.api.call(.put, "/v1/persons/p-test-karimov", token: token, json: other)
            #expect(mismatch.status == .unprocessableContent)

            let deleted = try await server.api.call(.delete, "/v1/persons/p-test-karimov", token: token)
            #expect(deleted.status == .noContent)
            #expect(try await server.api.call(.get, "/v1/persons/p-test-karimov", token: token).status == .notFound)
            let gone = try await server.api.call(.post, "/v1/screen", token: token, json: ["name": "Karimov Zafar"])
            #expect(
                (gone.object["hits"] as? [[String: Any]] ?? []).allSatisfy { $0["id"] as? String != "p-test-karimov" }
            )
        }
    }

    @Test func rejectsInvalidEntitiesWithEveryBadField() async throws {
        try await withDemoServer { server in
            var bad = newPerson
            bad["birth_date"] = "2031-02-30"
            bad["nationalities"] = ["TJ", "QQ"]
            bad["nickname"] = "unknown field"
            let response = try await server.api.call(.post, "/v1/persons", token: server.tokens[.commander], json: bad)
            #expect(response.status == .unprocessableContent)
            let pointers = Set(
                (response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            )
            #expect(pointers == ["/birth_date", "/nationalities/1", "/nickname"])
            #expect(
                try await server.api.call(.get, "/v1/persons/p-test-karimov", token: server.tokens[.commander]).status
                    == .notFound
            )
        }
    }

    @Test func paginatesFiltersAndTagsCollections() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.analyst]
            var seen: [String] = []
            var uri = "/v1/persons?status=at_large&limit=7"
            var etag: String?
            while true {
                let page = try await server.api.call(.get, uri, token: token)
                #expect(page.status == .ok)
                etag = etag ?? page.headers[.eTag]
                seen += (page.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                guard let next = page.object["next_cursor"] as? String else { break }
                uri = "/v1/persons?status=at_large&limit=7&cursor=\(next)"
            }
            #expect(seen.count == 24)
            #expect(seen == seen.sorted())
            let afghans = try await server.api.call(.get, "/v1/persons?nationality=AF&wanted=true", token: token)
            #expect((afghans.object["items"] as? [Any])?.count == 4)
            let cached = try await server.api.call(
                .get,
                "/v1/persons?status=at_large&limit=7",
                token: token,
                headers: [.ifNoneMatch: try #require(etag)]
            )
            #expect(cached.status == .notModified)
            let unknown = try await server.api.call(.get, "/v1/persons?colour=red", token: token)
            #expect(unknown.status == .badRequest)
            let badLimit = try await server.api.call(.get, "/v1/persons?limit=0", token: token)
            #expect(badLimit.status == .badRequest)
            let checkpoints = try await server.api.call(
                .get,
                "/v1/checkpoints?kind=airport",
                token: server.tokens[.checkpointOfficer]
            )
            #expect((checkpoints.object["items"] as? [Any])?.count == 5)
        }
    }

    @Test func changesStatusOnlyAsTheRulesAllow() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.commander]
            let dead = try await server.api.call(
                .post,
                "/v1/persons/p-mirzoyev-abdurasul/status",
                token: token,
                json: ["status": "dead", "note": "confirmed"]
            )
            #expect(dead.status == .ok, "\(dead.text)")
            let back = try await server.api.call(
                .post,
                "/v1/persons/p-mirzoyev-abdurasul/status",
                token: token,
                json: ["status": "at_large"]
            )
            #expect(back.status == .unprocessableContent)
            // A dead man raises no alert any more.
            let screen = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                json: ["name": "Abdurasul Mirzoyev"]
            )
            #expect(
                (screen.object["hits"] as? [[String: Any]] ?? []).allSatisfy {
                    $0["id"] as? String != "p-mirzoyev-abdurasul"
                }
            )
        }
    }

    @Test func signInIsLimitedTokensExpireAndCanBeRevoked() async throws {
        try await withDemoServer(loginLimits: .init(failuresPerPair: 3, attemptsPerAddress: 1000)) { server in
            for _ in 0..<3 {
                let wrong = try await server.api.call(
                    .post,
                    "/v1/auth/token",
                    json: ["username": "demo-analyst", "password": "wrong password!"]
                )
                #expect(wrong.status == .unauthorized)
            }
            let limited = try await server.api.call(
                .post,
                "/v1/auth/token",
                json: ["username": "demo-analyst", "password": server.passwords[.analyst]!]
            )
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            server.clock.advance(by: 301)
            let token = try await server.api.token("demo-analyst", server.passwords[.analyst]!)
            #expect(try await server.api.call(.get, "/v1/auth/me", token: token).status == .ok)
            #expect(try await server.api.call(.post, "/v1/auth/revoke", token: token).status == .noContent)
            #expect(try await server.api.call(.get, "/v1/auth/me", token: token).status == .unauthorized)

            let commander = server.tokens[.commander]!
            server.clock.advance(by: 3601)
            #expect(try await server.api.call(.get, "/v1/auth/me", token: commander).status == .unauthorized)
        }
    }

    @Test func signInIsLimitedPerAddress() async throws {
        // The six demo accounts signed in already: two more attempts from this address are allowed.
        try await withDemoServer(loginLimits: .init(failuresPerPair: 100, attemptsPerAddress: 8)) { server in
            for name in ["someone", "someone-else"] {
                let wrong = try await server.api.call(
                    .post,
                    "/v1/auth/token",
                    json: ["username": name, "password": "x"]
                )
                #expect(wrong.status == .unauthorized)
            }
            let limited = try await server.api.call(
                .post,
                "/v1/auth/token",
                json: ["username": "demo-admin", "password": server.passwords[.admin]!]
            )
            #expect(limited.status == .tooManyRequests)
        }
    }

    @Test func adminsManageAccounts() async throws {
        try await withDemoServer { server in
            let admin = server.tokens[.admin]
            let weak = try await server.api.call(
                .post,
                "/v1/accounts",
                token: admin,
                json: ["username": "Bad Name", "role": "pilot", "password": "short"]
            )
            #expect(weak.status == .unprocessableContent)
            let pointers = Set(
                (weak.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            )
            #expect(pointers == ["/username", "/role", "/password"])
            let created = try await server.api.call(
                .post,
                "/v1/accounts",
                token: admin,
                json: ["username": "officer-4471", "role": "checkpoint_officer", "password": "a long pass phrase 4471"]
            )
            #expect(created.status == .created)
            let token = try await server.api.token("officer-4471", "a long pass phrase 4471")
            #expect(
                try await server.api.call(.post, "/v1/accounts/officer-4471/revoke-tokens", token: admin).status
                    == .noContent
            )
            #expect(try await server.api.call(.get, "/v1/auth/me", token: token).status == .unauthorized)
            let list = try await server.api.call(.get, "/v1/accounts", token: admin)
            #expect((list.json as? [[String: Any]])?.contains { $0["username"] as? String == "officer-4471" } == true)
        }
    }

    @Test func importsListsReportingBadLinesAndExportsThem() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.commander]
            let lines = [
                #"{"id": "NK-test-1", "schema": "Person", "properties": {"name": ["Rustam Nazarov"], "birthDate": ["1971-02-03"], "nationality": ["tj"]}}"#,
                "not json",
                #"{"id": "NK-test-2", "schema": "Vessel", "properties": {"name": ["Boat"]}}"#,
                #"{"id": "NK-test-3", "schema": "Organization", "properties": {"name": ["Jamaat Test"], "alias": ["JT"]}}"#,
                #"{"id": "NK-test-4", "schema": "Person", "properties": {"name": ["Odil Test"], "nationality": ["zz"]}}"#,
            ].joined(separator: "\n")
            let response = try await server.api.call(
                .post,
                "/v1/lists/import?format=ftm",
                token: token,
                raw: lines,
                headers: [.contentType: "application/x-ndjson"]
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["imported"] as? Int == 3)
            let rejected = (response.object["rejected"] as? [[String: Any]] ?? []).compactMap { $0["line"] as? Int }
            #expect(rejected == [2, 3])
            let screen = try await server.api.call(.post, "/v1/screen", token: token, json: ["name": "Назаров Рустам"])
            #expect((screen.object["hits"] as? [[String: Any]])?.first?["id"] as? String == "nk-test-1")

            let csv =
                "id,type,name,aliases,birth_date,nationalities,gender\nc-1,person,\"Saidov, Bahrom\",Bahrom Saidov,1980,TJ,male\nc-2,alien,X,,,,\n"
            let imported = try await server.api.call(.post, "/v1/lists/import?format=csv", token: token, raw: csv)
            #expect(imported.object["imported"] as? Int == 1)
            #expect((imported.object["rejected"] as? [[String: Any]])?.first?["line"] as? Int == 3)

            let export = try await server.api.call(.get, "/v1/lists/export?format=ftm", token: token)
            #expect(export.status == .ok)
            #expect(export.text.split(separator: "\n").count >= 27)
            #expect(export.text.contains("nk-test-1"))
        }
    }

    @Test func auditorsReadAChainedLogOfWritesAndScreenings() async throws {
        try await withDemoServer { server in
            _ = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                json: ["name": "Ziyoyev"]
            )
            _ = try await server.api.call(.post, "/v1/persons", token: server.tokens[.commander], json: newPerson)
            var records: [[String: Any]] = []
            var after = 0
            while true {
                let page = try await server.api.call(
                    .get,
                    "/v1/audit?after=\(after)&limit=50",
                    token: server.tokens[.auditor]
                )
                #expect(page.status == .ok)
                records += page.object["records"] as? [[String: Any]] ?? []
                guard let next = page.object["next_after"] as? Int else { break }
                after = next
            }
            let actions = records.compactMap { $0["action"] as? String }
            #expect(actions.contains("screen"))
            #expect(actions.contains("persons.create"))
            #expect(actions.contains("demo.load"))
            let screen = try #require(records.last { $0["action"] as? String == "screen" })
            #expect(screen["actor"] as? String == "demo-checkpoint-officer")
            #expect(screen["address"] as? String == "127.0.0.1")
            var verifier = AuditChain.Verifier()
            for record in try await server.store.auditRecords(after: 0, limit: 10_000) {
                #expect(verifier.check(record) == nil)
            }
        }
    }

    @Test func servesHealthMetricsAndTheOpenAPIDocument() async throws {
        try await withDemoServer { server in
            let health = try await server.api.call(.get, "/health")
            #expect(health.object["status"] as? String == "ok")
            #expect(health.object["screening_entries"] as? Int == 27)
            let metrics = try await server.api.call(.get, "/metrics")
            #expect(metrics.text.contains("cordon_http_requests_total"))
            let document = try await server.api.call(.get, "/openapi.json")
            #expect(document.object["openapi"] as? String == "3.1.0")
            let missing = try await server.api.call(.get, "/v1/nowhere", token: server.tokens[.admin])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
        }
    }
}

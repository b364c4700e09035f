import CordonCore
import CordonServer
import Foundation
import HTTPTypes
import Testing

/// The night's own failures as rules over the API: the two-person rule for cells, the armory and key
/// ledger, every post of a block unmanned, and a silent post's officer's credential used elsewhere.
@Suite(.timeLimit(.minutes(5))) struct NightRulesAPITests {
    static func addGuard(_ server: DemoServer, _ id: String, post: String?, onDuty: Bool = true) async throws {
        var body: [String: Any] = [
            "id": id,
            "name": [
                "parts": [["kind": "family", "value": "Rahimov"], ["kind": "given", "value": String(id.suffix(4))]]
            ],
            "service_number": "GK-\(id.count)\(id.suffix(3))",
            "role": "guard",
            "facility": "fac-gknb-ward",
            "on_duty": onDuty,
            "status": "active",
        ]
        if let post { body["post"] = post }
        let response = try await server.api.call(.post, "/v1/staff", token: server.tokens[.admin], json: body)
        #expect(response.status == .created, "\(response.text)")
    }

    /// Moves the test clock (15:00 in Dushanbe) to 22:30, the hour the cell was opened in 2010.
    static func goToNight(_ server: DemoServer) { server.clock.advance(by: 7.5 * 3600) }

    @Test func atNightACellOpensOnlyWithASecondOfficer() async throws {
        try await withDemoServer(tokenLifetime: 86400) { server in
            try await Self.addGuard(server, "st-test-guard-one", post: "post-ward-corridor-a")
            try await Self.addGuard(server, "st-test-guard-two", post: "post-ward-corridor-b")
            let custody = server.tokens[.custodyOfficer]
            let path = "/v1/facilities/fac-gknb-ward/cells/cell-a1/open"
            // By day one officer may open a cell.
            let day = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["requested_by": "st-test-guard-one"]
            )
            #expect(day.status == .ok, "\(day.text)")
            #expect(day.object["allowed"] as? Bool == true)
            Self.goToNight(server)
            let alone = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["requested_by": "st-test-guard-one"]
            )
            #expect(alone.status == .conflict)
            #expect((alone.object["detail"] as? String)?.contains("second officer") == true)
            let incidents = try await server.api.call(.get, "/v1/incidents?kind=other", token: custody)
            let summaries = (incidents.object["items"] as? [[String: Any]] ?? []).compactMap {
                $0["summary"] as? String
            }
            #expect(summaries.contains { $0.hasPrefix("Refused at night") })
            let himself = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["requested_by": "st-test-guard-one", "confirmed_by": "st-test-guard-one"]
            )
            #expect(himself.status == .conflict)
            let two = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["requested_by": "st-test-guard-one", "confirmed_by": "st-test-guard-two"]
            )
            #expect(two.status == .ok, "\(two.text)")
            let noCell = try await server.api.call(
                .post,
                "/v1/facilities/fac-gknb-ward/cells/cell-z9/open",
                token: custody,
                json: ["requested_by": "st-test-guard-one"]
            )
            #expect(noCell.status == .notFound)
            let missing = try await server.api.call(.post, path, token: custody, json: [:])
            #expect(missing.status == .unprocessableContent)
        }
    }

    @Test func theArmoryLedgerCountsEveryItem() async throws {
        try await withDemoServer { server in
            try await Self.addGuard(server, "st-test-armourer", post: "post-ward-control")
            try await Self.addGuard(server, "st-test-off-duty", post: nil, onDuty: false)
            let custody = server.tokens[.custodyOfficer]
            let path = "/v1/facilities/fac-gknb-ward/armory"
            let issue = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "issue", "serial": "1984 517732", "staff": "st-test-armourer"]
            )
            #expect(issue.status == .created, "\(issue.text)")
            #expect(issue.object["incident"] == nil)
            #expect((issue.object["issued"] as? [String: String])?["1984 517732"] == "st-test-armourer")
            let twice = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "issue", "serial": "1984 517732", "staff": "st-test-armourer"]
            )
            #expect(twice.status == .conflict)
            // An issue to somebody off duty is recorded and raises an incident.
            let offDuty = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "issue", "serial": "arm-ward-key-cells-a", "staff": "st-test-off-duty"]
            )
            #expect(offDuty.status == .created)
            #expect(offDuty.object["incident"] is String)
            // A count that misses an item not issued raises an incident naming it.
            let everything = [
                "1984 517745", "1986 402219", "1986 402264", "1989 180457", "1989 180512", "1975 ЕК 3381",
                "ТА 4417", "ТА 4452", "ЛК 1093", "arm-ward-ammo-545", "arm-ward-ammo-762", "arm-ward-ammo-918",
                "arm-ward-mag-ak", "arm-ward-camo", "arm-ward-boots", "arm-ward-key-cells-b",
                "arm-ward-key-cells-c", "arm-ward-key-main", "arm-ward-key-armory", "422TGN1187", "422TGN1203",
                "422TGN1219", "arm-ward-handcuffs",
            ]
            let complete = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "count", "found": everything]
            )
            #expect(complete.status == .created, "\(complete.text)")
            #expect(complete.object["incident"] == nil, "issued items are accounted for")
            let short = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "count", "found": everything.filter { $0 != "arm-ward-key-main" }]
            )
            let incidentID = try #require(short.object["incident"] as? String)
            let incident = try await server.api.call(.get, "/v1/incidents/\(incidentID)", token: custody)
            #expect((incident.object["summary"] as? String)?.contains("arm-ward-key-main") == true)
            #expect(incident.object["kind"] as? String == "armory_discrepancy")
            // Returned by the wrong person: refused; by the holder: recorded.
            let wrong = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "return", "serial": "1984 517732", "staff": "st-test-off-duty"]
            )
            #expect(wrong.status == .conflict)
            let back = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "return", "serial": "1984 517732", "staff": "st-test-armourer"]
            )
            #expect(back.status == .created)
            let bad = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "count", "serial": "x", "found": ["no such item"]]
            )
            #expect(bad.status == .unprocessableContent)
            let unknown = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["event": "count", "found": ["no such item"]]
            )
            #expect(unknown.status == .conflict)
        }
    }

    @Test func aSilentPostsOfficerUsingTheirPassElsewhereRaisesAnIncident() async throws {
        try await withDemoServer { server in
            try await Self.addGuard(server, "st-test-corridor-a", post: "post-ward-corridor-a")
            let operations = SocketClient(
                port: server.api.port,
                path: "/v1/operations/stream",
                token: server.tokens[.commander]!
            )
            try await server.waitForSubscribers()
            for (index, post) in ["post-ward-corridor-a", "post-ward-corridor-b"].enumerated() {
                let set = try await server.api.call(
                    .put,
                    "/v1/posts/\(post)/codes",
                    token: server.tokens[.commander],
                    json: ["code": "447\(index)", "duress_code": "744\(index)"]
                )
                #expect(set.status == .ok)
            }
            // Both posts of the corridor stay silent past their grace.
            server.clock.advance(by: 36 * 60)
            let first = try await operations.next(type: "incident_raised")
            #expect(first["kind"]?.stringValue == "missed_check_in")
            // Corridor A is the only post of Block A: with it silent, the whole block is unmanned.
            var summaries: [String] = []
            while !summaries.contains(where: { $0.hasPrefix("Every post of Block A") }) {
                summaries.append(try await operations.next(type: "incident_raised")["summary"]?.stringValue ?? "")
            }
            // The officer of the silent corridor A post opens the main gate.
            let use = try await server.api.call(
                .post,
                "/v1/facilities/fac-gknb-ward/credential-uses",
                token: server.tokens[.custodyOfficer],
                json: ["staff": "st-test-corridor-a", "place": "main gate reader"]
            )
            #expect(use.status == .created, "\(use.text)")
            let incidentID = try #require(use.object["incident"] as? String)
            let incident = try await server.api.call(
                .get,
                "/v1/incidents/\(incidentID)",
                token: server.tokens[.commander]
            )
            #expect((incident.object["summary"] as? String)?.contains("main gate reader") == true, "\(incident.text)")
            let unknown = try await server.api.call(
                .post,
                "/v1/facilities/fac-gknb-ward/credential-uses",
                token: server.tokens[.custodyOfficer],
                json: ["staff": "st-nobody", "post": "post-ward-gate"]
            )
            #expect(unknown.status == .unprocessableContent)
            let both = try await server.api.call(
                .post,
                "/v1/facilities/fac-gknb-ward/credential-uses",
                token: server.tokens[.custodyOfficer],
                json: ["staff": "st-test-corridor-a", "post": "post-ward-gate", "place": "gate"]
            )
            #expect(both.status == .unprocessableContent)
            await operations.close()
        }
    }
}

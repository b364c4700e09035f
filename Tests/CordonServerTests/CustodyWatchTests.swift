import CordonCore
import CordonCustody
import CordonServer
import Foundation
import HTTPTypes
import Testing

/// Posts check in with their own codes; a missed check-in raises an incident the moment the grace
/// period runs out; roll calls are checked against custody.
@Suite(.timeLimit(.minutes(5))) struct CustodyWatchTests {
    static let post = "post-ward-corridor-a"  // every 30 minutes, 5 minutes' grace

    @Test func aMissedCheckInRaisesAnIncidentForTheInstantTheGraceRunsOutThenEscalates() async throws {
        // The server's clock moves only when the test moves it.
        try await withDemoServer(tokenLifetime: 30 * 86400) { server in
            let operations = SocketClient(
                port: server.api.port,
                path: "/v1/operations/stream",
                token: server.tokens[.commander]!
            )
            try await server.waitForSubscribers()
            let set = try await server.api.call(
                .put,
                "/v1/posts/\(Self.post)/codes",
                token: server.tokens[.commander],
                json: ["code": "4471", "duress_code": "4417"]
            )
            #expect(set.status == .ok, "\(set.text)")
            let onWatch = try #require(Instant.parse(set.object["on_watch_from"] as? String ?? ""))
            let nextDue = try #require(Instant.parse(set.object["next_due"] as? String ?? ""))
            #expect(nextDue.timeIntervalSince(onWatch) == 35 * 60)
            // A second before the grace runs out nothing is raised; at the instant it runs out, it is.
            server.clock.set(nextDue.addingTimeInterval(-1))
            #expect(await server.parts.custody.dueTimes()[try GuardPostID(Self.post)] == nextDue)
            server.clock.set(nextDue)
            let raised = try await operations.next(type: "incident_raised", timeout: .seconds(10))
            #expect(raised["post"]?.stringValue == Self.post)
            #expect(raised["kind"]?.stringValue == "missed_check_in")
            let incidentID = try #require(raised["incident"]?.stringValue)
            let incident = try await server.api.call(
                .get,
                "/v1/incidents/\(incidentID)",
                token: server.tokens[.commander]
            )
            let raisedAt = try #require(Instant.parse(incident.object["raised_at"] as? String ?? ""))
            // Raised for the instant the grace ran out, whenever the timer noticed.
            #expect(abs(raisedAt.timeIntervalSince(nextDue)) < 0.001, "\(raisedAt) vs \(nextDue)")

            // The next check-in (30 minutes on) is missed too: the incident escalates.
            server.clock.advance(by: 30 * 60)
            let escalated = try await operations.next(type: "incident_escalated", timeout: .seconds(10))
            #expect(escalated["incident"]?.stringValue == incidentID)
            #expect(escalated["reason"]?.stringValue == "second_miss")
            await operations.close()
        }
    }

    @Test func postsCheckInWithTheirCodesAndADuressCodeLooksNormal() async throws {
        try await withDemoServer { server in
            let custody = server.tokens[.custodyOfficer]
            let unset = try await server.api.call(
                .post,
                "/v1/posts/\(Self.post)/check-ins",
                token: custody,
                json: ["code": "4471"]
            )
            #expect(unset.status == .conflict, "a post without codes is not on watch")
            let same = try await server.api.call(
                .put,
                "/v1/posts/\(Self.post)/codes",
                token: server.tokens[.admin],
                json: ["code": "4471", "duress_code": "4471"]
            )
            #expect(same.status == .unprocessableContent)
            _ = try await server.api.call(
                .put,
                "/v1/posts/\(Self.post)/codes",
                token: server.tokens[.admin],
                json: ["code": "4471", "duress_code": "4417"]
            )
            let operations = SocketClient(
                port: server.api.port,
                path: "/v1/operations/stream",
                token: server.tokens[.commander]!
            )
            try await server.waitForSubscribers()
            server.clock.advance(by: 600)
            let normal = try await server.api.call(
                .post,
                "/v1/posts/\(Self.post)/check-ins",
                token: custody,
                json: ["code": "4471"]
            )
            #expect(normal.status == .created, "\(normal.text)")
            #expect(Set(normal.object.keys) == ["post", "at", "next_due"])
            server.clock.advance(by: 600)
            let duress = try await server.api.call(
                .post,
                "/v1/posts/\(Self.post)/check-ins",
                token: custody,
                json: ["code": "4417"]
            )
            // The same answer as a normal check-in: an onlooker learns nothing.
            #expect(duress.status == .created)
            #expect(Set(duress.object.keys) == Set(normal.object.keys))
            let alarm = try await operations.next(type: "incident_raised")
            #expect(alarm["kind"]?.stringValue == "duress")
            #expect(alarm["escalated"]?.stringValue == "duress")

            let wrong = try await server.api.call(
                .post,
                "/v1/posts/\(Self.post)/check-ins",
                token: custody,
                json: ["code": "0000"]
            )
            #expect(wrong.status == .unprocessableContent)
            let unknown = try await server.api.call(
                .post,
                "/v1/posts/post-nowhere/check-ins",
                token: custody,
                json: ["code": "4471"]
            )
            #expect(unknown.status == .notFound)
            let malformed = try await server.api.call(
                .post,
                "/v1/posts/\(Self.post)/check-ins",
                token: custody,
                json: ["code": "44 71; drop", "extra": 1]
            )
            #expect(malformed.status == .unprocessableContent)
            let denied = try await server.api.call(
                .post,
                "/v1/posts/\(Self.post)/check-ins",
                token: server.tokens[.checkpointOfficer],
                json: ["code": "4471"]
            )
            #expect(denied.status == .forbidden)
            let audit = try await server.api.call(.get, "/v1/audit?limit=1000", token: server.tokens[.auditor])
            let actions = (audit.object["records"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "posts.check_in" }.count == 2)
            #expect(actions.contains("posts.check_in_refused"))
            await operations.close()
        }
    }

    @Test func rollCallsAreCheckedAgainstCustody() async throws {
        try await withDemoServer { server in
            let custody = server.tokens[.custodyOfficer]
            let path = "/v1/facilities/fac-gknb-ward/roll-calls"
            let short = try await server.api.call(.post, path, token: custody, json: ["block": "blk-a", "counted": 0])
            #expect(short.status == .created, "\(short.text)")
            #expect(short.object["consistent"] as? Bool == false)
            let expected = try #require(short.object["expected"] as? Int)
            #expect(expected > 0)
            let incidentID = try #require(short.object["incident"] as? String)
            let incident = try await server.api.call(.get, "/v1/incidents/\(incidentID)", token: custody)
            #expect(incident.object["kind"] as? String == "roll_call_discrepancy")
            let right = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["block": "blk-a", "counted": expected]
            )
            #expect(right.object["consistent"] as? Bool == true)
            #expect(right.object["incident"] == nil)
            let negative = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["block": "blk-a", "counted": -1]
            )
            #expect(negative.status == .unprocessableContent)
            #expect(((negative.object["errors"] as? [[String: Any]])?.first?["pointer"] as? String) == "/counted")
            let tooMany = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["block": "blk-a", "counted": 9999]
            )
            #expect(tooMany.status == .unprocessableContent)
            let noBlock = try await server.api.call(
                .post,
                path,
                token: custody,
                json: ["block": "blk-z", "counted": 1]
            )
            #expect(noBlock.status == .unprocessableContent)
            let noFacility = try await server.api.call(
                .post,
                "/v1/facilities/fac-nowhere/roll-calls",
                token: custody,
                json: ["block": "blk-a", "counted": 1]
            )
            #expect(noFacility.status == .notFound)
            // Nothing was raised for the bad counts.
            let incidents = try await server.api.call(
                .get,
                "/v1/incidents?kind=roll_call_discrepancy",
                token: custody
            )
            #expect((incidents.object["items"] as? [Any])?.count == 1)
        }
    }
}

import CordonCore
import CordonDocuments
import CordonEvents
import CordonStore
import Foundation
import HTTPTypes
import Testing

/// What a checkpoint station sends headquarters: an acknowledgement that names the officer by their
/// verified pass, and the outcome of a hit, kept on the sighting with who decided it.
@Suite(.timeLimit(.minutes(5))) struct StationExchangeTests {
    static func issue(_ server: DemoServer, staff: String) async throws -> (id: String, token: String) {
        let issued = try await server.api.call(
            .post,
            "/v1/credentials",
            token: server.tokens[.commander],
            json: ["staff": staff]
        )
        #expect(issued.status == .created, "\(issued.text)")
        let credential = try #require(issued.object["credential"] as? [String: Any])
        return (try #require(credential["id"] as? String), try #require(issued.object["token"] as? String))
    }

    @Test func anAcknowledgementWithAPassNamesTheOfficerAndABadPassAcknowledgesNothing() async throws {
        try await withDemoServer { server in
            let good = try await Self.issue(server, staff: "st-cp-mirov-sino")
            let lost = try await Self.issue(server, staff: "st-cp-ergashev-dilshod")
            let revoked = try await server.api.call(
                .post,
                "/v1/credentials/\(lost.id)/revoke",
                token: server.tokens[.commander],
                json: ["reason": "lost on the road"]
            )
            #expect(revoked.status == .ok)
            let socket = AlertDeliveryTests.socket(server, "cp-air-dushanbe")
            socket.send(.hello(lastSequence: 0))
            _ = try await socket.next(type: "welcome")
            let composed = try await AlertDeliveryTests.compose(server, checkpoints: ["cp-air-dushanbe"])
            let alertID = try #require((composed.object["alert"] as? [String: Any])?["id"] as? String)
            _ = try await socket.next(type: "alert")
            socket.send(.received(sequence: 1))

            socket.send(.ack(alert: alertID, note: nil, pass: lost.token))
            let refused = try await socket.next(type: "error")
            #expect(refused["field"]?.stringValue == "pass")
            #expect(refused["message"]?.stringValue?.contains("revoked") == true, "\(refused)")
            socket.send(.ack(alert: alertID, note: nil, pass: "CDC1.not-a-pass"))
            #expect(try await socket.next(type: "error")["field"]?.stringValue == "pass")
            var deliveries = try await server.api.call(
                .get,
                "/v1/alerts/\(alertID)/deliveries",
                token: server.tokens[.commander]
            )
            var item = try #require((deliveries.object["items"] as? [[String: Any]])?.first)
            #expect(item["state"] as? String == "delivered", "a refused pass acknowledges nothing")

            socket.send(.ack(alert: alertID, note: "read at the desk", pass: good.token))
            _ = try await socket.next(type: "acknowledged")
            deliveries = try await server.api.call(
                .get,
                "/v1/alerts/\(alertID)/deliveries",
                token: server.tokens[.commander]
            )
            item = try #require((deliveries.object["items"] as? [[String: Any]])?.first)
            #expect(item["state"] as? String == "acknowledged")
            #expect(item["acknowledged_by"] as? String == "demo-checkpoint-officer")
            let officer = try #require(item["acknowledged_officer"] as? String)
            #expect(officer.hasPrefix("Миров Сино") && officer.hasSuffix("service number VKD-40562"), "\(officer)")
            // The CAP Ack that goes back says who read it.
            let ackID = try #require(item["ack_identifier"] as? String)
            let ack = try #require(try await server.store.entity(AlertMessage.self, id: ackID)?.entity)
            let message = try CAPMessage(xml: ack.xml)
            #expect(message.messageType == .ack)
            #expect(message.note?.contains("read and understood by \(officer)") == true, "\(message.note ?? "")")
        }
    }

    @Test func aHitsOutcomeIsKeptOnTheSightingWithWhoDecided() async throws {
        try await withDemoServer { server in
            let officer = server.tokens[.checkpointOfficer]!
            let uri = "/v1/checkpoints/cp-air-dushanbe/reports"
            var report: [String: Any] = [
                "id": "5d1c2b3a-0000-4000-8000-000000000001", "kind": "hit",
                "observed_at": "2010-08-23T05:40:00+05:00", "person": "p-mirzoyev-abdurasul", "score": 0.93,
                "query": "Мирзоев Абдурасул", "outcome": "not_him", "officer": "Миров Сино, service number VKD-40562",
                "document": "P TJK 4012345",
            ]
            var response = try await server.api.call(.post, uri, token: officer, json: ["reports": [report]])
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("/reports/0/note"), "not him says why: \(response.text)")
            report["note"] = "born 1991, a namesake"
            var sighting = report
            sighting["kind"] = "sighting"
            sighting["id"] = "5d1c2b3a-0000-4000-8000-000000000002"
            response = try await server.api.call(.post, uri, token: officer, json: ["reports": [sighting]])
            #expect(response.text.contains("/reports/0/outcome"), "only a hit has an outcome: \(response.text)")
            response = try await server.api.call(.post, uri, token: officer, json: ["reports": [report]])
            #expect(response.status == .ok, "\(response.text)")
            let kept = try await server.api.call(
                .get,
                "/v1/sightings/s-5d1c2b3a-0000-4000-8000-000000000001",
                token: server.tokens[.analyst]
            )
            #expect(kept.object["outcome"] as? String == "not_him")
            #expect(kept.object["decided_by"] as? String == "Миров Сино, service number VKD-40562")
            #expect(kept.object["confidence"] as? String == "low")
            let note = try #require(kept.object["note"] as? String)
            #expect(note.contains("document P TJK 4012345") && note.contains("not him") && note.contains("namesake"))
        }
    }
}

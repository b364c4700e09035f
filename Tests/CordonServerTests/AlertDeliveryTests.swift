import CordonCore
import CordonDocuments
import CordonEvents
import CordonServer
import CordonStore
import Foundation
import HTTPTypes
import NIOWebSocket
import Testing

/// Alerts composed from incidents reach real WebSocket clients, in order and once; acknowledgements,
/// re-sends and escalations are tracked; updates and cancellations refer to the original.
@Suite(.timeLimit(.minutes(5))) struct AlertDeliveryTests {
    static let incident = "inc-escape-2010-08-22"
    static let checkpoints = ["cp-road-dushanbe-east", "cp-air-dushanbe", "cp-rail-dushanbe-1"]

    static func compose(
        _ server: DemoServer,
        checkpoints: [String] = checkpoints,
        headline: String? = nil
    ) async throws -> APIResponse {
        var body: [String: Any] = ["kind": "be_on_lookout", "targets": ["checkpoints": checkpoints]]
        if let headline { body["headline"] = headline }
        return try await server.api.call(
            .post,
            "/v1/incidents/\(incident)/alerts",
            token: server.tokens[.commander],
            json: body
        )
    }

    /// The delivery changes the audit log records (group commits list several in one record).
    static func changes(in audit: APIResponse, action: String) -> [[String: Any]] {
        (audit.object["records"] as? [[String: Any]] ?? []).flatMap { record -> [[String: Any]] in
            let changes = (record["details"] as? [String: Any])?["changes"] as? [[String: Any]] ?? []
            return changes.filter { $0["action"] as? String == action }
        }
    }

    static func socket(_ server: DemoServer, _ checkpoint: String, role: Role = .checkpointOfficer) -> SocketClient {
        SocketClient(port: server.api.port, path: "/v1/checkpoints/\(checkpoint)/stream", token: server.tokens[role]!)
    }

    @Test func anAlertReachesConnectedCheckpointsNearestFirstAndAcknowledgementsAreTracked() async throws {
        try await withDemoServer { server in
            var sockets: [String: SocketClient] = [:]
            for checkpoint in Self.checkpoints {
                let socket = Self.socket(server, checkpoint)
                socket.send(.hello(lastSequence: 0))
                let welcome = try await socket.next(type: "welcome")
                #expect(welcome["recipient"]?.stringValue == "checkpoints/\(checkpoint)")
                sockets[checkpoint] = socket
            }
            let composed = try await Self.compose(server)
            #expect(composed.status == .created, "\(composed.text)")
            let alertID = try #require((composed.object["alert"] as? [String: Any])?["id"] as? String)
            // Nearest the ward first: the city's east road post, then the airport, then the station.
            let recipients = try #require(composed.object["recipients"] as? [String])
            #expect(Set(recipients) == Set(Self.checkpoints.map { "checkpoints/\($0)" }))
            let ordered = try #require((composed.object["alert"] as? [String: Any])?["checkpoints"] as? [String])
            #expect(ordered.count == 3)

            for (checkpoint, socket) in sockets {
                let frame = try await socket.next(type: "alert")
                #expect(frame["sequence"]?.intValue == 1, "\(checkpoint)")
                #expect(frame["alert"]?["id"]?.stringValue == alertID)
                #expect(frame["alert"]?["persons"]?.arrayValue.count == 25)
                let xml = try #require(frame["cap"]?["xml"]?.stringValue)
                let message = try CAPMessage(xml: xml)
                CAPRecording.record(xml, name: "delivered-\(checkpoint)")
                #expect(message.identifier == "cordon-\(alertID)")
                #expect(message.messageType == .alert)
                #expect(message.infos.first?.categories.contains(.security) == true)
                socket.send(.received(sequence: 1))
                socket.send(.ack(alert: alertID, note: "posted at the barrier"))
                let acknowledged = try await socket.next(type: "acknowledged")
                #expect(acknowledged["alert"]?.stringValue == alertID)
                #expect(acknowledged["ack_identifier"]?.stringValue?.hasPrefix("cordon-ack-") == true)
            }

            let deliveries = try await server.api.call(
                .get,
                "/v1/alerts/\(alertID)/deliveries",
                token: server.tokens[.commander]
            )
            let items = try #require(deliveries.object["items"] as? [[String: Any]])
            #expect(items.count == 3)
            for item in items {
                #expect(item["state"] as? String == "acknowledged")
                #expect(item["acknowledged_by"] as? String == "demo-checkpoint-officer")
                #expect(item["sequence"] as? Int == 1)
            }
            let summary = try await server.api.call(.get, "/v1/alerts/\(alertID)", token: server.tokens[.analyst])
            #expect((summary.object["tally"] as? [String: Int])?["acknowledged"] == 3)

            let cap = try await server.api.call(
                .get,
                "/v1/alerts/\(alertID).cap",
                token: server.tokens[.checkpointOfficer]
            )
            #expect(cap.status == .ok)
            #expect(cap.headers[.contentType]?.hasPrefix("application/cap+xml") == true)
            #expect(try CAPMessage(xml: cap.text).identifier == "cordon-\(alertID)")
            CAPRecording.record(cap.text, name: "served-\(alertID)")

            let feed = try await server.api.call(.get, "/v1/alerts.atom", token: server.tokens[.custodyOfficer])
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType]?.hasPrefix("application/atom+xml") == true)
            #expect(feed.text.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"))
            #expect(feed.text.contains("/v1/alerts/\(alertID).cap"))
            #expect(!feed.text.contains("cordon-ack-"), "acknowledgements are private, not in the feed")

            // Every step is in the audit log.
            let audit = try await server.api.call(.get, "/v1/audit?limit=1000", token: server.tokens[.auditor])
            let actions = (audit.object["records"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.contains("alerts.compose"))
            #expect(Self.changes(in: audit, action: "alerts.acknowledge").count == 3)
            for socket in sockets.values { await socket.close() }
        }
    }

    @Test func aClientThatWasOfflineReceivesWhatItMissedInOrderOnce() async throws {
        try await withDemoServer { server in
            let checkpoint = "cp-rail-dushanbe-2"
            var sent: [String] = []
            for headline in ["first", "second", "third"] {
                let response = try await Self.compose(server, checkpoints: [checkpoint], headline: headline)
                #expect(response.status == .created, "\(response.text)")
                sent.append(try #require((response.object["alert"] as? [String: Any])?["id"] as? String))
            }
            // The client saw the first before it went offline.
            let socket = Self.socket(server, checkpoint)
            socket.send(.hello(lastSequence: 1))
            _ = try await socket.next(type: "welcome")
            let second = try await socket.next(type: "alert")
            let third = try await socket.next(type: "alert")
            #expect(second["sequence"]?.intValue == 2)
            #expect(second["alert"]?["id"]?.stringValue == sent[1])
            #expect(third["sequence"]?.intValue == 3)
            #expect(third["alert"]?["id"]?.stringValue == sent[2])
            socket.send(.received(sequence: 2))
            socket.send(.received(sequence: 3))
            #expect(
                try await socket.drain(for: .milliseconds(300)).filter { $0["type"]?.stringValue == "alert" }.isEmpty
            )
            await socket.close()

            // Offline again while a fourth alert goes out; on reconnect only that one comes.
            let fourth = try await Self.compose(server, checkpoints: [checkpoint], headline: "fourth")
            let fourthID = try #require((fourth.object["alert"] as? [String: Any])?["id"] as? String)
            let again = Self.socket(server, checkpoint)
            again.send(.hello(lastSequence: 3))
            _ = try await again.next(type: "welcome")
            let missed = try await again.next(type: "alert")
            #expect(missed["sequence"]?.intValue == 4)
            #expect(missed["alert"]?["id"]?.stringValue == fourthID)
            let extra = try await again.drain(for: .milliseconds(300)).filter { $0["type"]?.stringValue == "alert" }
            #expect(extra.isEmpty, "nothing is sent twice: \(extra)")

            let deliveries = try await server.api.call(
                .get,
                "/v1/alerts/\(sent[0])/deliveries",
                token: server.tokens[.admin]
            )
            let first = try #require((deliveries.object["items"] as? [[String: Any]])?.first)
            #expect(first["state"] as? String == "delivered", "seen before the reconnect counts as delivered")
            await again.close()
        }
    }

    @Test func aSilentRecipientIsResentThenEscalatedToTheCommander() async throws {
        let patient: (inout ServerConfiguration) -> Void = {
            $0.delivery = .init(resendInterval: .seconds(30), escalateAfter: .seconds(120))
        }
        try await withDemoServer(configure: patient) { server in
            let operations = SocketClient(
                port: server.api.port,
                path: "/v1/operations/stream",
                token: server.tokens[.commander]!
            )
            let checkpoint = "cp-road-dushanbe-north"
            let socket = Self.socket(server, checkpoint)
            socket.send(.hello(lastSequence: 0))
            _ = try await socket.next(type: "welcome")
            try await server.waitForSubscribers()
            let composed = try await Self.compose(server, checkpoints: [checkpoint])
            let alertID = try #require((composed.object["alert"] as? [String: Any])?["id"] as? String)
            let first = try await socket.next(type: "alert")
            #expect(first["resend"]?.boolValue == false)
            _ = try await operations.next(type: "alert_sent")
            // Received, but nobody acknowledges it: re-sent after 30 s, escalated after 120 s.
            socket.send(.received(sequence: 1))
            server.clock.advance(by: 31)
            let resent = try await socket.next(type: "alert")
            #expect(resent["sequence"]?.intValue == 1)
            #expect(resent["resend"]?.boolValue == true)
            server.clock.advance(by: 90)
            let escalation = try await operations.next(type: "escalation")
            #expect(escalation["alert"]?.stringValue == alertID)
            #expect(escalation["recipient"]?.stringValue == "checkpoints/\(checkpoint)")
            #expect(escalation["state"]?.stringValue == "delivered")
            let deliveries = try await server.api.call(
                .get,
                "/v1/alerts/\(alertID)/deliveries",
                token: server.tokens[.commander]
            )
            let item = try #require((deliveries.object["items"] as? [[String: Any]])?.first)
            #expect(item["escalated_at"] is String)
            #expect((item["sends"] as? Int ?? 0) >= 2)
            // Acknowledging stops the re-sending.
            socket.send(.ack(alert: alertID, note: nil))
            _ = try await socket.next(type: "acknowledged")
            server.clock.advance(by: 60)
            let after = try await socket.drain(for: .milliseconds(600)).filter { $0["type"]?.stringValue == "alert" }
            #expect(after.isEmpty)
            await socket.close()
            await operations.close()
        }
    }

    @Test func updatesAndCancellationsReferToTheOriginal() async throws {
        try await withDemoServer { server in
            let checkpoint = "cp-air-dushanbe"
            let socket = Self.socket(server, checkpoint)
            socket.send(.hello(lastSequence: 0))
            _ = try await socket.next(type: "welcome")
            let composed = try await Self.compose(server, checkpoints: [checkpoint])
            let original = try #require((composed.object["alert"] as? [String: Any])?["id"] as? String)
            _ = try await socket.next(type: "alert")

            let update = try await server.api.call(
                .post,
                "/v1/alerts/\(original)/update",
                token: server.tokens[.commander],
                json: ["headline": "Two of them seen near the airport fence"]
            )
            #expect(update.status == .created, "\(update.text)")
            #expect(update.object["message_type"] as? String == "Update")
            #expect(update.object["references"] as? [String] == ["cordon-\(original)"])
            let updateFrame = try await socket.next(type: "alert")
            #expect(updateFrame["sequence"]?.intValue == 2)
            let updateXML = try #require(updateFrame["cap"]?["xml"]?.stringValue)
            let updateMessage = try CAPMessage(xml: updateXML)
            CAPRecording.record(updateXML, name: "update")
            #expect(updateMessage.messageType == .update)
            #expect(updateMessage.references.map(\.identifier) == ["cordon-\(original)"])

            let cancel = try await server.api.call(
                .post,
                "/v1/alerts/\(original)/cancel",
                token: server.tokens[.commander],
                json: [:]
            )
            #expect(cancel.status == .created, "\(cancel.text)")
            let cancelFrame = try await socket.next(type: "alert")
            let cancelXML = try #require(cancelFrame["cap"]?["xml"]?.stringValue)
            CAPRecording.record(cancelXML, name: "cancel")
            let cancelMessage = try CAPMessage(xml: cancelXML)
            #expect(cancelMessage.messageType == .cancel)
            #expect(cancelMessage.references.map(\.identifier) == ["cordon-\(original)"])
            let cancelID = try #require((cancel.object["alert"] as? [String: Any])?["id"] as? String)
            let again = try await server.api.call(
                .post,
                "/v1/alerts/\(cancelID)/cancel",
                token: server.tokens[.commander],
                json: [:]
            )
            #expect(again.status == .conflict, "a cancellation is not cancelled")

            // The acknowledgement is a CAP Ack referring to the message acknowledged.
            socket.send(.ack(alert: original, note: nil))
            let acknowledged = try await socket.next(type: "acknowledged")
            #expect(acknowledged["ack_identifier"]?.stringValue == "cordon-ack-\(original)-checkpoints-\(checkpoint)")
            let ack = try #require(
                try await server.store.entity(AlertMessage.self, id: "cordon-ack-\(original)-checkpoints-\(checkpoint)")
            )
            let ackMessage = try CAPMessage(xml: ack.entity.xml)
            CAPRecording.record(ack.entity.xml, name: "ack")
            #expect(ackMessage.messageType == .ack)
            #expect(ackMessage.references.map(\.identifier) == ["cordon-\(original)"])
            await socket.close()
        }
    }

    @Test func badFramesGetClearErrorsAndChangeNothing() async throws {
        try await withDemoServer { server in
            let checkpoint = "cp-rail-dushanbe-1"
            // A hello that claims more than was ever sent is refused.
            let liar = Self.socket(server, checkpoint)
            liar.send(.hello(lastSequence: 7))
            let refused = try await liar.next(type: "error")
            #expect(refused["field"]?.stringValue == "last_sequence")
            #expect(try await liar.closed() == .protocolError)

            let socket = Self.socket(server, checkpoint)
            socket.send(.hello(lastSequence: 0))
            _ = try await socket.next(type: "welcome")
            socket.send(raw: "{not json")
            #expect(try await socket.next(type: "error")["message"]?.stringValue == "the frame is not a JSON object")
            socket.send(["type": .string("dance")])
            #expect(try await socket.next(type: "error")["field"]?.stringValue == "type")
            socket.send(["type": .string("received"), "sequence": .number(-1)])
            #expect(try await socket.next(type: "error")["field"]?.stringValue == "sequence")
            socket.send(.received(sequence: 5))
            #expect(try await socket.next(type: "error")["field"]?.stringValue == "sequence")
            socket.send(.ack(alert: "al-never-sent", note: nil))
            let never = try await socket.next(type: "error")
            #expect(never["field"]?.stringValue == "alert")
            socket.send(["type": .string("ack"), "alert": .string("al-02-bolo"), "extra": .bool(true)])
            #expect(try await socket.next(type: "error")["field"]?.stringValue == "extra")
            // Still connected and in order: the next alert is sequence 1.
            let composed = try await Self.compose(server, checkpoints: [checkpoint])
            #expect(composed.status == .created)
            #expect(try await socket.next(type: "alert")["sequence"]?.intValue == 1)
            let audit = try await server.api.call(.get, "/v1/audit?limit=1000", token: server.tokens[.auditor])
            let actions = (audit.object["records"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.contains("alerts.compose"))
            #expect(Self.changes(in: audit, action: "alerts.acknowledge").isEmpty, "no bad frame wrote anything")

            // A flood of frames closes the connection with a policy violation.
            for _ in 0..<200 { socket.send(.ping) }
            #expect(try await socket.closed() == .policyViolation)

            // A plain GET is told to upgrade; an unknown checkpoint is not found.
            let plain = try await server.api.call(
                .get,
                "/v1/checkpoints/\(checkpoint)/stream",
                token: server.tokens[.checkpointOfficer]
            )
            #expect(plain.status == .upgradeRequired)
            let unknown = try await server.api.call(
                .get,
                "/v1/checkpoints/cp-nowhere/stream",
                token: server.tokens[.checkpointOfficer]
            )
            #expect(unknown.status == .notFound)
        }
    }

    @Test func composingChecksTheIncidentAndTheTargets() async throws {
        try await withDemoServer { server in
            let commander = server.tokens[.commander]
            let bad = try await server.api.call(
                .post,
                "/v1/incidents/\(Self.incident)/alerts",
                token: commander,
                json: ["kind": "update", "targets": ["kinds": ["harbour"], "within_km": -3], "radius_km": 0]
            )
            #expect(bad.status == .unprocessableContent)
            let pointers = Set(
                ((bad.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["pointer"] as? String }
            )
            #expect(pointers.contains("/targets/kinds/0"), "\(pointers)")
            let nobody = try await server.api.call(
                .post,
                "/v1/incidents/\(Self.incident)/alerts",
                token: commander,
                json: ["kind": "be_on_lookout", "targets": ["regions": ["Atlantis"]]]
            )
            #expect(nobody.status == .unprocessableContent)
            // Targeting by kind and distance: airports within 50 km of the ward (Bokhtar's is 90 km away).
            let airports = try await server.api.call(
                .post,
                "/v1/incidents/\(Self.incident)/alerts",
                token: commander,
                json: ["kind": "be_on_lookout", "targets": ["kinds": ["airport"], "within_km": 50]]
            )
            #expect(airports.status == .created, "\(airports.text)")
            #expect(airports.object["recipients"] as? [String] == ["checkpoints/cp-air-dushanbe"])
            // Every checkpoint, nearest first.
            let all = try await server.api.call(
                .post,
                "/v1/incidents/\(Self.incident)/alerts",
                token: commander,
                json: ["kind": "be_on_lookout"]
            )
            let checkpoints = try #require((all.object["alert"] as? [String: Any])?["checkpoints"] as? [String])
            #expect(checkpoints.count >= 40)
            // A raised incident cannot be announced to checkpoints before it is confirmed.
            let created = try await server.api.call(
                .post,
                "/v1/incidents",
                token: commander,
                json: [
                    "id": "inc-test-raised", "kind": "missed_check_in", "facility": "fac-gknb-ward",
                    "raised_at": "2026-11-25T09:00:00Z", "summary": "Corridor A missed its check-in",
                ]
            )
            #expect(created.status == .created, "\(created.text)")
            // Its status changes only through confirm and close, by command.
            var closedByHand = created.object
            closedByHand["status"] = "closed"
            let sneaky = try await server.api.call(
                .put,
                "/v1/incidents/inc-test-raised",
                token: server.tokens[.custodyOfficer],
                json: closedByHand
            )
            #expect(sneaky.status == .conflict, "\(sneaky.text)")
            let born = try await server.api.call(
                .post,
                "/v1/incidents",
                token: commander,
                json: [
                    "id": "inc-test-born-confirmed", "kind": "escape", "raised_at": "2026-11-25T09:00:00Z",
                    "summary": "Confirmed from the start", "status": "confirmed",
                ]
            )
            #expect(born.status == .unprocessableContent)
            let early = try await server.api.call(
                .post,
                "/v1/incidents/inc-test-raised/alerts",
                token: commander,
                json: ["kind": "be_on_lookout"]
            )
            #expect(early.status == .conflict)
            let confirmed = try await server.api.call(
                .post,
                "/v1/incidents/inc-test-raised/confirm",
                token: commander,
                json: ["persons": ["p-mirzoyev-abdurasul", "p-nobody"]]
            )
            #expect(confirmed.status == .unprocessableContent)
            let confirmedForReal = try await server.api.call(
                .post,
                "/v1/incidents/inc-test-raised/confirm",
                token: commander,
                json: ["persons": ["p-mirzoyev-abdurasul"]]
            )
            #expect(confirmedForReal.object["status"] as? String == "confirmed")
            #expect(confirmedForReal.object["kind"] as? String == "escape")
            let lockdown = try await server.api.call(
                .post,
                "/v1/incidents/inc-test-raised/alerts",
                token: commander,
                json: ["kind": "lockdown"]
            )
            #expect(lockdown.status == .created, "\(lockdown.text)")
            #expect((lockdown.object["recipients"] as? [String])?.allSatisfy { $0.hasPrefix("posts/") } == true)
            let closed = try await server.api.call(
                .post,
                "/v1/incidents/inc-test-raised/close",
                token: commander,
                json: ["note": "all recaptured"]
            )
            #expect(closed.object["status"] as? String == "closed")
            let twice = try await server.api.call(
                .post,
                "/v1/incidents/inc-test-raised/close",
                token: commander,
                json: [:]
            )
            #expect(twice.status == .conflict)
        }
    }
}

import CordonCore
import CordonDashboard
import CordonEvents
import CordonStore
import Foundation
import HTTPTypes
import NIOWebSocket
import Testing

@testable import CordonServer

/// The smaller holes an outside probe found, each reproduced against a live server and shown closed:
/// API answers cached, a sighting of someone who does not exist, a sign-out that left the token valid,
/// frames over the documented 16 KiB.
@Suite(.timeLimit(.minutes(5))) struct SmallHardeningTests {
    @Test func apiAnswersCarryingTokensOrCaseDataAreNotStored() async throws {
        try await withDemoServer { server in
            let token = try await server.api.call(
                .post,
                "/v1/auth/token",
                json: ["username": "demo-analyst", "password": server.passwords[.analyst] ?? ""]
            )
            #expect(token.status == .created)
            #expect(token.headers[.cacheControl] == "no-store")
            let person = try await server.api.call(
                .get,
                "/v1/persons/p-mirzoyev-abdurasul",
                token: server.tokens[.commander]
            )
            #expect(person.status == .ok)
            #expect(person.headers[.cacheControl] == "no-store")
            let refused = try await server.api.call(.get, "/v1/persons")
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.cacheControl] == "no-store")
        }
    }

    @Test func aSightingMustNameAPersonAndAVehicleOnRecord() async throws {
        try await withDemoServer { server in
            let sighting: [String: Any] = [
                "id": "s-probe-1", "observed_at": "2026-11-25T14:00:00+05:00",
                "location": ["lat": 38.56, "lon": 68.78], "person": "p-nobody-at-all", "vehicle": "v-no-such-car",
                "source": "patrol", "confidence": "low",
            ]
            let refused = try await server.api.call(
                .post,
                "/v1/sightings",
                token: server.tokens[.analyst],
                json: sighting
            )
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            let pointers = (refused.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            #expect(Set(pointers) == ["/person", "/vehicle"])
            #expect(try await server.store.entity(Sighting.self, id: "s-probe-1") == nil)

            var real = sighting
            real["person"] = "p-mirzoyev-abdurasul"
            real["vehicle"] = nil
            let made = try await server.api.call(.post, "/v1/sightings", token: server.tokens[.analyst], json: real)
            #expect(made.status == .created, "\(made.text)")
        }
    }

    @Test func signingOutOfTheDashboardEndsTheSessionEvenWithoutTheAntiForgeryValue() async throws {
        try await withDemoServer { server in
            let token = try await DashboardTests.signIn(server, .analyst)
            let out = try await DashboardTests.page(
                server,
                .post,
                "/ui/logout",
                headers: DashboardTests.joined(DashboardTests.cookie(token), DashboardTests.formHeaders),
                body: ""
            )
            #expect(out.status == .seeOther)
            let after = try await server.api.call(.get, "/v1/auth/me", token: token)
            #expect(after.status == .unauthorized)
        }
    }

    @Test func aFrameOverSixteenKiBClosesTheStream() async throws {
        try await withDemoServer { server in
            let socket = SocketClient(
                port: server.api.port,
                path: "/v1/checkpoints/cp-air-dushanbe/stream",
                token: server.tokens[.checkpointOfficer]!
            )
            socket.send(.hello(lastSequence: 0))
            _ = try await socket.next(type: "welcome")
            // Just under the limit: an error about the frame, and the stream stays open.
            let note = String(repeating: "n", count: 15 << 10)
            socket.send(raw: #"{"type":"ack","alert":"al-none","note":"\#(note)"}"#)
            #expect(try await socket.next(type: "error")["field"]?.stringValue == "note")
            socket.send(.ping)
            _ = try await socket.next(type: "pong")
            // 60 KB: refused, and the connection closed as too big.
            socket.send(raw: #"{"type":"ack","alert":"al-none","note":"\#(String(repeating: "n", count: 60_000))"}"#)
            let error = try await socket.next(type: "error")
            #expect(error["message"]?.stringValue?.contains("16384") == true)
            #expect(try await socket.closed() == .messageTooLarge)
        }
    }

    @Test func aSecondConnectionToACheckpointDoesNotSilentlyTakeItsAlertsAway() async throws {
        try await withDemoServer { server in
            let checkpoint = "cp-air-dushanbe"
            let operations = SocketClient(
                port: server.api.port,
                path: "/v1/operations/stream",
                token: server.tokens[.commander]!
            )
            try await server.waitForSubscribers()
            let desk = AlertDeliveryTests.socket(server, checkpoint)
            desk.send(.hello(lastSequence: 0, device: "desk 1"))
            _ = try await desk.next(type: "welcome")
            let connected = try await operations.next(type: "recipient_connected")
            #expect(connected["device"]?.stringValue == "desk 1")
            // A second connection with another officer's token, as in the probe.
            let second = AlertDeliveryTests.socket(server, checkpoint, role: .commander)
            second.send(.hello(lastSequence: 0))
            _ = try await second.next(type: "welcome")
            let again = try await operations.next(type: "recipient_connected")
            #expect(again["devices"]?.intValue == 2)
            #expect(again["by"]?.stringValue == "demo-commander")
            // The first still receives the alert, and its acknowledgement names its device.
            let composed = try await AlertDeliveryTests.compose(server, checkpoints: [checkpoint])
            #expect(composed.status == .created)
            let alert = try await desk.next(type: "alert")
            _ = try await second.next(type: "alert")
            let alertID = try #require(alert["alert"]?["id"]?.stringValue)
            desk.send(.received(sequence: 1))
            desk.send(.ack(alert: alertID, note: nil))
            _ = try await desk.next(type: "acknowledged")
            let acks = try await server.store.allEntities(AlertMessage.self).filter { $0.messageType == "Ack" }
            #expect(acks.contains { $0.xml.contains("demo-checkpoint-officer at desk 1") })
            await second.close()
            let gone = try await operations.next(type: "recipient_disconnected")
            #expect(gone["devices"]?.intValue == 1)
            await desk.close()
            await operations.close()
        }
    }

    @Test func aMalformedChunkedBodyIsABadRequestNotAServerError() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.checkpointOfficer] ?? ""
            let answer = try await rawExchange(
                port: server.api.port,
                "POST /v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\n{\"name\": \"x\"}\r\n0\r\n\r\n"
            )
            let status = answer.split(separator: "\r\n").first.map(String.init) ?? ""
            #expect(status.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(400))")
        }
    }
}

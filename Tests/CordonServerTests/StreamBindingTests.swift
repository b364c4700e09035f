import CordonCore
import CordonEvents
import CordonServer
import Foundation
import HTTPTypes
import NIOWebSocket
import Testing

/// An account holds only the streams of the checkpoints and posts it serves: another checkpoint's
/// officer cannot take over a stream, and what an account serves is set by an admin, checked, audited.
@Suite(.serialized, .timeLimit(.minutes(5))) struct StreamBindingTests {
    static func account(_ server: DemoServer, _ name: String, serves: [String]) async throws -> String {
        let password = "correct horse battery staple"
        let created = try await server.api.call(
            .post,
            "/v1/accounts",
            token: server.tokens[.admin],
            json: ["username": name, "role": "checkpoint_officer", "password": password, "serves": serves]
        )
        #expect(created.status == .created, "\(created.text)")
        #expect(created.object["serves"] as? [String] == serves.sorted())
        let signedIn = try await server.api.call(
            .post,
            "/v1/auth/token",
            json: ["username": name, "password": password]
        )
        return try #require(signedIn.object["token"] as? String)
    }

    @Test func anotherCheckpointsOfficerCannotTakeOverAStream() async throws {
        try await withDemoServer { server in
            let airport = try await Self.account(server, "airport.desk", serves: ["checkpoints/cp-air-dushanbe"])
            let rail = try await Self.account(server, "rail.desk", serves: ["checkpoints/cp-rail-dushanbe-1"])
            let path = "/v1/checkpoints/cp-air-dushanbe/stream"

            let desk = SocketClient(port: server.api.port, path: path, token: airport)
            desk.send(.hello(lastSequence: 0))
            _ = try await desk.next(type: "welcome")

            // The intruder: refused over HTTP with the reason, and the upgrade is refused.
            let refused = try await server.api.call(.get, path, token: rail)
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("does not serve checkpoints/cp-air-dushanbe"), "\(refused.text)")
            let intruder = SocketClient(port: server.api.port, path: path, token: rail)
            intruder.send(.hello(lastSequence: 0))
            _ = try await intruder.closed()

            // The real desk still gets the alert, and acknowledges it.
            let composed = try await AlertDeliveryTests.compose(server, checkpoints: ["cp-air-dushanbe"])
            let alertID = try #require((composed.object["alert"] as? [String: Any])?["id"] as? String)
            #expect(try await desk.next(type: "alert")["alert"]?["id"]?.stringValue == alertID)
            desk.send(.ack(alert: alertID, note: nil))
            _ = try await desk.next(type: "acknowledged")
            let deliveries = try await server.api.call(
                .get,
                "/v1/alerts/\(alertID)/deliveries",
                token: server.tokens[.commander]
            )
            let item = try #require((deliveries.object["items"] as? [[String: Any]])?.first)
            #expect(item["acknowledged_by"] as? String == "airport.desk")
            // Headquarters' own roles may hold any stream.
            let commander = SocketClient(port: server.api.port, path: path, token: server.tokens[.commander]!)
            commander.send(.hello(lastSequence: 0))
            _ = try await commander.next(type: "welcome")
            await commander.close()
            await desk.close()
        }
    }

    @Test func anAdminSetsWhatAnAccountServesCheckedAndAudited() async throws {
        try await withDemoServer { server in
            let rail = try await Self.account(server, "rail.desk", serves: ["checkpoints/cp-rail-dushanbe-1"])
            let path = "/v1/checkpoints/cp-air-dushanbe/stream"
            #expect(try await server.api.call(.get, path, token: rail).status == .forbidden)

            var changed = try await server.api.call(
                .put,
                "/v1/accounts/rail.desk/serves",
                token: server.tokens[.admin],
                json: ["serves": ["checkpoints/cp-nowhere", "gates/cp-air-dushanbe"]]
            )
            #expect(changed.status == .unprocessableContent)
            #expect(changed.text.contains("/serves/1"), "\(changed.text)")
            changed = try await server.api.call(
                .put,
                "/v1/accounts/rail.desk/serves",
                token: server.tokens[.admin],
                json: ["serves": ["checkpoints/cp-nowhere"]]
            )
            #expect(changed.status == .unprocessableContent && changed.text.contains("no checkpoints/cp-nowhere"))
            changed = try await server.api.call(
                .put,
                "/v1/accounts/rail.desk/serves",
                token: server.tokens[.commander],
                json: ["serves": ["checkpoints/cp-air-dushanbe"]]
            )
            #expect(changed.status == .forbidden)
            changed = try await server.api.call(
                .put,
                "/v1/accounts/rail.desk/serves",
                token: server.tokens[.admin],
                json: ["serves": ["checkpoints/cp-air-dushanbe"]]
            )
            #expect(changed.status == .ok && changed.object["serves"] as? [String] == ["checkpoints/cp-air-dushanbe"])
            // The same token now holds the airport's stream (the account is read on every request).
            #expect(try await server.api.call(.get, path, token: rail).status == .upgradeRequired)
            let audit = try await server.api.call(.get, "/v1/audit?limit=1000", token: server.tokens[.auditor])
            #expect(audit.text.contains("\"accounts.serves\""), "the change is audited")
        }
    }

    @Test func aStreamThatNeverSaysHelloIsClosed() async throws {
        try await withDemoServer { server in
            let started = ContinuousClock.now
            let silent = AlertDeliveryTests.socket(server, "cp-air-dushanbe")
            let refusal = try await silent.next(type: "error", timeout: .seconds(20))
            #expect(refusal["message"]?.stringValue?.contains("no hello") == true)
            #expect(try await silent.closed(timeout: .seconds(5)) == .policyViolation)
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(9) && waited < .seconds(20), "closed after \(waited)")
        }
    }

    @Test func oneAccountHoldsAtMostItsLimitOfStreams() async throws {
        try await withDemoServer(configure: { $0.streamsPerAccount = 3 }, Self.threeStreamsAtMost)
    }

    /// With a limit of three streams an account.
    @Sendable static func threeStreamsAtMost(_ server: DemoServer) async throws {
        let commander = server.tokens[.commander]!
        let path = "/v1/checkpoints/cp-air-dushanbe/stream"
        func open(_ token: String) async throws -> SocketClient? {
            let socket = SocketClient(port: server.api.port, path: path, token: token)
            socket.send(.hello(lastSequence: 0))
            // A welcome, or the refusal: its error frame and the close (1008).
            let first = try await socket.next(timeout: .seconds(20))
            if first["type"]?.stringValue == "welcome" { return socket }
            #expect(first["message"]?.stringValue?.contains("holds 3 streams already") == true, "\(first)")
            #expect(try await socket.closed() == .policyViolation)
            return nil
        }
        var held: [SocketClient] = []
        for _ in 0..<3 { held.append(try #require(try await open(commander))) }
        #expect(try await open(commander) == nil, "a fourth stream is refused")
        // The dashboard's feed counts too: refused with 429 while three streams are open.
        let feed = try await server.api.call(.get, "/ui/events", token: commander)
        #expect(feed.status == .tooManyRequests, "\(feed.status)")
        // Another account is not held back, and a closed stream gives its place back.
        let other = try #require(try await open(server.tokens[.admin]!))
        await held.removeFirst().close()
        var reopened: SocketClient?
        for _ in 0..<100 where reopened == nil {
            reopened = try await open(commander)
            if reopened == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(reopened != nil, "a closed stream gave its place back")
        for socket in held + [other] { await socket.close() }
        await reopened?.close()
    }
}

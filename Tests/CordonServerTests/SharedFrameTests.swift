import CordonAlerts
import CordonCore
import CordonEvents
import CordonServer
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import Testing

/// An alert goes to each recipient as one message in two frames, the second shared by every recipient;
/// a client that reconnects gets it once, and a device that stops reading is dropped and catches up.
@Suite(.timeLimit(.minutes(5))) struct SharedFrameTests {
    /// What a raw client saw on one connection: every data frame as sent, until it closed.
    struct RawFrame: Sendable {
        let opcode: WebSocketDataFrame.Opcode
        let fin: Bool
        let text: String
    }

    /// Connects to a checkpoint's stream, says hello with `lastSequence`, reads frames until `enough`
    /// says so (or the connection ends), then closes. With `pause`, reads nothing for that long first.
    static func rawSession(
        _ server: DemoServer,
        checkpoint: String,
        lastSequence: Int,
        pause: Duration? = nil,
        ping: Bool = false,
        enough: @escaping @Sendable ([RawFrame]) -> Bool
    ) async throws -> [RawFrame] {
        var logger = Logger(label: "raw-socket")
        logger.logLevel = .critical
        let token = try #require(server.tokens[.checkpointOfficer])
        let frames = Frames()
        _ = try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(server.api.port)/v1/checkpoints/\(checkpoint)/stream",
            configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: [.authorization: "Bearer \(token)"]),
            logger: logger
        ) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"type":"hello","last_sequence":\#(lastSequence)}"#))
            // The answer to a ping comes after whatever the hello brought back.
            if ping { try await outbound.write(.text(#"{"type":"ping"}"#)) }
            if let pause { try await Task.sleep(for: pause) }
            for try await frame in inbound {
                let seen = frames.append(
                    RawFrame(opcode: frame.opcode, fin: frame.fin, text: String(buffer: frame.data))
                )
                if enough(seen) { break }
            }
            try? await outbound.close(.normalClosure, reason: nil)
        }
        return frames.all
    }

    final class Frames: Sendable {
        private let frames = Mutex<[RawFrame]>([])
        func append(_ frame: RawFrame) -> [RawFrame] {
            frames.withLock {
                $0.append(frame)
                return $0
            }
        }
        var all: [RawFrame] { frames.withLock { $0 } }
    }

    /// The whole messages in a run of frames, reassembled.
    static func messages(_ frames: [RawFrame]) -> [String] {
        var messages: [String] = []
        var current = ""
        for frame in frames {
            current += frame.text
            if frame.fin {
                messages.append(current)
                current = ""
            }
        }
        return messages
    }

    static func alerts(_ frames: [RawFrame]) throws -> [AlertFrame] {
        try messages(frames).compactMap { text in
            if case .alert(let alert) = try ServerFrame(text: text) { alert } else { nil }
        }
    }

    @Test func anAlertIsOneMessageInTwoFramesAndAReconnectingClientGetsItOnce() async throws {
        try await withDemoServer { server in
            let checkpoint = "cp-air-dushanbe"
            // Connected before the alert: the frames it sees carry it.
            let first = Task {
                try await Self.rawSession(server, checkpoint: checkpoint, lastSequence: 0) { frames in
                    (try? Self.alerts(frames).isEmpty == false) ?? false
                }
            }
            try await Self.waitForConnections(server, 1)
            let composed = try await AlertDeliveryTests.compose(server, checkpoints: [checkpoint])
            #expect(composed.status == .created, "\(composed.text)")
            let alertID = try #require((composed.object["alert"] as? [String: Any])?["id"] as? String)
            let frames = try await first.value
            // welcome; then the alert's head (text, not final) and the shared content (continuation, final).
            let alertFrames = frames.drop { !$0.text.hasPrefix(#"{"type":"alert""#) }
            let head = try #require(alertFrames.first)
            #expect(head.opcode == .text && !head.fin)
            #expect(head.text.hasPrefix(#"{"type":"alert","sequence":1,"resend":false,"#))
            #expect(head.text.count < 2_000, "the head carries only what is this recipient's own")
            let body = try #require(alertFrames.dropFirst().first)
            #expect(body.opcode == .continuation && body.fin)
            #expect(body.text.hasPrefix(#""alert":{"#) && body.text.contains(#""xml":"#))
            let alert = try #require(try Self.alerts(frames).first)
            #expect(alert.sequence == 1 && alert.content.alert.id.rawValue == alertID)
            #expect(alert.content.alert.persons.count == 25)

            // It saw sequence 1 and left without confirming: reconnecting from 1, it is not sent it again…
            let second = try await Self.rawSession(server, checkpoint: checkpoint, lastSequence: 1, ping: true) {
                frames in frames.contains { $0.text.contains(#""type":"pong""#) }
            }
            #expect(try Self.alerts(second).isEmpty, "\(Self.messages(second))")
            // …and the server counts it delivered; a client that lost it (from 0) gets it once more, whole.
            let third = try await Self.rawSession(server, checkpoint: checkpoint, lastSequence: 0) { frames in
                (try? Self.alerts(frames).isEmpty == false) ?? false
            }
            let again = try Self.alerts(third)
            #expect(again.count == 1)
            #expect(again.first?.sequence == 1 && again.first?.content == alert.content)
        }
    }

    @Test func aDeviceThatStopsReadingIsDroppedAndCatchesUpOnReconnect() async throws {
        try await withDemoServer(configure: { $0.streamBacklog = 4 }, Self.dropAndCatchUp)
    }

    @Sendable static func dropAndCatchUp(_ server: DemoServer) async throws {
        let checkpoint = "cp-rail-dushanbe-1"
        let composed = try await AlertDeliveryTests.compose(server, checkpoints: [checkpoint])
        let alertID = try AlertID(
            try #require((composed.object["alert"] as? [String: Any])?["id"] as? String)
        )
        let commander = Identity(username: "commander", role: .commander, tokenHash: "bench")
        // A device that says hello and then reads nothing for a while: the alert and every re-send
        // pile up in the socket's buffers, then in its stream, until it is dropped.
        let stalled = Task {
            try await Self.rawSession(server, checkpoint: checkpoint, lastSequence: 0, pause: .seconds(600)) {
                _ in false
            }
        }
        try await Self.waitForConnections(server, 1)
        var resends = 0
        while await server.parts.alerts.connectionCount > 0 {
            _ = try await server.parts.alerts.resend(alertID, to: nil, by: commander, address: nil)
            resends += 1
            try #require(resends < 5_000, "the stalled device was never dropped")
        }
        stalled.cancel()
        _ = try? await stalled.value
        // Nothing was lost: the alert is still waiting for it, and a reconnect from 0 brings it, once.
        let caughtUp = try await Self.rawSession(server, checkpoint: checkpoint, lastSequence: 0) { frames in
            (try? Self.alerts(frames).isEmpty == false) ?? false
        }
        let alerts = try Self.alerts(caughtUp)
        #expect(alerts.count == 1 && alerts.first?.content.alert.id == alertID, "\(resends) re-sends")
    }

    static func waitForConnections(_ server: DemoServer, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while await server.parts.alerts.connectionCount < count {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

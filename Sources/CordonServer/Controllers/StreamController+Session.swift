import CordonAlerts
import CordonCore
import CordonDocuments
import CordonEvents
import CordonPublishing
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

// A checkpoint's or post's stream, from its hello to its end. Split into functions that each hold
// only what their own step needs: a connection waits in the frame loop for hours, and the frames of
// the async functions it waits in are kept for all that time.
extension StreamController {
    struct FloodGate {
        var windowStart = ContinuousClock.now
        var count = 0

        mutating func admit() -> Bool {
            let now = ContinuousClock.now
            if now - windowStart >= .seconds(1) {
                windowStart = now
                count = 0
            }
            count += 1
            return count <= StreamController.maximumFramesPerSecond
        }
    }

    /// What the session does after a client's frame.
    enum Next {
        case proceed
        /// Says `frame`, then closes with `code`.
        case close(WebSocketErrorCode, reason: String, frame: ServerFrame)
    }

    func serveRecipient(
        _ recipient: String,
        identity: Identity,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        channel: any Channel
    ) async {
        var messages = inbound.messages(maxSize: Self.maximumFrameSize).makeAsyncIterator()
        var gate = FloodGate()
        guard let (lastSeen, device) = await hello(&messages, gate: &gate, outbound: outbound) else { return }
        let connection: (UUID, AsyncStream<ServerFrame>)
        do {
            connection = try await center.connect(
                recipient: recipient,
                lastSeen: lastSeen,
                by: identity,
                device: device
            )
        } catch {
            try? await outbound.write(.text(ServerFrame.error(error).text))
            try? await outbound.close(.protocolError, reason: "bad last_sequence")
            return
        }
        await session(
            recipient,
            connection: connection,
            identity: identity,
            device: device,
            messages: &messages,
            gate: &gate,
            outbound: outbound,
            channel: channel
        )
    }

    /// The first frame must say where the client stands: its last sequence and its device. Nil when
    /// the client said something else, too much, or nothing in time (it has been told, and closed).
    func hello(
        _ messages: inout WebSocketInboundMessageStream.AsyncIterator,
        gate: inout FloodGate,
        outbound: WebSocketOutboundWriter
    ) async -> (Int, String?)? {
        do {
            // A connection that never says hello is closed, not held.
            let first = try await withThrowingTaskGroup(of: Void.self) { timer in
                timer.addTask {
                    try await Task.sleep(for: Self.helloTimeout)
                    try? await outbound.write(
                        .text(ServerFrame.error(message: "no hello within the time allowed", field: nil).text)
                    )
                    try? await outbound.close(.policyViolation, reason: "no hello")
                }
                defer { timer.cancelAll() }
                return try await messages.next()
            }
            guard let first else { return nil }
            _ = gate.admit()
            let frame: ClientFrame
            do {
                frame = try Self.clientFrame(first)
            } catch let error as FrameError where error.field == "type" {
                throw FrameError("the first frame must be a hello", field: "type")
            }
            guard case .hello(let last, let name) = frame else {
                throw FrameError("the first frame must be a hello", field: "type")
            }
            return (last, name)
        } catch is FrameTooLarge {
            try? await outbound.write(.text(Self.tooLarge.text))
            try? await outbound.close(.messageTooLarge, reason: "frame too large")
            return nil
        } catch {
            try? await outbound.write(.text(ServerFrame.error(error).text))
            try? await outbound.close(.protocolError, reason: "expected a hello frame")
            return nil
        }
    }

    /// The stream once connected: one writer fed by the center's bounded stream (alerts, and the
    /// answers to what the client sends), and the client's frames read in turn until it leaves.
    func session(
        _ recipient: String,
        connection: (UUID, AsyncStream<ServerFrame>),
        identity: Identity,
        device: String?,
        messages: inout WebSocketInboundMessageStream.AsyncIterator,
        gate: inout FloodGate,
        outbound: WebSocketOutboundWriter,
        channel: any Channel
    ) async {
        let (id, frames) = connection
        let ending = Flag()
        let bodies = self.bodies
        await withTaskGroup(of: Void.self) { group in
            // The stream ends when the connection ends, or when the center drops a device that fell too
            // far behind: then the connection is closed, and the client catches up when it reconnects.
            group.addTask {
                for await frame in frames {
                    do { try await Self.write(frame, to: outbound, bodies: bodies) } catch { return }
                }
                if !ending.isSet { channel.close(promise: nil) }
            }
            do {
                while let message = try await messages.next() {
                    let next: Next
                    if gate.admit() {
                        next = await handle(
                            message,
                            from: recipient,
                            connection: id,
                            identity: identity,
                            device: device
                        )
                    } else {
                        next = .close(
                            .policyViolation,
                            reason: "too many frames",
                            frame: .error(
                                message: "more than \(Self.maximumFramesPerSecond) frames a second",
                                field: nil
                            )
                        )
                    }
                    guard case .close(let code, let reason, let frame) = next else { continue }
                    ending.set()
                    await center.reply(frame, to: recipient, connection: id)
                    try? await Task.sleep(for: .milliseconds(20))
                    try? await outbound.close(code, reason: reason)
                    break
                }
            } catch {
                logger.debug("alert stream closed", metadata: ["recipient": "\(recipient)", "error": "\(error)"])
            }
            ending.set()
            await center.disconnect(recipient: recipient, id: id)
            group.cancelAll()
        }
    }

    /// Takes one of the client's frames: a confirmation, an acknowledgement (with an officer's pass,
    /// verified), or a ping. A frame that cannot be taken is answered with an error and changes nothing.
    func handle(
        _ message: WebSocketMessage,
        from recipient: String,
        connection id: UUID,
        identity: Identity,
        device: String?
    ) async -> Next {
        do {
            switch try Self.clientFrame(message) {
            case .received(let sequence):
                try await center.received(recipient: recipient, sequence: sequence)
            case .ack(let alert, let note, let pass):
                let officer = try await officer(presenting: pass, by: identity)
                let ackIdentifier = try await center.acknowledge(
                    recipient: recipient,
                    alert: try AlertID(alert),
                    note: note,
                    by: identity,
                    device: device,
                    officer: officer
                )
                await center.reply(
                    .acknowledged(alert: alert, ackIdentifier: ackIdentifier),
                    to: recipient,
                    connection: id
                )
            case .ping:
                await center.reply(.pong, to: recipient, connection: id)
            case .hello:
                throw FrameError("hello is the first frame only: send received, ack or ping", field: "type")
            }
        } catch is FrameTooLarge {
            return .close(.messageTooLarge, reason: "frame too large", frame: Self.tooLarge)
        } catch {
            await center.reply(.error(error), to: recipient, connection: id)
        }
        return .proceed
    }

    /// The officer a pass names, once it verifies; nil without a pass.
    func officer(presenting pass: String?, by identity: Identity) async throws -> String? {
        guard let pass else { return nil }
        let result = try await credentials.verify(pass, by: identity, address: nil)
        guard result.isValid, let credential = result.credential else {
            throw FrameError(
                "the officer's pass was refused (\(result.status.rawValue)): \(result.message)",
                field: "pass"
            )
        }
        return "\(credential.name), service number \(credential.serviceNumber)"
    }

    /// Writes a frame. An alert goes as one text message in two frames: the recipient's own head, then
    /// the content every recipient shares, encoded once and written from the same buffer to all of them
    /// (RFC 6455 §5.4 fragmentation; a client reads one message, as before).
    static func write(
        _ frame: ServerFrame,
        to outbound: WebSocketOutboundWriter,
        bodies: SharedAlertBodies
    )
        async throws
    {
        guard case .alert(let alert) = frame else {
            try await outbound.write(.text(frame.text))
            return
        }
        let body = bodies.body(of: alert.content)
        try await outbound.withTextMessageWriter { write in
            try await write(ByteBuffer(string: alert.head))
            try await write(body)
        }
    }

    /// Set once a session ends on purpose, so that the end of its frames does not close it twice.
    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }
}

import CordonCore
public import CordonEvents
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization

/// A checkpoint's (or post's) side of its alert stream: it holds the WebSocket open, says which alerts it
/// has seen, takes every alert once and in order, confirms each, acknowledges when told to, keeps its
/// place in a state file, and opens the stream again after a drop, waiting longer each time.
///
/// Any front end uses it: `cordon checkpoint listen`, the demo, a station's page. The frames are the
/// ``ClientFrame`` and ``ServerFrame`` the server reads and writes with the same code.
public final class AlertStreamClient: Sendable {
    /// Where to connect and how to behave.
    public struct Configuration: Sendable {
        /// The servers' base URLs (`http://127.0.0.1:8080`), tried in turn: when the stream drops or a
        /// server stands by, the client moves to the next, and says there which alerts it has seen.
        public var servers: [String]
        /// The first server.
        public var server: String { servers[0] }
        /// The stream's path (`/v1/checkpoints/cp-air-dushanbe/stream`).
        public var path: String
        /// A bearer token of an officer allowed on the stream.
        public var token: String
        /// Whether each new alert is acknowledged as soon as it arrives, with this note; nil leaves it
        /// to a person (``acknowledge(alert:note:)``).
        public var automaticAcknowledgement: String??
        /// Whether each alert is confirmed as received as soon as it arrives; false leaves it to the
        /// owner (``confirm(sequence:)``), for a station that confirms an alert once it is on a screen.
        public var automaticReceipt: Bool = true
        /// A file that keeps the last sequence seen between runs (``AlertStreamState``).
        public var stateFile: String?
        /// The name this device gives itself when several hold the same checkpoint's stream (`desk 2`).
        public var device: String?
        public var reconnect: ReconnectPolicy
        /// The largest frame accepted from the server.
        public var maximumFrameSize: Int

        /// A configuration for one server.
        public init(
            server: String,
            path: String,
            token: String,
            automaticAcknowledgement: String?? = .some(nil),
            stateFile: String? = nil,
            device: String? = nil,
            reconnect: ReconnectPolicy = ReconnectPolicy(),
            maximumFrameSize: Int = 1 << 22
        ) {
            self.init(
                servers: [server],
                path: path,
                token: token,
                automaticAcknowledgement: automaticAcknowledgement,
                stateFile: stateFile,
                device: device,
                reconnect: reconnect,
                maximumFrameSize: maximumFrameSize
            )
        }

        /// A configuration for several servers of one deployment; at least one.
        public init(
            servers: [String],
            path: String,
            token: String,
            automaticAcknowledgement: String?? = .some(nil),
            stateFile: String? = nil,
            device: String? = nil,
            reconnect: ReconnectPolicy = ReconnectPolicy(),
            maximumFrameSize: Int = 1 << 22
        ) {
            precondition(!servers.isEmpty, "an alert stream needs a server")
            self.servers = servers.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            self.path = path
            self.token = token
            self.automaticAcknowledgement = automaticAcknowledgement
            self.stateFile = stateFile
            self.device = device
            self.reconnect = reconnect
            self.maximumFrameSize = maximumFrameSize
        }
    }

    /// How long to wait before opening a dropped stream again: from ``initial``, doubling, up to ``maximum``.
    public struct ReconnectPolicy: Sendable, Hashable {
        public var initial: Duration
        public var maximum: Duration

        public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30)) {
            self.initial = initial
            self.maximum = maximum
        }

        /// The wait after `failures` drops in a row (1 for the first).
        public func delay(afterFailures failures: Int) -> Duration {
            var delay = initial
            for _ in 1..<max(failures, 1) where delay < maximum { delay *= 2 }
            return min(delay, maximum)
        }
    }

    /// What the client saw, handed to its owner.
    public enum Event: Sendable {
        /// The server took the hello; `lastSequence` is the last it has issued to this recipient.
        case connected(lastSequence: Int)
        /// An alert frame; `isNew` is false for one seen before (a re-send).
        case alert(AlertFrame, isNew: Bool)
        /// The list of revoked credentials changed.
        case revocationsChanged([String])
        /// The server committed an acknowledgement.
        case acknowledged(alert: String, ackIdentifier: String)
        /// The server refused a frame, or sent one that could not be read.
        case problem(String)
        /// The stream dropped on an error; it is opened again after `retryIn`.
        case connectionLost(String, retryIn: Duration)
        /// The server closed the stream (on shutdown, say); it is opened again after `retryIn`.
        case closed(retryIn: Duration)
    }

    /// Whether to go on after an event.
    public enum Disposition: Sendable {
        case proceed
        case finish
    }

    /// The server refused the stream (wrong role, unknown checkpoint, bad token); retrying cannot help.
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    private struct State {
        var stream: AlertStreamState
        var acknowledged: Set<String> = []
        var outgoing: AsyncStream<ClientFrame>.Continuation?
    }

    public let configuration: Configuration
    private let state: Mutex<State>

    /// Creates a client, reading its state file if it has one.
    ///
    /// - Throws: ``AlertStreamState/Unreadable`` for a state file that holds no sequence number.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        let stream = try configuration.stateFile.map(AlertStreamState.init(contentsOf:)) ?? AlertStreamState()
        state = Mutex(State(stream: stream))
    }

    /// Where the client stands: the last sequence seen and the revoked credentials.
    public var current: AlertStreamState { state.withLock { $0.stream } }

    /// Acknowledges an alert on the open stream (a person read it), with that officer's pass when known;
    /// false when the stream is not open.
    @discardableResult
    public func acknowledge(alert: String, note: String?, pass: String? = nil) -> Bool {
        state.withLock { $0.outgoing?.yield(.ack(alert: alert, note: note, pass: pass)) } != nil
    }

    /// Confirms an alert as received (shown to a person); false when the stream is not open.
    @discardableResult
    public func confirm(sequence: Int) -> Bool {
        state.withLock { $0.outgoing?.yield(.received(sequence: sequence)) } != nil
    }

    /// Runs until `handle` answers ``Disposition/finish`` or the task is cancelled, opening the stream
    /// again after every drop.
    ///
    /// - Throws: ``Refused`` when the server refuses the stream itself.
    public func run(_ handle: @escaping @Sendable (Event) async -> Disposition) async throws {
        var logger = Logger(label: "cordon-alert-stream")
        logger.logLevel = .critical
        let servers = configuration.servers
        var current = 0
        var failures = 0
        while !Task.isCancelled {
            let server = servers[current]
            let url =
                server.replacingOccurrences(of: "https://", with: "wss://")
                .replacingOccurrences(of: "http://", with: "ws://") + configuration.path
            let finished = Mutex(false)
            // Welcomed: the server took the hello. Only then does the wait start again from the shortest,
            // so that a server that accepts and closes at once is not asked again and again.
            let welcomed = Mutex(false)
            var lost: String?
            do {
                try await WebSocketClient.connect(
                    url: url,
                    configuration: .init(
                        maxFrameSize: configuration.maximumFrameSize,
                        additionalHeaders: [.authorization: "Bearer \(configuration.token)"]
                    ),
                    logger: logger
                ) { inbound, outbound, _ in
                    let done = try await self.serve(
                        inbound: inbound,
                        outbound: outbound,
                        welcomed: welcomed,
                        handle: handle
                    )
                    finished.withLock { $0 = done }
                }
            } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
                // A node standing by, or one that cannot reach its database, sends the client on; any
                // other refusal (a role, a checkpoint, a token) is final.
                let refusal = await refusal(from: server)
                guard refusal.isTransient else { throw Refused(description: refusal.description) }
                lost = refusal.description
            } catch {
                if finished.withLock({ $0 }) || Task.isCancelled { return }
                lost = String(describing: error)
            }
            if finished.withLock({ $0 }) { return }
            if welcomed.withLock({ $0 }) { failures = 0 }
            failures += 1
            // Every server is tried once at the shortest wait before the waits grow.
            let delay = configuration.reconnect.delay(afterFailures: (failures + servers.count - 1) / servers.count)
            current = (current + 1) % servers.count
            let event: Event = lost.map { .connectionLost($0, retryIn: delay) } ?? .closed(retryIn: delay)
            if await handle(event) == .finish { return }
            try await Task.sleep(for: delay)
        }
    }

    /// One connection: hello, then frames until the stream ends; true when the owner asked to finish.
    private func serve(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        welcomed: borrowing Mutex<Bool>,
        handle: @escaping @Sendable (Event) async -> Disposition
    ) async throws -> Bool {
        let (outgoing, continuation) = AsyncStream<ClientFrame>.makeStream()
        let lastSeen = state.withLock { state in
            state.outgoing = continuation
            return state.stream.lastSeen
        }
        defer { state.withLock { $0.outgoing = nil } }
        continuation.yield(.hello(lastSequence: lastSeen, device: configuration.device))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in outgoing { try await outbound.write(.text(frame.text)) }
            }
            defer { group.cancelAll() }
            for try await message in inbound.messages(maxSize: configuration.maximumFrameSize) {
                guard case .text(let text) = message else { continue }
                let frame: ServerFrame
                do {
                    frame = try ServerFrame(text: text)
                } catch {
                    if await handle(.problem("unreadable frame: \(error)")) == .finish { return true }
                    continue
                }
                if case .welcome = frame { welcomed.withLock { $0 = true } }
                // Every event of the frame is handed over before the owner's wish to finish is honoured.
                var finish = false
                for event in take(frame, reply: continuation) where await handle(event) == .finish { finish = true }
                if finish {
                    // What was answered (a confirmation, an acknowledgement) goes out before the close.
                    continuation.finish()
                    try? await group.waitForAll()
                    try? await outbound.close(.normalClosure, reason: "done")
                    return true
                }
            }
            continuation.finish()
            return false
        }
    }

    /// What a frame means for the client's state, and what it answers.
    private func take(_ frame: ServerFrame, reply: AsyncStream<ClientFrame>.Continuation) -> [Event] {
        switch frame {
        case .welcome(_, let last):
            return [.connected(lastSequence: last)]
        case .alert(let alert):
            var events: [Event] = []
            let (isNew, saved, revocations, needsAck) = state.withLock { state in
                var revocations: [String]?
                // No list and an empty list say the same: nothing is revoked.
                if let ids = alert.revocations?.ids, ids != (state.stream.revoked ?? []) {
                    state.stream.revoked = ids
                    revocations = ids
                }
                let isNew = alert.sequence > state.stream.lastSeen
                if isNew { state.stream.lastSeen = alert.sequence }
                let id = alert.content.alert.id.rawValue
                return (isNew, state.stream, revocations, !state.acknowledged.contains(id))
            }
            events.append(.alert(alert, isNew: isNew))
            if let revocations { events.append(.revocationsChanged(revocations)) }
            if isNew || revocations != nil, let file = configuration.stateFile { try? saved.write(to: file) }
            if configuration.automaticReceipt { reply.yield(.received(sequence: alert.sequence)) }
            if case .some(let note) = configuration.automaticAcknowledgement, needsAck {
                reply.yield(.ack(alert: alert.content.alert.id.rawValue, note: note))
            }
            return events
        case .acknowledged(let alert, let ackIdentifier):
            state.withLock { _ = $0.acknowledged.insert(alert) }
            return [.acknowledged(alert: alert, ackIdentifier: ackIdentifier)]
        case .error(let message, _):
            return [.problem("server: \(message)")]
        case .pong:
            return []
        }
    }

    /// Why a server refused the stream, asked over plain HTTP; a 503 (a node standing by or without its
    /// database) or no answer at all is transient.
    private func refusal(from server: String) async -> (description: String, isTransient: Bool) {
        guard let base = URL(string: server) else { return ("the server refused the stream", false) }
        let exchange = ServerExchange(server: base, token: configuration.token)
        guard let answer = try? await exchange.perform("GET", configuration.path), answer.status != 0 else {
            return ("\(server) refused the stream and could not say why", true)
        }
        return (
            "the server refused the stream: \(answer.status)" + (answer.detail.map { ", \($0)" } ?? ""),
            answer.status == 503
        )
    }
}

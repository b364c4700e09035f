public import CordonEvents
import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// The link between the nodes of one deployment through their PostgreSQL database: `NOTIFY` to tell,
/// `LISTEN` to hear.
///
/// Signals are sent after the change they speak of is committed, gathered into as few notifications as
/// fit PostgreSQL's payload limit, on one pooled connection at a time. One connection is held to listen;
/// it is asked for nothing every ``checkInterval``, and when it fails or stops answering the link
/// listens again on another and gives its own node ``NodeSignal/resync``, since notifications sent
/// meanwhile are lost. A node's own notifications come back to it and are dropped.
///
/// The channel is named after the schema, so that several deployments in one database (as the tests
/// run) do not hear each other.
public final class PostgresNodeLink: NodeLink, Service {
    public let node: String
    let store: PostgresStore
    /// The `LISTEN` channel of this deployment.
    public let channel: String
    /// How often the listening connection is checked.
    public let checkInterval: Duration
    let logger: Logger
    private let outgoing = Mutex<[NodeSignal]>([])
    private let wake: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    private let incoming: (stream: AsyncStream<NodeSignal>, continuation: AsyncStream<NodeSignal>.Continuation)

    /// PostgreSQL refuses payloads of 8,000 bytes or more.
    static let payloadLimit = 7_600

    /// Creates the link; nothing is sent or heard before ``run()``.
    public init(store: PostgresStore, node: String, checkInterval: Duration = .seconds(2), logger: Logger) {
        self.store = store
        self.node = node
        self.checkInterval = checkInterval
        self.logger = logger
        channel = Self.channel(for: store.configuration)
        wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        incoming = AsyncStream<NodeSignal>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    public func send(_ signal: NodeSignal) {
        if case .resync = signal { return }
        outgoing.withLock { $0.append(signal) }
        wake.continuation.yield()
    }

    public func signals() -> AsyncStream<NodeSignal> { incoming.stream }

    /// Listens and sends until graceful shutdown or cancellation; what is waiting to be sent then is sent
    /// first.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await cancelWhenGracefulShutdown { await self.listen() }
            }
            group.addTask {
                for await _ in self.wake.stream { await self.flush() }
            }
            group.addTask {
                try? await gracefulShutdown()
                await self.flush()
                self.wake.continuation.finish()
            }
        }
        incoming.continuation.finish()
    }

    /// Listens on one connection after another until cancelled.
    private func listen() async {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: self.channel) { notifications in
                        // Whatever was signalled before this moment may have been missed.
                        self.incoming.continuation.yield(.resync)
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                for try await notification in notifications { self.hear(notification.payload) }
                                throw PostgresLeadershipError.closed
                            }
                            group.addTask {
                                while true {
                                    try await Task.sleep(for: self.checkInterval)
                                    try await PostgresLeadership.ping(
                                        connection,
                                        within: self.checkInterval,
                                        logger: self.logger
                                    )
                                }
                            }
                            try await group.next()
                            group.cancelAll()
                        }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("not hearing the other nodes; listening again", metadata: ["reason": "\(error)"])
            }
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
        }
    }

    private func hear(_ payload: String) {
        do {
            let envelope = try JSONDecoder().decode(Envelope.self, from: Data(payload.utf8))
            guard envelope.from != node else { return }
            for signal in envelope.signals { incoming.continuation.yield(signal) }
        } catch {
            logger.warning("a notification from another node could not be read", metadata: ["error": "\(error)"])
        }
    }

    /// Sends everything waiting, in as few notifications as fit.
    private func flush() async {
        let signals = outgoing.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        guard !signals.isEmpty else { return }
        for payload in Self.payloads(of: signals, from: node, logger: logger) {
            do {
                try await store.session("signalling the other nodes") { connection in
                    try await connection.run("SELECT pg_notify(\(self.channel), \(payload))", logger: self.logger)
                        .collect()
                }
            } catch {
                // The others will read it from the store; only time is lost.
                logger.warning("could not signal the other nodes", metadata: ["error": "\(error)"])
            }
        }
    }

    struct Envelope: Codable {
        let from: String
        let signals: [NodeSignal]
    }

    /// Splits signals into payloads under the limit; a delivery batch is split further when it must be.
    static func payloads(of signals: [NodeSignal], from node: String, logger: Logger) -> [String] {
        let encoder = JSONEncoder()
        var pieces: [String] = []
        for signal in signals {
            var parts = [signal]
            if case .deliveries(let deliveries) = signal, deliveries.count > 8 {
                parts = stride(from: 0, to: deliveries.count, by: 8).map {
                    .deliveries(Array(deliveries[$0..<min($0 + 8, deliveries.count)]))
                }
            }
            for part in parts {
                guard let data = try? encoder.encode(part), data.count < payloadLimit - 200 else {
                    logger.warning("a signal too large for a notification was left to the store")
                    continue
                }
                pieces.append(String(decoding: data, as: UTF8.self))
            }
        }
        let head =
            "{\"from\":\(String(decoding: (try? encoder.encode(node)) ?? Data("\"?\"".utf8), as: UTF8.self)),\"signals\":["
        var payloads: [String] = []
        var current: [String] = []
        var size = head.utf8.count + 2
        for piece in pieces {
            if !current.isEmpty, size + piece.utf8.count + 1 > payloadLimit {
                payloads.append(head + current.joined(separator: ",") + "]}")
                current = []
                size = head.utf8.count + 2
            }
            current.append(piece)
            size += piece.utf8.count + 1
        }
        if !current.isEmpty { payloads.append(head + current.joined(separator: ",") + "]}") }
        return payloads
    }

    /// `cordon_link_<schema>`, lower-case letters, digits and underscores only.
    static func channel(for configuration: PostgresStore.Configuration) -> String {
        let schema = (configuration.schema ?? "public").lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return String(("cordon_link_" + String(schema)).prefix(63))
    }
}

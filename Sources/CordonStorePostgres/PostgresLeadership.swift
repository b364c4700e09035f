public import CordonEvents
import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle

/// The leadership of one node among several on one PostgreSQL database, elected by a session-level
/// advisory lock.
///
/// A node that does not lead tries `pg_try_advisory_lock` once every ``checkInterval``. The node that
/// gets the lock keeps the connection that holds it, and asks the database for nothing on it once every
/// interval; when that fails or does not answer within the interval, it steps down at once. The database
/// lets the lock go when the leader's session ends, so when a leader dies (even by `kill -9`, which
/// closes its sockets) another node takes over within about one interval. On graceful shutdown the
/// leader unlocks before it stops.
///
/// The lock's key is made from the database's schema, so that several Cordon deployments in one database
/// (as the tests run) elect their leaders apart.
public final class PostgresLeadership: Leadership, Service {
    let store: PostgresStore
    let state = LeadershipState()
    /// The advisory lock's key.
    public let key: Int64
    /// How often a standby tries for the lock and the leader checks it still holds it.
    public let checkInterval: Duration
    let logger: Logger

    /// Creates the election; nothing happens before ``run()``.
    public init(store: PostgresStore, checkInterval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.checkInterval = checkInterval
        self.logger = logger
        key = Self.lockKey(for: store.configuration)
    }

    public var isLeader: Bool { state.isLeader }

    public func changes() -> AsyncStream<Bool> { state.changes() }

    /// Campaigns until graceful shutdown or cancellation, then steps down.
    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.holdLockWhileAlive()
                } catch is CancellationError {
                    break
                } catch {
                    self.logger.warning("cannot lead", metadata: ["reason": "\(error)"])
                }
                if self.state.set(false) { self.logger.notice("standing by") }
                do { try await Task.sleep(for: self.checkInterval) } catch { break }
            }
        }
        state.finish()
    }

    /// Takes the lock if it is free and holds it while the connection answers; returns at once if another
    /// node holds it.
    private func holdLockWhileAlive() async throws {
        let key = key
        let interval = checkInterval
        let logger = logger
        try await store.client.withConnection { connection in
            let taken =
                try await connection.run("SELECT pg_try_advisory_lock(\(key))", logger: logger)
                .collect().first?.decode(Bool.self) ?? false
            guard taken else { return }
            if self.state.set(true) { logger.notice("leading", metadata: ["lock": "\(key)"]) }
            do {
                while true {
                    try await Task.sleep(for: interval)
                    try await Self.ping(connection, within: interval, logger: logger)
                }
            } catch {
                // Cancelled (shutdown) or the connection failed: step down first, then try to unlock
                // politely; a dead session has let the lock go already.
                self.state.set(false)
                if !(error is CancellationError) {
                    logger.warning("lost leadership", metadata: ["reason": "\(error)"])
                }
                // Stopping is cancellation, under which the unlock may not be sent: the connection then
                // goes, and its session's lock with it, rather than back to the pool still holding it
                // (a server started again on the same store would otherwise stand by behind itself).
                let unlocked = try? await connection.run("SELECT pg_advisory_unlock(\(key))", logger: logger)
                    .collect()
                if unlocked == nil { try? await connection.close() }
                throw error
            }
        }
    }

    /// Asks for nothing on the lock's connection, failing when no answer comes within `limit`.
    static func ping(_ connection: PostgresConnection, within limit: Duration, logger: Logger) async throws {
        // A query written on a connection the server has already closed (a terminated session) is never
        // answered nor failed by the driver: ask whether it is closed first.
        guard !connection.isClosed else { throw PostgresLeadershipError.closed }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try await connection.run("SELECT 1", logger: logger).collect()
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                // A query on a connection that went dead without a word may never answer, nor end when
                // cancelled: closing the connection ends it.
                try? await connection.close()
                return false
            }
            let answered = try await group.next() ?? false
            group.cancelAll()
            if !answered { throw PostgresLeadershipError.noAnswer(limit) }
        }
    }

    /// A 64-bit FNV-1a hash of the database and schema: one key per deployment.
    static func lockKey(for configuration: PostgresStore.Configuration) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "cordon.leader/\(configuration.database)/\(configuration.schema ?? "public")".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}

/// Why a leader stepped down.
enum PostgresLeadershipError: Error, CustomStringConvertible {
    case noAnswer(Duration)
    case closed

    var description: String {
        switch self {
        case .closed: "the lock's connection was closed"
        case .noAnswer(let limit): "the database did not answer on the lock's connection within \(limit)"
        }
    }
}

public import CordonStore
public import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// The ``Store`` for several nodes: one PostgreSQL database reached through postgres-nio's `PostgresClient`.
///
/// The store is a `Service`: ``run()`` runs the client's connection pool, and no query is answered
/// before it runs. Put the store first in a service group so that it stops last.
///
/// Each method is one transaction on one leased connection. Every write begins by locking the audit
/// head's row (`SELECT … FOR UPDATE`), so writers from every node are serialised in the database the
/// way SQLite's single writer serialises them in one process: the audit log stays one hash chain with
/// no gap and no fork, and a write's condition is checked against what the last committed write left.
/// Reads that return more than one value run in one `REPEATABLE READ` snapshot.
///
/// Times come from the clock given to ``init(configuration:now:logger:)``, read after the lock, so the
/// audit log's times follow its sequence on one node. Driver errors become ``StoreError`` codes: a lost
/// or refused connection is `unavailable`, and since a transaction that did not commit changed nothing,
/// a write that failed that way may be retried whole.
public final class PostgresStore: Store, Service {
    /// The connection pool.
    let client: PostgresClient
    /// Where the store lives, its password masked when printed.
    public let configuration: Configuration
    /// The clock that stamps documents and audit records.
    let now: @Sendable () -> Date
    let logger: Logger

    /// Prepares a store; nothing is connected until ``run()`` runs.
    ///
    /// - Parameters:
    ///   - configuration: the server, the account, the database and the schema.
    ///   - now: the clock that stamps documents and audit records; the wall clock by default.
    ///   - logger: where connection trouble is reported (never with the password).
    public init(
        configuration: Configuration,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "cordon.postgres")
    ) {
        self.configuration = configuration
        self.now = now
        self.logger = logger
        // The pool reports every failed connection attempt; the store says once what is wrong instead.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: poolLogger)
    }

    /// Runs the connection pool until cancelled or until graceful shutdown reaches the store.
    public func run() async {
        await client.run()
    }

    /// Waits until the database answers, trying again with back-off (0.25 s doubling to 5 s).
    ///
    /// Each failed attempt is logged once with the reason, never with the password.
    ///
    /// - Parameter timeout: how long to keep trying.
    /// - Throws: ``StoreError`` `unavailable` naming the last reason when `timeout` passes.
    public func waitUntilReachable(timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var delay = Duration.milliseconds(250)
        while true {
            do {
                let remaining = deadline - clock.now
                _ = try await session("reaching the database", waitingAtMost: max(remaining, .milliseconds(100))) {
                    connection in try await connection.run("SELECT 1", logger: self.logger).collect()
                }
                return
            } catch let error as StoreError where error.code == .unavailable {
                let reason = Self.reason(error)
                guard clock.now.advanced(by: delay) < deadline else {
                    throw StoreError(
                        .unavailable,
                        "the database at \(configuration.redacted) cannot be reached: \(reason)",
                        underlying: error.underlying
                    )
                }
                logger.warning(
                    "the database cannot be reached; trying again",
                    metadata: ["database": "\(configuration.redacted)", "reason": "\(reason)", "retry_in": "\(delay)"]
                )
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Asks the database for nothing and measures the answer's time.
    ///
    /// - Throws: ``StoreError`` `unavailable` when it does not answer.
    public func roundTrip() async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await session("reaching the database") { connection in
            try await connection.run("SELECT 1", logger: self.logger).collect()
        }
        return clock.now - start
    }

    /// A short reason for an error, safe to log: the driver's code and the server's message, never a value.
    static func reason(_ error: StoreError) -> String {
        error.underlying.map { "\($0)" } ?? error.message
    }

    // MARK: Transactions

    /// Runs `body` on one leased connection, outside a transaction (one statement, or the migrations' own).
    ///
    /// A connection that cannot be had within ``Configuration/connectionWaitTimeout`` (the database is
    /// down, or every connection is busy) fails the call as `unavailable` instead of letting it wait.
    func session<T: Sendable>(
        _ activity: String,
        waitingAtMost limit: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let lease = LeaseFlag()
        let timeout = min(limit ?? configuration.connectionWaitTimeout, configuration.connectionWaitTimeout)
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        lease.markLeased()
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    if lease.isLeased { return nil }
                    throw StoreError(.unavailable, "no connection to the database within \(timeout) while \(activity)")
                }
                while let result = try await group.next() {
                    if let result {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
        } catch {
            throw StoreError.translating(error, while: activity)
        }
    }

    /// Runs `body` in one read-only snapshot.
    func read<T: Sendable>(
        _ activity: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await transaction(activity, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Runs `body` in one write transaction after locking the audit head, committed only if it returns.
    ///
    /// `body` receives the head as it was locked (the sequence and hash the next record follows) with the
    /// list version read in the same round trip.
    func write<T: Sendable>(
        _ activity: String,
        _ body: @escaping @Sendable (PostgresConnection, ChainPosition) async throws -> T
    ) async throws -> T {
        try await transaction(activity, begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { connection in
            let head = try await Self.lockAuditHead(connection, logger: self.logger)
            return try await body(connection, head)
        }
    }

    private func transaction<T: Sendable>(
        _ activity: String,
        begin: PostgresQuery,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await session(activity) { connection in
            try await connection.run(begin, logger: self.logger)
            let result: T
            do {
                result = try await body(connection)
            } catch {
                // A failed rollback leaves the connection broken; the pool then closes it, and the
                // server rolls the transaction back itself.
                _ = try? await connection.run("ROLLBACK", logger: self.logger)
                throw error
            }
            try await connection.run("COMMIT", logger: self.logger)
            return result
        }
    }
}

/// Whether a session's connection was leased: read by the session's timeout.
private final class LeaseFlag: Sendable {
    private let leased = Mutex(false)

    func markLeased() { leased.withLock { $0 = true } }

    var isLeased: Bool { leased.withLock { $0 } }
}

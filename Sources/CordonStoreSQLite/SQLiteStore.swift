public import CordonStore
public import Foundation
import GRDB

/// The embedded ``Store``: one SQLite file in WAL mode, reached through one GRDB `DatabasePool`.
///
/// Each method is one transaction run through GRDB's `async` `read` or `write`, so no caller ever
/// holds a transaction and the cooperative thread pool is never blocked. Writes are serialised by the
/// pool's single writer connection and committed with `PRAGMA synchronous = FULL`: a write that
/// returns survives a crash of the process or of the machine.
///
/// Every write appends its audit record in the same transaction, stamped with the time of the clock
/// given to ``init(path:now:)``, so tests control time. Driver errors are translated into
/// ``StoreError`` codes; the `DatabaseError` is kept only in ``StoreError/underlying``.
///
/// Open one store per file for the whole process: a second pool on the same file from the same
/// process would defeat GRDB's concurrency guarantees.
public final class SQLiteStore: Store {
    /// The pool: one writer, several readers, all on `path`.
    let pool: DatabasePool
    /// The clock that stamps documents and audit records.
    let now: @Sendable () -> Date
    /// The file the store lives in.
    public let path: String

    /// Opens (creating if needed) the database at `path`. Call ``migrate()`` before anything else.
    ///
    /// - Parameters:
    ///   - path: the database file. Its `-wal` and `-shm` companions live beside it.
    ///   - now: the clock that stamps documents and audit records; the wall clock by default.
    /// - Throws: ``StoreError`` `unavailable` when the file cannot be opened.
    public init(path: String, now: @escaping @Sendable () -> Date = { Date() }) throws {
        var configuration = GRDB.Configuration()
        configuration.foreignKeysEnabled = true
        // Another process (`cordon user add` beside a running server) may hold the write lock briefly.
        configuration.busyMode = .timeout(5)
        configuration.label = "cordon"
        configuration.prepareDatabase { db in
            // Every commit reaches the disk before the write returns: acknowledged writes survive kill -9.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        // Only the owner reads the case data: the file is made 0600 before SQLite opens it, and SQLite
        // gives its -wal and -shm companions the mode of the database file.
        Self.restrictToOwner(path)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.translating(error, while: "opening the database")
        }
        for companion in ["", "-wal", "-shm"] { Self.restrictToOwner(path + companion, create: false) }
        self.path = path
        self.now = now
    }

    /// Makes `path` readable and writable by its owner only (0600), creating it empty when asked and
    /// missing. A path that cannot be changed (not ours, a special file) is left to SQLite to judge.
    static func restrictToOwner(_ path: String, create: Bool = true) {
        let files = FileManager.default
        if !files.fileExists(atPath: path) {
            guard create, path != ":memory:", !path.isEmpty else { return }
            _ = files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            return
        }
        try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// Creates or upgrades the schema with the registered migrations (`v1`, ...). Safe to call on every start.
    ///
    /// - Throws: ``StoreError`` `incompatible` when a newer Cordon has migrated the file (nothing is changed
    ///   then), or another code when a migration fails; the database is left as it was before that migration.
    public func migrate() async throws {
        let migrator = Self.migrator
        let superseded = try await read("reading the applied migrations") { db in try migrator.hasBeenSuperseded(db) }
        if superseded {
            throw StoreError(
                .incompatible,
                "the database's schema is newer than this Cordon (it has migrations this binary does not know): upgrade Cordon"
            )
        }
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                migrator.asyncMigrate(pool) { result in
                    switch result {
                    case .success: continuation.resume()
                    case .failure(let error): continuation.resume(throwing: error)
                    }
                }
            }
        } catch {
            throw StoreError.translating(error, while: "migrating the database")
        }
    }

    /// The identifiers of the migrations applied to the file, in order (for tests and diagnostics).
    public func appliedMigrations() async throws -> [String] {
        let migrator = Self.migrator
        return try await read("reading the applied migrations") { db in try migrator.appliedMigrations(db) }
    }

    // MARK: Transactions

    /// Runs `body` in one read transaction (a snapshot), translating errors.
    func read<T: Sendable>(_ activity: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.translating(error, while: activity)
        }
    }

    /// Runs `body` in one immediate write transaction, committed only if it returns, translating errors.
    func write<T: Sendable>(_ activity: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.translating(error, while: activity)
        }
    }
}

import CordonCore
import CordonStore
import CordonStorePostgres
import CordonStoreSQLite
import Foundation
import Logging

/// Where a command's store lives: a SQLite file (the embedded default) or a PostgreSQL database.
///
/// Read from `--database`, else from the environment's `CORDON_DATABASE_URL`, else the command's
/// default file. A value starting `postgresql://` or `postgres://` is a PostgreSQL database; anything
/// else is a file path. Giving the URL by environment keeps its password out of `ps`; ``description``
/// never shows the password.
enum DatabaseLocation: CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresStore.Configuration)

    /// The environment variable read when `--database` is not given.
    static let environmentKey = "CORDON_DATABASE_URL"

    /// Reads the option, then the environment, then the default.
    ///
    /// - Throws: ``ValidationFailure`` at `database` when a PostgreSQL URL is malformed.
    init(
        option: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        default defaultPath: @autoclosure () -> String
    ) throws {
        let text = option ?? environment[Self.environmentKey].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath()
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://") {
            self = .postgres(try PostgresStore.Configuration(url: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The file, or the URL without its password.
    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let configuration): configuration.redacted
        }
    }

    /// The default folder of headquarters' keys: beside the file, or `cordon.keys` for a database.
    var defaultKeysFolder: String {
        switch self {
        case .sqlite(let path): path + ".keys"
        case .postgres: "cordon.keys"
        }
    }

    /// Opens the store, migrates it, and runs `body` with it; a PostgreSQL store's connections run while
    /// `body` runs and are closed after.
    ///
    /// - Parameter reachWithin: how long to keep trying a database that does not answer, logging why.
    /// - Throws: ``StoreError`` when the store cannot be opened, reached or migrated; what `body` throws.
    func withStore<T>(
        logger: Logger,
        reachWithin: Duration = .seconds(30),
        _ body: (any Store) async throws -> T
    ) async throws -> T {
        switch self {
        case .sqlite(let path):
            let store = try SQLiteStore(path: path)
            try await store.migrate()
            return try await body(store)
        case .postgres(let configuration):
            let store = PostgresStore(configuration: configuration, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                defer { group.cancelAll() }
                try await store.waitUntilReachable(timeout: reachWithin)
                try await store.migrate()
                return try await body(store)
            }
        }
    }
}

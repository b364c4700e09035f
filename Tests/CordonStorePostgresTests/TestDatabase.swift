import CordonStore
import CordonTesting
import Foundation
import PostgresNIO
import Testing

@testable import CordonStorePostgres

/// The PostgreSQL server the tests use, named by `CORDON_TEST_POSTGRES_URL` (`scripts/test` starts one),
/// and a fresh schema in it for each store a test opens.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["CORDON_TEST_POSTGRES_URL"]

    /// Why the suites do not run without it.
    static let missing = "CORDON_TEST_POSTGRES_URL names no PostgreSQL server (scripts/test starts one)"

    /// The server's configuration with a schema of its own, so tests running at once never meet.
    static func freshConfiguration() throws -> PostgresStore.Configuration {
        var configuration = try PostgresStore.Configuration(url: try #require(url))
        configuration.schema = "cordon_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        configuration.maximumConnections = 4
        // The whole suite runs at once on two cores: a connection may wait for a thread for seconds.
        configuration.connectionWaitTimeout = .seconds(30)
        return configuration
    }

    /// Runs `body` with a migrated store on a fresh schema, then drops the schema.
    static func withStore<T: Sendable>(
        clock: ManualClock = ManualClock(),
        configuration: PostgresStore.Configuration? = nil,
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let store = PostgresStore(configuration: try configuration ?? freshConfiguration(), now: clock.now)
        return try await withRunningServices([store]) {
            do {
                try await store.migrate()
                let result = try await body(store)
                try await dropSchema(of: store)
                return result
            } catch {
                try? await dropSchema(of: store)
                throw error
            }
        }
    }

    /// Removes the store's schema and everything in it.
    static func dropSchema(of store: PostgresStore) async throws {
        guard let schema = store.configuration.schema else { return }
        _ = try await store.session("dropping a test schema") { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"),
                logger: store.logger
            )
        }
    }

    /// Runs one statement as the test's own, outside the store's API.
    @discardableResult
    static func execute(_ store: PostgresStore, _ sql: String) async throws -> [PostgresRow] {
        try await store.session("running a test statement") { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: store.logger).collect()
        }
    }
}

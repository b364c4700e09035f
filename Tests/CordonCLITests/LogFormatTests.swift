import Foundation
import Testing

@Suite(.serialized, .timeLimit(.minutes(5))) struct LogFormatTests {
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
        #expect(lines.contains("port = 9090 (--port)"))
        #expect(lines.contains("node = hq-2 (--node)"))
        #expect(lines.contains("keys = cordon.keys (default)"))
        #expect(!run.standardOutput.contains("hunter2"))
        let local = try await CordonProcess.run(["serve", "--print-config", "--database", "night.sqlite"])
        #expect(local.standardOutput.contains("database = night.sqlite (--database)"))
        #expect(local.standardOutput.contains("keys = night.sqlite.keys (default)"))
    }

    /// Flags, then the environment, then the file; every mistake named with where it was made.
    @Test func aConfigurationFileGivesWhatFlagsAndEnvironmentLeaveOut() async throws {
        let folder = try TemporaryFolder()
        let file = try folder.file(
            "cordon.json",
            contents: Data(
                """
                {"port": 9191, "node": "hq-file", "resend_after": 15, "threshold": 0.97,
                 "database": "postgresql://cordon:in-the-file@db.example:5432/cordon"}
                """.utf8
            )
        )
        let run = try await CordonProcess.run(
            ["serve", "--print-config", "--config", file, "--node", "hq-flag"],
            environment: ["CORDON_PORT": "7000"]
        )
        #expect(run.status == 0, "\(run.standardError)")
        let lines = Set(run.standardOutput.split(separator: "\n").map(String.init))
        #expect(lines.contains("node = hq-flag (--node)"))
        #expect(lines.contains("port = 7000 (CORDON_PORT)"))
        #expect(lines.contains("resend-after = 15 s (\(file))"))
        #expect(lines.contains("threshold = 0.97 (\(file))"))
        #expect(lines.contains("escalate-after = 60 s (default)"))
        #expect(lines.contains("database = postgresql://cordon:***@db.example:5432/cordon (\(file))"))
        #expect(!run.standardOutput.contains("in-the-file"))
        // The same by CORDON_CONFIG.
        let byEnvironment = try await CordonProcess.run(
            ["serve", "--print-config"],
            environment: ["CORDON_CONFIG": file]
        )
        #expect(byEnvironment.standardOutput.contains("node = hq-file (\(file))"))

        for (contents, message) in [
            (#"{"port": "eighty"}"#, "port must be a whole number"),
            (#"{"port": 99999}"#, "port must be from 0 to 65535, not 99999"),
            (#"{"prot": 8080}"#, "'prot' is not a setting"),
            ("port = 8080", "is not a JSON object of settings"),
        ] {
            let bad = try folder.file("bad-\(UUID().uuidString).json", contents: Data(contents.utf8))
            let refused = try await CordonProcess.run(["serve", "--print-config", "--config", bad])
            #expect(refused.status == 2)
            #expect(refused.standardError.contains(message), "\(refused.standardError)")
            #expect(refused.standardError.split(separator: "\n").count == 1)
        }
        let missing = try await CordonProcess.run(["serve", "--config", folder.path("none.json")])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("no configuration file"))
        let badVariable = try await CordonProcess.run(["serve", "--print-config"], environment: ["CORDON_PORT": "x"])
        #expect(badVariable.standardError.contains("CORDON_PORT must be a whole number"))
    }
}

@Suite struct ListThresholdSettingTests {
    @Test func listThresholdsComeFromFlagsOrTheEnvironment() async throws {
        let run = try await CordonProcess.run(
            ["serve", "--print-config", "--list-threshold", "tonight=0.8", "--list-threshold", "general=0.97"]
        )
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("list-thresholds = general=0.97,tonight=0.8 (--list-threshold)"))
        let byEnvironment = try await CordonProcess.run(
            ["serve", "--print-config"],
            environment: ["CORDON_LIST_THRESHOLDS": "tonight=0.85"]
        )
        #expect(byEnvironment.standardOutput.contains("list-thresholds = tonight=0.85 (CORDON_LIST_THRESHOLDS)"))
    }

    @Test(arguments: [
        ("tonight=1.5", "for tonight must be more than 0 and at most 1"),
        ("tonight=0", "for tonight must be more than 0 and at most 1"),
        ("no spaces=0.9", "no spaces is not a list name"),
        ("tonight", "takes NAME=T"),
    ])
    func aBadListThresholdIsRefusedInOneLine(value: String, message: String) async throws {
        let run = try await CordonProcess.run(["serve", "--print-config", "--list-threshold", value])
        #expect(run.status == 2)
        #expect(run.standardError.contains("--list-threshold"), "\(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(run.standardError.split(separator: "\n").count == 1)
    }
}

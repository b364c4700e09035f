import Foundation
import Testing

/// `cordon checkpoint station` refuses what it cannot run with, in one line and an exit code, before it
/// opens anything for the officers. (The station running against a real server, in a browser, is
/// scripts/check_station.py.)
@Suite struct CheckpointStationCommandTests {
    @Test(arguments: [
        (["--server", "ftp://x"], "--server must be http"),
        (["--server", "http://127.0.0.1:8080"], "give --token or set CORDON_TOKEN"),
        (["--server", "http://127.0.0.1:8080", "--token", "t", "--port", "70000"], "--port must be from 0 to 65535"),
        (["--server", "http://127.0.0.1:8080", "--token", "t", "--sync-every", "1"], "--sync-every must be from 5"),
        (["--server", "http://127.0.0.1:8080", "--token", "t", "--zone", "Mars/Olympus"], "is not a time zone"),
        (["--server", "http://127.0.0.1:8080", "--token", "t", "--checkpoint", "Not An Id"], "is not an identifier"),
    ])
    func badOptionsAreRefusedInOneLine(options: [String], message: String) async throws {
        let folder = try TemporaryFolder()
        let result = try await CordonProcess.run(
            ["checkpoint", "station", "--store", folder.path("cp")] + options,
            environment: ["CORDON_TOKEN": ""]
        )
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func aCopyWithoutARootOrCheckpointIsRefused() async throws {
        let folder = try TemporaryFolder()
        let base = [
            "checkpoint", "station", "--store", folder.path("cp"), "--server", "http://127.0.0.1:9", "--token", "t",
        ]
        var result = try await CordonProcess.run(base)
        #expect(result.status == 2 && result.standardError.contains("no checkpoint id"), "\(result.standardError)")
        result = try await CordonProcess.run(base + ["--checkpoint", "cp-air-dushanbe"])
        #expect(result.status == 2 && result.standardError.contains("no trusted root yet"), "\(result.standardError)")
        result = try await CordonProcess.run(base + ["--root", folder.path("missing.json")])
        #expect(result.status == 2 && result.standardError.contains("cannot read the root metadata"))
    }
}

import Foundation
import Testing

/// `cordon credential` against a real `cordon serve --demo`: issued online, revoked, the revocation
/// carried to a checkpoint's state with the next alert, and verified offline once the server is gone.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CredentialCommandTests {
    @Test func issuedOnlineAndVerifiedOfflineAfterTheServerIsGone() async throws {
        let folder = try TemporaryFolder()
        let server = try ServerProcess(database: folder.path("demo.sqlite"), extra: ["--demo"])
        var isRunning = true
        defer { if isRunning { server.kill(SIGTERM) } }
        let commander = try await CheckpointListenTests.token(server, "demo-commander")
        let officer = try await CheckpointListenTests.token(server, "demo-checkpoint-officer")
        let base = "http://127.0.0.1:\(server.port)"

        let issue = try await CordonProcess.run([
            "credential", "issue", "--server", base, "--token", commander, "--staff", "st-ward-qodirov-sorbon",
            "--valid-days", "30",
        ])
        #expect(issue.status == 0, "\(issue.standardError)")
        let token = issue.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("CDC1."))
        #expect(token.utf8.count < 300, "\(token.utf8.count) characters")
        let idRange = try #require(issue.standardError.range(of: #"cr-[0-9a-f]{12}"#, options: .regularExpression))
        let id = String(issue.standardError[idRange])

        let photo = try folder.file("photo.jpg", contents: Data("not really a photo".utf8))
        let explicit = try await CordonProcess.run([
            "credential", "issue", "--server", base, "--token", commander, "--name", "Rahimov Jamshed",
            "--service-number", "MVD-1201", "--unit", "Dushanbe east road post", "--role", "checkpoint_officer",
            "--photo", photo,
        ])
        #expect(explicit.status == 0, "\(explicit.standardError)")
        let officerToken = explicit.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)

        let online = try await CordonProcess.run(["credential", "verify", token, "--server", base, "--token", officer])
        #expect(online.status == 0, "\(online.standardOutput) \(online.standardError)")
        #expect(online.standardOutput.hasPrefix("VALID"))
        #expect(online.standardOutput.contains("Қодиров Сорбон Аминович"))
        #expect(online.standardOutput.contains("GK-08154"))

        let (_, keys) = try await server.call("GET", "/v1/credentials/keys", token: officer)
        let key = try #require(
            (((keys as? [String: Any])?["keys"] as? [[String: Any]])?.first)?["public_key"] as? String
        )
        let keyFile = try folder.file("keys.json", contents: try JSONSerialization.data(withJSONObject: keys!))

        let revoke = try await CordonProcess.run([
            "credential", "revoke", id, "--server", base, "--token", commander, "--reason", "uniform taken",
        ])
        #expect(revoke.status == 0, "\(revoke.standardError)")
        #expect(revoke.standardOutput.contains("revoked \(id)"))
        let unknown = try await CordonProcess.run([
            "credential", "revoke", "cr-000000000000", "--server", base, "--token", commander, "--reason", "x",
        ])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("404"))

        // The revocation reaches the checkpoint with its next alert and stays in its state file.
        let sent = try await CheckpointListenTests.lastSequence(server, token: commander, checkpoint: "cp-air-dushanbe")
        _ = try await CheckpointListenTests.compose(server, token: commander, headline: "Guards' passes revoked")
        let state = folder.path("state")
        let listen = try await CordonProcess.run([
            "checkpoint", "listen", "--server", base, "--token", officer, "--checkpoint", "cp-air-dushanbe",
            "--state", state, "--count", "1", "--seconds", "60",
        ])
        #expect(listen.status == 0, "\(listen.standardError)")
        #expect(listen.standardOutput.contains("revoked credentials: \(id)"))
        let kept = try String(contentsOfFile: state, encoding: .utf8)
        #expect(kept.hasPrefix("\(sent + 1)\n"))
        #expect(kept.contains(id))

        server.kill(SIGTERM)
        isRunning = false

        let offline = try await CordonProcess.run(["credential", "verify", token, "--key", key])
        #expect(offline.status == 0, "\(offline.standardOutput) \(offline.standardError)")
        #expect(offline.standardOutput.hasPrefix("VALID"))
        let refused = try await CordonProcess.run(["credential", "verify", token, "--key", key, "--revoked", state])
        #expect(refused.status == 1)
        #expect(refused.standardOutput.hasPrefix("INVALID (revoked)"), "\(refused.standardOutput)")
        #expect(refused.standardOutput.contains("Қодиров Сорбон Аминович (as the token claims"))
        let fromFile = try await CordonProcess.run([
            "credential", "verify", officerToken, "--key-file", keyFile, "--json",
        ])
        #expect(fromFile.status == 0, "\(fromFile.standardOutput) \(fromFile.standardError)")
        let verdict = try JSONSerialization.jsonObject(with: Data(fromFile.standardOutput.utf8)) as? [String: Any]
        #expect(verdict?["status"] as? String == "valid")
        #expect((verdict?["credential"] as? [String: Any])?["photo_sha256"] as? String != nil)
        let late = try await CordonProcess.run([
            "credential", "verify", token, "--key", key, "--at", "2099-01-01T00:00:00Z",
        ])
        #expect(late.status == 1)
        #expect(late.standardOutput.hasPrefix("INVALID (expired)"))
        var altered = Array(token.utf8)
        altered[40] = altered[40] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let forged = try await CordonProcess.run([
            "credential", "verify", String(decoding: altered, as: UTF8.self), "--key", key,
        ])
        #expect(forged.status == 1)

        // Usage and I/O errors: 2.
        #expect(try await CordonProcess.run(["credential", "verify", token]).status == 2)
        #expect(try await CordonProcess.run(["credential", "verify", token, "--key", "abcd"]).status == 2)
        #expect(
            try await CordonProcess.run(["credential", "verify", token, "--key", key, "--at", "yesterday"]).status == 2
        )
        let gone = try await CordonProcess.run(["credential", "verify", token, "--server", base, "--token", officer])
        #expect(gone.status == 2)
        #expect(gone.standardError.contains("cannot reach"))
    }
}

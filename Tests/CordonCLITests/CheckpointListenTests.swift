import Foundation
import Testing

/// `cordon checkpoint listen` against a real `cordon serve --demo`: receives what it missed, in order,
/// acknowledges it, remembers what it saw, and says why when the server refuses it.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CheckpointListenTests {
    static func password(_ username: String, in output: String) throws -> String {
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, fields[0] == username { return String(fields[1]) }
        }
        throw TestError("no password for \(username) in: \(output)")
    }

    /// Signs in at `server` with the demo password `printer` printed (by default, the server itself).
    static func token(
        _ server: ServerProcess,
        _ username: String,
        printedBy printer: ServerProcess? = nil
    )
        async throws -> String
    {
        let printer = printer ?? server
        // The demo prints its accounts once its night has been played up to the moment.
        let deadline = Date().addingTimeInterval(120)
        var output = printer.standardOutput
        while (try? password(username, in: output)) == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            output = printer.standardOutput
        }
        let (status, body) = try await server.call(
            "POST",
            "/v1/auth/token",
            json: ["username": username, "password": try password(username, in: output)]
        )
        guard status == 201, let token = (body as? [String: Any])?["token"] as? String else {
            throw TestError("sign-in of \(username) answered \(status)")
        }
        return token
    }

    /// The escape the demo's commander declared (Cordon raised it as a missed check-in).
    static func escape(_ server: ServerProcess, token: String) async throws -> String {
        let (_, body) = try await server.call("GET", "/v1/incidents?limit=100", token: token)
        let items = (body as? [String: Any])?["items"] as? [[String: Any]] ?? []
        guard let id = items.first(where: { $0["kind"] as? String == "escape" })?["id"] as? String else {
            throw TestError("the demo has no escape: \(String(describing: body))")
        }
        return id
    }

    /// The last place taken in a checkpoint's outbox: the demo's night has already sent it its alerts.
    static func lastSequence(_ server: ServerProcess, token: String, checkpoint: String) async throws -> Int {
        let (_, body) = try await server.call("GET", "/v1/alerts", token: token)
        var last = 0
        for item in (body as? [String: Any])?["items"] as? [[String: Any]] ?? [] {
            guard let alert = (item["alert"] as? [String: Any])?["id"] as? String else { continue }
            let (_, deliveries) = try await server.call("GET", "/v1/alerts/\(alert)/deliveries", token: token)
            for delivery in (deliveries as? [String: Any])?["items"] as? [[String: Any]] ?? []
            where delivery["recipient"] as? String == "checkpoints/" + checkpoint {
                last = max(last, delivery["sequence"] as? Int ?? 0)
            }
        }
        return last
    }

    static func compose(_ server: ServerProcess, token: String, headline: String) async throws -> String {
        let incident = try await escape(server, token: token)
        let (status, body) = try await server.call(
            "POST",
            "/v1/incidents/\(incident)/alerts",
            token: token,
            json: ["kind": "be_on_lookout", "headline": headline, "targets": ["checkpoints": ["cp-air-dushanbe"]]]
        )
        guard status == 201, let alert = ((body as? [String: Any])?["alert"] as? [String: Any])?["id"] as? String else {
            throw TestError("composing answered \(status): \(String(describing: body))")
        }
        return alert
    }

    @Test func receivesWhatItMissedAcknowledgesAndRemembers() async throws {
        let folder = try TemporaryFolder()
        let server = try ServerProcess(database: folder.path("demo.sqlite"), extra: ["--demo"])
        defer { server.kill(SIGTERM) }
        let commander = try await Self.token(server, "demo-commander")
        let officer = try await Self.token(server, "demo-checkpoint-officer")
        // The demo's own alert is #1 or more at this checkpoint, acknowledged by its officer.
        let base = try await Self.lastSequence(server, token: commander, checkpoint: "cp-air-dushanbe")
        #expect(base >= 1)
        let first = try await Self.compose(server, token: commander, headline: "Twenty-five escaped from the ward")
        let second = try await Self.compose(server, token: commander, headline: "Four cars taken at the outer post")
        let state = folder.path("state")
        let common = [
            "checkpoint", "listen", "--server", "http://127.0.0.1:\(server.port)", "--token", officer,
            "--checkpoint", "cp-air-dushanbe", "--state", state, "--note", "read by officer 4471",
        ]

        let run = try await CordonProcess.run(common + ["--count", "2", "--seconds", "60"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        let alerts = lines.filter { $0.hasPrefix("#") }
        #expect(alerts.count == 2, "\(run.standardOutput)")
        #expect(alerts.first?.hasPrefix("#\(base + 1) BE_ON_LOOKOUT") == true)
        #expect(alerts.first?.contains("Twenty-five escaped from the ward") == true)
        #expect(alerts.last?.hasPrefix("#\(base + 2) ") == true)
        #expect(lines.contains { $0.contains("acknowledged \(first)") })
        #expect(lines.contains { $0.contains("acknowledged \(second)") })
        #expect(
            try String(contentsOfFile: state, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(base + 2)"
        )
        let (status, body) = try await server.call("GET", "/v1/alerts/\(first)/deliveries", token: commander)
        #expect(status == 200)
        let item = ((body as? [String: Any])?["items"] as? [[String: Any]])?.first
        #expect(item?["state"] as? String == "acknowledged")
        #expect(item?["acknowledged_by"] as? String == "demo-checkpoint-officer")

        // Run again: nothing new, nothing printed twice.
        let quiet = try await CordonProcess.run(common + ["--count", "1", "--seconds", "2"])
        #expect(quiet.status == 0, "\(quiet.standardError)")
        #expect(!quiet.standardOutput.contains("#"), "\(quiet.standardOutput)")

        // A third alert while it was away: only that one comes, next in order, in JSON.
        let third = try await Self.compose(server, token: commander, headline: "Seen on the Varzob road")
        let next = try await CordonProcess.run(common + ["--count", "1", "--seconds", "60", "--json"])
        #expect(next.status == 0, "\(next.standardError)")
        let frame =
            try JSONSerialization.jsonObject(
                with: Data((next.standardOutput.split(separator: "\n").first ?? "").utf8)
            ) as? [String: Any]
        #expect(frame?["sequence"] as? Int == base + 3)
        #expect((frame?["alert"] as? [String: Any])?["id"] as? String == third)
        #expect(((frame?["cap"] as? [String: Any])?["xml"] as? String)?.contains("<msgType>Alert</msgType>") == true)
    }

    @Test func aRefusedStreamIsAOneLineErrorAndBadOptionsAreRefused() async throws {
        let folder = try TemporaryFolder()
        let server = try ServerProcess(database: folder.path("demo.sqlite"), extra: ["--demo"])
        defer { server.kill(SIGTERM) }
        let base = ["checkpoint", "listen", "--server", "http://127.0.0.1:\(server.port)", "--seconds", "20"]
        let refused = try await CordonProcess.run(base + ["--token", "not-a-token", "--checkpoint", "cp-air-dushanbe"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("refused the stream: 401"), "\(refused.standardError)")
        let analyst = try await Self.token(server, "demo-analyst")
        let forbidden = try await CordonProcess.run(base + ["--token", analyst, "--checkpoint", "cp-air-dushanbe"])
        #expect(forbidden.status == 1)
        #expect(forbidden.standardError.contains("403"), "\(forbidden.standardError)")
        let officer = try await Self.token(server, "demo-checkpoint-officer")
        let nowhere = try await CordonProcess.run(base + ["--token", officer, "--checkpoint", "cp-nowhere"])
        #expect(nowhere.standardError.contains("404"), "\(nowhere.standardError)")
        let badURL = try await CordonProcess.run([
            "checkpoint", "listen", "--server", "ftp://x", "--token", "t", "--checkpoint", "a",
        ])
        #expect(badURL.status != 0)
        #expect(badURL.standardError.contains("--server"))
        let badState = try folder.file("state", contents: Data("many\n".utf8))
        let unreadable = try await CordonProcess.run(
            base + ["--token", officer, "--checkpoint", "cp-air-dushanbe", "--state", badState]
        )
        #expect(unreadable.status == 2)
        #expect(unreadable.standardError.contains("does not hold a sequence number"))
        let impatient = try await CordonProcess.run(["serve", "--port", "0", "--resend-after", "0"])
        #expect(impatient.status != 0)
        #expect(impatient.standardError.contains("--resend-after"))
    }
}

import Foundation
import Synchronization
import Testing

/// Audited screenings share group commits; none is answered before its record is on disk.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AuditBurstTests {
    @Test func everyAnsweredScreeningIsInTheAuditLogAfterKill9() async throws {
        let folder = try TemporaryFolder()
        let database = folder.url.appendingPathComponent("cordon.sqlite").path
        for (user, role) in [("chief", "commander"), ("reader", "auditor")] {
            let added = try await CordonProcess.run(
                ["user", "add", user, "--role", role, "--database", database],
                input: Data("a long pass phrase for \(user)\n".utf8)
            )
            #expect(added.status == 0, "\(added.standardError)")
        }
        func token(_ server: ServerProcess, _ user: String) async throws -> String {
            let (_, body) = try await server.call(
                "POST",
                "/v1/auth/token",
                json: ["username": user, "password": "a long pass phrase for \(user)"]
            )
            return try #require((body as? [String: Any])?["token"] as? String)
        }
        let server = try ServerProcess(database: database)
        let chief = try await token(server, "chief")
        // Thirty-two screeners at once, each name once; the server dies in the middle of it.
        let answered = Shared<[String]>([])
        let burst = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<32 {
                    group.addTask {
                        for index in stride(from: worker, to: 4000, by: 32) {
                            let name = "Burstov Query\(index)"
                            guard
                                let (status, _) = try? await server.call(
                                    "POST",
                                    "/v1/screen",
                                    token: chief,
                                    json: ["name": name]
                                )
                            else { return }
                            if status == 200 { answered.withLock { $0.append(name) } }
                        }
                    }
                }
            }
        }
        while answered.withLock({ $0.count }) < 300 { try await Task.sleep(for: .milliseconds(5)) }
        server.kill(SIGKILL)
        await burst.value
        let names = Set(answered.withLock { $0 })
        #expect(names.count >= 300)

        let restarted = try ServerProcess(database: database)
        defer { restarted.kill(SIGTERM) }
        let reader = try await token(restarted, "reader")
        var recorded: Set<String> = []
        var after = 0
        while true {
            let (status, body) = try await restarted.call("GET", "/v1/audit?after=\(after)&limit=1000", token: reader)
            #expect(status == 200)
            let page = body as? [String: Any] ?? [:]
            for record in page["records"] as? [[String: Any]] ?? [] {
                let queries = (record["details"] as? [String: Any])?["queries"] as? [[String: Any]] ?? []
                for query in queries { if let name = query["name"] as? String { recorded.insert(name) } }
            }
            guard let next = page["next_after"] as? Int else { break }
            after = next
        }
        let lost = names.subtracting(recorded)
        #expect(lost.isEmpty, "answered but not in the audit log: \(lost.sorted().prefix(5))")
        let verified = try await CordonProcess.run(["audit", "verify", "--database", database])
        #expect(verified.status == 0, "\(verified.standardOutput)\(verified.standardError)")
    }
}

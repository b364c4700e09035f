import CordonCheckpoint
import CordonEvents
import Foundation
import Synchronization
import Testing

/// Acknowledgements share group commits; none is answered before it is on disk.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AckBurstTests {
    @Test func everyAnsweredAcknowledgementIsStoredAfterKill9() async throws {
        let folder = try TemporaryFolder()
        let database = folder.path("demo.sqlite")
        // One account holds every checkpoint's stream here.
        let server = try ServerProcess(database: database, extra: ["--demo", "--streams-per-account", "200"])
        let commander = try await CheckpointListenTests.token(server, "demo-commander")
        let (_, list) = try await server.call("GET", "/v1/checkpoints?limit=500", token: commander)
        let checkpoints = ((list as? [String: Any])?["items"] as? [[String: Any]] ?? []).compactMap {
            $0["id"] as? String
        }
        #expect(checkpoints.count >= 50)

        // Every checkpoint connected and waiting; each acknowledges the alert the moment it arrives.
        let answered = Shared<Set<Answer>>([])
        let connected = Shared(0)
        let clients = Task {
            await withTaskGroup(of: Void.self) { group in
                for checkpoint in checkpoints {
                    group.addTask {
                        guard
                            let client = try? AlertStreamClient(
                                configuration: .init(
                                    server: "http://127.0.0.1:\(server.port)",
                                    path: "/v1/checkpoints/\(checkpoint)/stream",
                                    token: commander,
                                    automaticAcknowledgement: .some("read at the barrier")
                                )
                            )
                        else { return }
                        try? await client.run { event in
                            switch event {
                            case .connected:
                                connected.withLock { $0 += 1 }
                            case .acknowledged(let acknowledged, _):
                                answered.withLock { _ = $0.insert(Answer(alert: acknowledged, checkpoint: checkpoint)) }
                            case .connectionLost, .closed:
                                return .finish
                            default:
                                break
                            }
                            return .proceed
                        }
                    }
                }
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while connected.withLock({ $0 }) < checkpoints.count, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(connected.withLock { $0 } == checkpoints.count)
        let incident = try await CheckpointListenTests.escape(server, token: commander)
        // Connecting, each also took and acknowledged the alerts the demo's night had sent it; this one
        // goes to all at once.
        let (status, body) = try await server.call(
            "POST",
            "/v1/incidents/\(incident)/alerts",
            token: commander,
            json: ["kind": "be_on_lookout", "targets": ["checkpoints": checkpoints]]
        )
        let id = try #require(((body as? [String: Any])?["alert"] as? [String: Any])?["id"] as? String, "\(status)")
        // The server dies in the middle of the acknowledgements.
        while answered.withLock({ $0.count { $0.alert == id } }) < 5, Date() < deadline.addingTimeInterval(60) {
            try await Task.sleep(for: .milliseconds(1))
        }
        server.kill(SIGKILL)
        await clients.value
        let acknowledged = answered.withLock { $0 }
        #expect(acknowledged.count { $0.alert == id } >= 5)

        let restarted = try ServerProcess(database: database)
        defer { restarted.kill(SIGTERM) }
        let again = try await CheckpointListenTests.token(restarted, "demo-commander", printedBy: server)
        var lost: [Answer] = []
        for alert in Set(acknowledged.map(\.alert)) {
            let (status, deliveries) = try await restarted.call("GET", "/v1/alerts/\(alert)/deliveries", token: again)
            #expect(status == 200)
            let items = (deliveries as? [String: Any])?["items"] as? [[String: Any]] ?? []
            if alert == id { #expect(items.count == checkpoints.count) }
            let stored = Set(
                items.filter { $0["state"] as? String == "acknowledged" }.compactMap { $0["recipient"] as? String }
            )
            lost += acknowledged.filter { $0.alert == alert && !stored.contains("checkpoints/\($0.checkpoint)") }
        }
        #expect(lost.isEmpty, "answered as acknowledged but not stored so: \(lost.prefix(5))")
        let verified = try await CordonProcess.run(["audit", "verify", "--database", database])
        #expect(verified.status == 0, "\(verified.standardOutput)\(verified.standardError)")
    }

    struct Answer: Hashable, Sendable {
        let alert: String
        let checkpoint: String
    }
}

import CordonCore
import Foundation
import Testing

/// Every node of a deployment holds streams: an alert composed on one node reaches, and is acknowledged
/// by, checkpoints connected to each of the three, and every node sees the acknowledgements of all.
@Suite(
    .serialized,
    .enabled(if: TestPostgres.url != nil, "CORDON_TEST_POSTGRES_URL names no PostgreSQL server"),
    .timeLimit(.minutes(5))
)
struct ActiveNodesTests {
    static let checkpoints = ["cp-air-dushanbe", "cp-road-dushanbe-east", "cp-rail-vahdat"]

    /// Waits until a node holds `count` streams.
    static func streams(on node: ServerProcess, reach count: Int, within limit: TimeInterval) async throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            let (_, body) = try await node.call("GET", "/ready")
            if MultiNodeTests.json(body)["streams"] as? Int == count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestError("node on port \(node.port) did not hold \(count) streams within \(limit) s")
    }

    @Test func anAlertComposedOnOneNodeReachesTheStreamsOfAll() async throws {
        let folder = try TemporaryFolder()
        let database = try MultiNodeTests.freshDeployment()
        let nodes = try MultiNodeTests.threeNodes(in: folder, database: database)
        let first = nodes[0]
        defer { for node in nodes { node.kill(SIGTERM) } }
        let leader = try await MultiNodeTests.leader(among: nodes, within: 90)
        let commander = try await CheckpointListenTests.token(leader, "demo-commander", printedBy: first)
        let officer = try await CheckpointListenTests.token(leader, "demo-checkpoint-officer", printedBy: first)

        // The demo's night has sent each its alert already (#1, acknowledged by its officer).
        var sent: [String: Int] = [:]
        for checkpoint in Self.checkpoints {
            sent[checkpoint] = try await CheckpointListenTests.lastSequence(
                leader,
                token: commander,
                checkpoint: checkpoint
            )
        }
        // One checkpoint on each node, each given that node only.
        var listeners: [Task<CordonProcess.Result, any Error>] = []
        for (node, checkpoint) in zip(nodes, Self.checkpoints) {
            let arguments = [
                "checkpoint", "listen", "--server", "http://127.0.0.1:\(node.port)", "--token", officer,
                "--checkpoint", checkpoint, "--state", folder.path(checkpoint), "--count", "2", "--seconds", "90",
            ]
            listeners.append(Task { try await CordonProcess.run(arguments) })
        }
        for node in nodes { try await Self.streams(on: node, reach: 1, within: 30) }

        // Composed on a node that does not lead, and followed by an update composed on another.
        let composer = try #require(nodes.first { $0 !== leader })
        let incident = try await CheckpointListenTests.escape(composer, token: commander)
        let (composed, composedBody) = try await composer.call(
            "POST",
            "/v1/incidents/\(incident)/alerts",
            token: commander,
            json: ["kind": "be_on_lookout", "headline": "Escape", "targets": ["checkpoints": Self.checkpoints]]
        )
        #expect(composed == 201, "\(String(describing: composedBody))")
        let alert = try #require((MultiNodeTests.json(composedBody)["alert"] as? [String: Any])?["id"] as? String)
        let follower = try #require(nodes.first { $0 !== composer })
        var acknowledgedEverywhere = false
        let deadline = Date().addingTimeInterval(30)
        // Every node, not only the one that composed, sees every checkpoint acknowledge.
        while !acknowledgedEverywhere, Date() < deadline {
            acknowledgedEverywhere = true
            for node in nodes {
                let (_, body) = try await node.call("GET", "/v1/alerts/\(alert)", token: commander)
                let tally = MultiNodeTests.json(body)["tally"] as? [String: Int] ?? [:]
                if tally["acknowledged"] != 3 { acknowledgedEverywhere = false }
            }
            if !acknowledgedEverywhere { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(acknowledgedEverywhere)
        let (updated, updatedBody) = try await follower.call(
            "POST",
            "/v1/alerts/\(alert)/update",
            token: commander,
            json: ["headline": "Escape: four cars taken"]
        )
        #expect(updated == 201, "\(String(describing: updatedBody))")
        let update = try #require((MultiNodeTests.json(updatedBody)["alert"] as? [String: Any])?["id"] as? String)

        for (listener, checkpoint) in zip(listeners, Self.checkpoints) {
            let heard = try await listener.value
            #expect(heard.status == 0, "\(checkpoint): \(heard.standardError)")
            let alerts = heard.standardOutput.split(separator: "\n").filter { $0.hasPrefix("#") }
            #expect(alerts.count == 2, "\(checkpoint): \(heard.standardOutput)")
            let base = sent[checkpoint] ?? 0
            #expect(alerts.first?.hasPrefix("#\(base + 1) ") == true, "\(checkpoint): \(heard.standardOutput)")
            #expect(alerts.last?.hasPrefix("#\(base + 2) ") == true, "\(checkpoint): \(heard.standardOutput)")
            #expect(heard.standardOutput.contains("acknowledged \(alert)"))
            #expect(heard.standardOutput.contains("acknowledged \(update)"))
        }
        // The deliveries as stored, read on the node that composed neither.
        let reader = try #require(nodes.first { $0 !== composer && $0 !== follower })
        for id in [alert, update] {
            let (_, body) = try await reader.call("GET", "/v1/alerts/\(id)/deliveries", token: commander)
            let items = MultiNodeTests.json(body)["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["recipient"] as? String } == Self.checkpoints.sorted().map { "checkpoints/\($0)" })
            #expect(items.allSatisfy { $0["state"] as? String == "acknowledged" }, "\(items)")
            #expect(
                items.allSatisfy {
                    let checkpoint = ($0["recipient"] as? String ?? "").replacingOccurrences(
                        of: "checkpoints/",
                        with: ""
                    )
                    return $0["sequence"] as? Int == (sent[checkpoint] ?? 0) + (id == alert ? 1 : 2)
                },
                "\(items)"
            )
        }
        // A checkpoint's list sync given a node that does not lead, then the leader: turned away by the
        // first (503 not-leader), it syncs from the next at once.
        let root = try folder.file(
            "root.json",
            contents: try await CheckpointOfflineTests.raw(leader, "/v1/lists/tuf/1.root.json", token: officer)
        )
        let synced = try await CordonProcess.run([
            "checkpoint", "sync", "--server", "http://127.0.0.1:\(composer.port),http://127.0.0.1:\(leader.port)",
            "--token", officer, "--store", folder.path("copy"), "--root", root, "--checkpoint", "cp-air-dushanbe",
        ])
        #expect(synced.status == 0, "\(synced.standardError)")
        #expect(synced.standardOutput.contains("whole list"), "\(synced.standardOutput)")
        #expect(synced.standardError.contains("trying http://127.0.0.1:\(leader.port)"), "\(synced.standardError)")

        let verified = try await CordonProcess.run(["audit", "verify", "--database", database])
        #expect(verified.status == 0, "\(verified.standardOutput) \(verified.standardError)")
    }
}

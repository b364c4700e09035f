import CordonPublishing
import CordonStorePostgres
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The nodes of `cordon demo --nodes N`: that many `cordon demo-node` processes on one PostgreSQL
/// database, following the demo's clock. Once the escape is declared the leader is killed with SIGKILL,
/// and the time until another node leads is measured.
final class DemoCluster: Sendable {
    struct Node: Sendable {
        let name: String
        let process: Process
        let input: FileHandle
        let port: Int
        var base: String { "http://127.0.0.1:\(port)" }
    }

    /// What became of the deployment during the night.
    struct Outcome: Sendable {
        let nodes: Int
        let killedNode: String?
        let failoverSeconds: Double?
    }

    private struct State {
        var nodes: [Node] = []
        var killed: (name: String, at: ContinuousClock.Instant, survivors: [Node])?
        var failover: Double?
        var timed = false
    }

    let database: PostgresStore.Configuration
    let count: Int
    let keys: String
    let rate: Double
    private let state = Mutex(State())
    private let kills = AsyncStream<Void>.makeStream()

    init(database: PostgresStore.Configuration, nodes: Int, keys: String, rate: Double) {
        self.database = database
        self.count = nodes
        self.keys = keys
        self.rate = rate
    }

    /// Tells every node where the demo's clock stands.
    func broadcast(_ anchor: DemoClock.Anchor) {
        guard var line = try? JSONEncoder().encode(anchor) else { return }
        line.append(0x0A)
        for node in state.withLock({ $0.nodes }) { try? node.input.write(contentsOf: line) }
    }

    /// Starts the nodes, waits until each listens and one leads, and gives the stage: custody and sign-in
    /// on the leader, the commander on another node, each checkpoint knowing every node, its own first.
    func start(clock: DemoClock) async throws -> DemoStage {
        _ = try KeyRing(folder: keys)
        var nodes: [Node] = []
        for index in 1...count {
            let node = try await launch("n\(index)", clock: clock)
            nodes.append(node)
            state.withLock { $0.nodes = nodes }
            // Each node starts on the clock as it stands.
            broadcast(clock.anchor)
        }
        let leader = try await Self.leader(among: nodes, within: .seconds(30))
        guard let commander = nodes.first(where: { $0.name != leader.name }) else {
            throw DemoError("no node besides the leader")
        }
        let all = nodes
        var stage = DemoStage(
            leader: DemoHTTP(base: leader.base),
            command: DemoHTTP(base: commander.base),
            operationsPort: commander.port,
            servers: { index in
                let first = index % all.count
                return (all[first...] + all[..<first]).map(\.base)
            },
            declared: { self.kill(leader, survivors: all.filter { $0.name != leader.name }) }
        )
        // The survivors run until one of them has taken over, however soon the night ends.
        stage.settled = { await self.settle() }
        return stage
    }

    private func launch(_ name: String, clock: DemoClock) async throws -> Node {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["demo-node", "--node", name, "--keys", keys, "--rate", String(rate)]
        // The password goes by environment, never on a command line.
        var environment = ProcessInfo.processInfo.environment
        environment["CORDON_DATABASE_URL"] = database.url
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        // Reading a pipe blocks: on a thread of its own.
        let port = await withCheckedContinuation { (answer: CheckedContinuation<Int?, Never>) in
            Thread.detachNewThread {
                var buffer = Data()
                while !buffer.contains(0x0A) {
                    let chunk = reader.availableData
                    if chunk.isEmpty { return answer.resume(returning: nil) }
                    buffer.append(chunk)
                }
                let line = buffer.prefix { $0 != 0x0A }
                answer.resume(
                    returning: (try? JSONSerialization.jsonObject(with: line) as? [String: Any])?["port"] as? Int
                )
            }
        }
        guard let port else {
            process.terminate()
            throw DemoError("node \(name) did not start")
        }
        return Node(name: name, process: process, input: input.fileHandleForWriting, port: port)
    }

    static func leader(among nodes: [Node], within limit: Duration) async throws -> Node {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            for node in nodes {
                if let ready = try? await DemoHTTP(base: node.base).expect(200, "GET", "/ready"),
                    ready["engines"] as? String == "serving"
                {
                    return node
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DemoError("no node led within \(limit)")
    }

    /// Kills the leader without a word; ``timeTakeover()`` times the survivors' takeover.
    private func kill(_ leader: Node, survivors: [Node]) {
        let killedAt = ContinuousClock.now
        Glibc.kill(leader.process.processIdentifier, SIGKILL)
        state.withLock { $0.killed = (leader.name, killedAt, survivors) }
        kills.continuation.yield()
    }

    /// Waits for the leader's kill, then for another node to lead, and records how long that took. Run by
    /// the night beside its clients.
    func timeTakeover() async {
        for await _ in kills.stream { break }
        guard let killed = state.withLock({ $0.killed }) else { return }
        var seconds: Double?
        if (try? await Self.leader(among: killed.survivors, within: .seconds(30))) != nil {
            let elapsed = ContinuousClock.now - killed.at
            seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        state.withLock {
            $0.failover = seconds
            $0.timed = true
        }
    }

    /// Waits until the takeover after a kill has been timed (at most 35 s).
    func settle() async {
        let deadline = ContinuousClock.now + .seconds(35)
        while ContinuousClock.now < deadline, state.withLock({ $0.killed != nil && !$0.timed }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What happened: the nodes, the one killed and how long the others took to lead.
    func outcome() -> Outcome {
        state.withLock { Outcome(nodes: count, killedNode: $0.killed?.name, failoverSeconds: $0.failover) }
    }

    /// Stops every node still running.
    func stop() {
        for node in state.withLock({ $0.nodes }) where node.process.isRunning {
            node.process.terminate()
            node.process.waitUntilExit()
        }
    }
}

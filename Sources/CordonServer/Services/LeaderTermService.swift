import CordonEvents
import Logging
import ServiceLifecycle
import Synchronization

/// Whether this node's engines serve now: true from the moment a leader's term has restored them from
/// the store until the term ends. Read by ``StandbyMiddleware`` on every request.
public final class LeaderTerm: Sendable {
    private struct State {
        var isServing = false
        var needsRestore = true
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether the engines serve (this node leads and has restored them).
    public var isServing: Bool { state.withLock { $0.isServing } }

    /// The engines were restored at start-up while this node led: the first term serves at once.
    func startServing() {
        state.withLock { $0 = State(isServing: true, needsRestore: false) }
    }

    /// Marks a term's start; returns whether the engines must be restored first.
    func begin() -> Bool { state.withLock { $0.needsRestore } }

    func restored() { startServing() }

    /// Marks a term's end: the next one restores the engines again, since another node may have written meanwhile.
    func end() {
        state.withLock { $0 = State(isServing: false, needsRestore: true) }
    }
}

/// Runs the engines' work that must happen once in a deployment (the custody watch's timer, list
/// releases) only while this node leads; alert delivery runs on every node, and records escalations
/// only while it leads.
///
/// At the start of each term the engines are restored from the store (what another leader wrote is read
/// back: posts' deadlines and the misses already raised, the outboxes' escalations, the signed list),
/// then ``LeaderTerm`` serves and the engine services run. When leadership is lost the engine services
/// are cancelled, and they wind down as they do on shutdown. On graceful shutdown they wind down the same
/// way and the service ends.
struct LeaderTermService: Service {
    let leadership: any Leadership
    let term: LeaderTerm
    let engines: [any Service]
    /// Reads every engine's state back from the store.
    let restore: @Sendable () async throws -> Void
    let logger: Logger

    func run() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let leads = await cancelWhenGracefulShutdown {
                for await leading in leadership.changes() where leading { return true }
                return false
            }
            guard leads, !Task.isShuttingDownGracefully else { break }
            await runTerm()
        }
    }

    private func runTerm() async {
        await withTaskGroup(of: Void.self) { term in
            term.addTask {
                guard await restoreEngines() else { return }
                await withDiscardingTaskGroup { group in
                    for engine in engines {
                        group.addTask {
                            do {
                                try await engine.run()
                            } catch {
                                logger.error("an engine stopped", metadata: ["error": "\(error)"])
                            }
                        }
                    }
                }
            }
            term.addTask {
                for await leading in leadership.changes() where !leading { return }
            }
            await term.next()
            self.term.end()
            term.cancelAll()
        }
        logger.notice("leader's term ended")
    }

    /// Restores the engines unless they are current, trying again every second while the store fails.
    ///
    /// - Returns: false when the term ended first.
    private func restoreEngines() async -> Bool {
        guard term.begin() else { return true }
        while !Task.isCancelled {
            do {
                try await restore()
                term.restored()
                logger.notice("leading: engines restored from the store")
                return true
            } catch {
                logger.error("cannot restore the engines; trying again", metadata: ["error": "\(error)"])
                do { try await Task.sleep(for: .seconds(1)) } catch { return false }
            }
        }
        return false
    }
}

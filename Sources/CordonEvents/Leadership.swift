import Synchronization

/// Whether this node does the work that must happen once in a deployment: the custody watch's timer,
/// alert delivery with its re-sending and escalation, list releases and re-signing.
///
/// One process on its own file always leads (``SoleLeadership``). Several nodes on one database elect
/// one through the database; the others stand by, and one of them takes over when the leader is gone.
public protocol Leadership: Sendable {
    /// Whether this node leads now.
    var isLeader: Bool { get }

    /// The leadership's state, starting with the current one, then each change once.
    func changes() -> AsyncStream<Bool>
}

extension Leadership {
    /// Runs `work` for each term this node leads: started when the term begins, cancelled when it ends.
    ///
    /// Returns when the calling task is cancelled (or the leadership's changes end).
    public func whileLeading(_ work: @escaping @Sendable () async -> Void) async {
        for await leading in changes() where leading {
            await withTaskGroup(of: Void.self) { term in
                term.addTask { await work() }
                term.addTask {
                    for await leading in self.changes() where !leading { return }
                }
                await term.next()
                term.cancelAll()
            }
        }
    }
}

/// The leadership of a node that is alone: it always leads.
public struct SoleLeadership: Leadership {
    public init() {}

    public var isLeader: Bool { true }

    public func changes() -> AsyncStream<Bool> {
        AsyncStream { $0.yield(true) }
    }
}

/// A leadership whose state is set by an election (``set(_:)``) and read by any number of watchers.
public final class LeadershipState: Sendable {
    private struct State {
        var isLeader = false
        var watchers: [Int: AsyncStream<Bool>.Continuation] = [:]
        var nextWatcher = 0
        var isFinished = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether this node leads now.
    public var isLeader: Bool { state.withLock { $0.isLeader } }

    /// Records the election's outcome; watchers hear of a change once.
    ///
    /// - Returns: whether it changed.
    @discardableResult
    public func set(_ leading: Bool) -> Bool {
        state.withLock { state in
            guard state.isLeader != leading, !state.isFinished else { return false }
            state.isLeader = leading
            for watcher in state.watchers.values { watcher.yield(leading) }
            return true
        }
    }

    /// A stream of the state, starting with the current one.
    public func changes() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream<Bool>.makeStream()
        let key: Int? = state.withLock { state in
            continuation.yield(state.isLeader)
            guard !state.isFinished else { return nil }
            state.nextWatcher += 1
            state.watchers[state.nextWatcher] = continuation
            return state.nextWatcher
        }
        guard let key else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: key) }
        }
        return stream
    }

    /// Steps down and ends every watcher's stream (the node is stopping).
    public func finish() {
        let (watchers, wasLeading) = state.withLock { state in
            let wasLeading = state.isLeader
            state.isFinished = true
            state.isLeader = false
            defer { state.watchers.removeAll() }
            return (Array(state.watchers.values), wasLeading)
        }
        for watcher in watchers {
            if wasLeading { watcher.yield(false) }
            watcher.finish()
        }
    }
}

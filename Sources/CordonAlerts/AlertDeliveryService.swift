import CordonEvents
public import CordonStore
public import ServiceLifecycle

/// The alert engine's long-lived work: the group commits of deliveries and acknowledgements, the timer
/// that re-sends to silent recipients and escalates them (escalations on the leader only), and, beside
/// other nodes, reading the deliveries back when they changed without a word.
///
/// Runs until graceful shutdown. Then the timer stops first (no new escalation starts), the committer
/// drains what is pending without being cancelled mid-transaction, later changes are committed one by
/// one, and every connection is closed.
public struct AlertDeliveryService<S: Store>: Service {
    public let center: AlertCenter<S>

    public init(center: AlertCenter<S>) {
        self.center = center
    }

    public func run() async throws {
        let center = self.center
        await center.startCommitter()
        await withDiscardingTaskGroup { committers in
            committers.addTask {
                for await _ in center.commitSignals { await center.commitPending() }
            }
            await withDiscardingTaskGroup { timers in
                timers.addTask { await center.runTimer() }
                timers.addTask { await center.runFollower(every: .seconds(5)) }
                try? await gracefulShutdown()
                timers.cancelAll()
            }
            await center.stopCommitter()
        }
        await center.commitPending()
        await center.closeConnections()
    }
}

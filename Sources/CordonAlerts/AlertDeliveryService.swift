import CordonEvents
public import CordonStore
public import ServiceLifecycle

/// The alert engine's long-lived work: the group commits of deliveries and acknowledgements, and the
/// timer that re-sends to silent recipients and escalates them.
///
/// Runs until graceful shutdown; then it commits what is still pending and closes every connection.
public struct AlertDeliveryService<S: Store>: Service {
    public let center: AlertCenter<S>

    public init(center: AlertCenter<S>) {
        self.center = center
    }

    public func run() async throws {
        let center = self.center
        await withDiscardingTaskGroup { group in
            group.addTask { await center.runTimer() }
            group.addTask {
                for await _ in center.commitSignals { await center.commitPending() }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await center.commitPending()
        await center.closeConnections()
    }
}

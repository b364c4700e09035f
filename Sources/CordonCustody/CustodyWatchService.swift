public import CordonStore
public import ServiceLifecycle

/// The custody watch's timer as a service: it raises an incident the moment a post's grace runs out,
/// until graceful shutdown.
public struct CustodyWatchService<S: Store>: Service {
    public let watch: CustodyWatch<S>

    public init(watch: CustodyWatch<S>) {
        self.watch = watch
    }

    public func run() async throws {
        let watch = self.watch
        await withDiscardingTaskGroup { group in
            group.addTask { await watch.runTimer() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}

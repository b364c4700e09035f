public import CordonEvents
public import CordonStore
public import Foundation
public import Logging
public import ServiceLifecycle

/// Keeps the signed wanted list current without waiting for a client to ask: at every ``interval`` of
/// the engine's clock it releases what changed and re-signs metadata halfway to expiry, and announces
/// each release on the event bus. Ends on graceful shutdown.
public struct ListPublishingService<S: Store>: Service {
    public let publisher: ListPublisher<S>
    let clock: EngineClock
    let bus: any EventBus
    let interval: TimeInterval
    let logger: Logger

    public init(
        publisher: ListPublisher<S>,
        clock: EngineClock,
        bus: any EventBus,
        interval: TimeInterval = 60,
        logger: Logger
    ) {
        self.publisher = publisher
        self.clock = clock
        self.bus = bus
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    do {
                        if let version = try await publisher.refresh() {
                            await bus.publish(.listReleased(version: version))
                        }
                    } catch {
                        logger.error("could not refresh the signed list", metadata: ["error": "\(error)"])
                    }
                    do { try await clock.sleep(until: clock.now().addingTimeInterval(interval)) } catch { return }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}

public import CordonStore
public import Logging
public import ServiceLifecycle

/// Keeps a node's screening index in step with list changes written by other nodes (or by any other
/// writer of the database), until graceful shutdown.
///
/// Every ``interval`` it reads the store's list version. When the store is ahead of the index twice in a
/// row at the same index version, the index is rebuilt from the store. Waiting one look lets a write made
/// on this node, whose index update follows its commit by microseconds, land without a rebuild; a write
/// from elsewhere is followed within two intervals. A store that cannot be read is tried again at the
/// next look.
public struct ScreeningFollower<S: Store>: Service {
    public let screening: ScreeningService
    public let store: S
    public let interval: Duration
    let logger: Logger

    /// Creates the follower.
    ///
    /// - Parameter interval: the time between looks; 100 ms keeps a change elsewhere about 0.2 s away.
    public init(screening: ScreeningService, store: S, interval: Duration = .milliseconds(100), logger: Logger) {
        self.screening = screening
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var pending: (stored: Int64, indexed: Int64)?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                let stored = try await store.listVersion()
                let indexed = screening.listVersion
                guard stored > indexed else {
                    pending = nil
                    continue
                }
                if let seen = pending, seen.indexed == indexed {
                    try await screening.rebuild(from: store)
                    logger.info(
                        "screening index followed the list",
                        metadata: [
                            "list.version": "\(screening.listVersion)", "screening.entries": "\(screening.count)",
                        ]
                    )
                    pending = nil
                } else {
                    pending = (stored, indexed)
                }
            } catch {
                logger.warning("cannot follow the list", metadata: ["error": "\(error)"])
            }
        }
    }
}

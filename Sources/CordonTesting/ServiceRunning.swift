import Logging
public import ServiceLifecycle

/// Runs `services` in one service group while `body` runs, then shuts them down gracefully and waits
/// for them to end, as the server's start-up and shutdown do.
public func withRunningServices<T: Sendable>(
    _ services: [any Service],
    _ body: () async throws -> T
) async throws -> T {
    var logger = Logger(label: "cordon-testing")
    logger.logLevel = .critical
    let group = ServiceGroup(services: services, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let result: T
        do {
            result = try await body()
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

extension AsyncStream.Iterator {
    /// The next element that matches, skipping the others; throws `CancellationError` when the stream ends.
    public mutating func next(
        isolation actor: isolated (any Actor)? = #isolation,
        where matches: (Element) -> Bool
    ) async throws -> Element {
        while let element = await next(isolation: actor) {
            if matches(element) { return element }
        }
        throw CancellationError()
    }
}

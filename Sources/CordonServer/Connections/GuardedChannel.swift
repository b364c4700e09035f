import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// A server's child channel with Cordon's connection rules in front: the ``ConnectionBudgetHandler``
/// first, and the ``RequestDeadlineHandler`` right after the HTTP decoder that `base` sets up.
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let limits: ConnectionLimits
    let budget: ConnectionBudget
    /// Whether a refused connection is told so in plain HTTP (false under TLS).
    let plain: Bool

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                ConnectionBudgetHandler(budget: budget, explains: plain),
                position: .first
            )
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(RequestDeadlineHandler(limits: limits), position: .after(decoder.handler))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        var quiet = logger
        quiet.handler = UnansweredConnectionLogHandler(base: logger.handler)
        await base.handle(value: value, logger: quiet)
    }
}

/// Passes every record on, except that a connection closed before it sent a request (by its deadline,
/// a limit, or the client itself) is logged at debug level rather than as the WebSocket upgrade's error:
/// under a flood of such connections the log stays readable.
struct UnansweredConnectionLogHandler: LogHandler {
    var base: any LogHandler

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if event.message == "Error handling upgrade result",
            case .string(let error) = event.metadata?["error.type"], error.contains("Inappropriate operation")
        {
            event.level = .debug
            guard base.logLevel <= .debug else { return }
        }
        base.log(event: event)
    }
}

public import Foundation
import Synchronization

/// Where the engines publish operations events and the streams read them.
///
/// Publishing never waits for readers: each subscriber has its own bounded buffer, and a reader that
/// falls behind loses the oldest events rather than holding up an engine. The in-process bus serves one
/// node; a bus shared by several nodes implements the same protocol.
public protocol EventBus: Sendable {
    /// Publishes an event to every current subscriber, stamped with the bus's clock.
    func publish(_ event: OperationsEvent) async

    /// Starts a subscription; it ends when ``unsubscribe(_:)`` is called or its stream is dropped.
    func subscribe() async -> EventSubscription

    /// Ends a subscription.
    func unsubscribe(_ id: UUID) async
}

/// One reader's events, in the order they were published.
public struct EventSubscription: Sendable {
    public let id: UUID
    public let events: AsyncStream<EventRecord>

    public init(id: UUID, events: AsyncStream<EventRecord>) {
        self.id = id
        self.events = events
    }
}

/// The bus of one process: subscribers are kept in memory.
public final class InProcessEventBus: EventBus {
    private struct State {
        var subscribers: [UUID: AsyncStream<EventRecord>.Continuation] = [:]
        /// Set by ``finishAll()``: a subscription asked for afterwards ends at once.
        var isFinished = false
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Date
    private let buffer: Int

    /// Creates a bus.
    ///
    /// - Parameters:
    ///   - now: the clock events are stamped with.
    ///   - buffer: how many events a subscriber may fall behind before the oldest are dropped.
    public init(now: @escaping @Sendable () -> Date, buffer: Int = 1000) {
        self.now = now
        self.buffer = buffer
    }

    /// How many subscribers the bus has now.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    public func publish(_ event: OperationsEvent) {
        stamp(event)
    }

    /// Publishes an event and answers it as the subscribers got it, stamped.
    @discardableResult
    public func stamp(_ event: OperationsEvent) -> EventRecord {
        let record = EventRecord(event, at: now())
        deliver(record)
        return record
    }

    /// Gives every subscriber an event stamped elsewhere (by another node) as it is.
    public func deliver(_ record: EventRecord) {
        state.withLock { state in
            for continuation in state.subscribers.values { continuation.yield(record) }
        }
    }

    public func subscribe() -> EventSubscription {
        let (stream, continuation) = AsyncStream<EventRecord>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        let isOpen = state.withLock { state in
            if !state.isFinished { state.subscribers[id] = continuation }
            return !state.isFinished
        }
        if !isOpen { continuation.finish() }
        return EventSubscription(id: id, events: stream)
    }

    public func unsubscribe(_ id: UUID) {
        let continuation = state.withLock { $0.subscribers.removeValue(forKey: id) }
        continuation?.finish()
    }

    /// Ends every subscription, and every one asked for later (on shutdown).
    public func finishAll() {
        let all = state.withLock { state in
            state.isFinished = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }
}

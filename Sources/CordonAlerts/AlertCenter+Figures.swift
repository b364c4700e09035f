import CordonCore
import CordonStore
public import Foundation

/// What an operator watches of delivery at night, as this node's engine holds it.
public struct DeliveryFigures: Sendable, Hashable {
    /// Deliveries not yet confirmed as received.
    public var pending = 0
    /// Deliveries not yet acknowledged by a person.
    public var unacknowledged = 0
    /// When the oldest unacknowledged delivery was queued.
    public var oldestUnacknowledgedSince: Date?
    /// Recipients that have not acknowledged, by alert.
    public var silentByAlert: [String: Int] = [:]

    public init() {}
}

extension AlertCenter {
    /// The figures of every outbox now.
    public func figures() -> DeliveryFigures {
        var figures = DeliveryFigures()
        for delivery in deliveries.values where delivery.state != .acknowledged {
            figures.unacknowledged += 1
            if delivery.state == .queued { figures.pending += 1 }
            figures.silentByAlert[delivery.alert.rawValue, default: 0] += 1
            if figures.oldestUnacknowledgedSince.map({ delivery.queuedAt < $0 }) ?? true {
                figures.oldestUnacknowledgedSince = delivery.queuedAt
            }
        }
        return figures
    }
}

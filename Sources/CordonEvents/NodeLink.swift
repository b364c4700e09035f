public import CordonCore
public import Foundation

/// What one node of a deployment tells the others, after the change it speaks of is committed.
///
/// Signals only save time: the store stays the truth, and a node that missed signals (its link was down,
/// a notification was lost) reads what it missed from the store (``resync``).
public enum NodeSignal: Sendable, Hashable, Codable {
    /// An operations event published on the sending node, with the instant it was taken there.
    case event(EventRecord)
    /// An alert was put in outboxes: nodes holding its recipients' streams send it.
    case outbox(alert: AlertID)
    /// Deliveries changed (received, acknowledged, escalated) as stored.
    case deliveries([Delivery])
    /// A person asked for an alert to be sent again, to these recipients (nil: every one not yet
    /// acknowledged).
    case resend(alert: AlertID, recipients: [String]?)
    /// The link was down and signals may be lost: read the state back from the store. Never sent
    /// between nodes; a link gives it to its own node when it comes back.
    case resync

    enum CodingKeys: String, CodingKey {
        case kind, event, alert, deliveries, recipients
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "event": self = .event(try container.decode(EventRecord.self, forKey: .event))
        case "outbox": self = .outbox(alert: try container.decode(AlertID.self, forKey: .alert))
        case "deliveries": self = .deliveries(try container.decode([Delivery].self, forKey: .deliveries))
        case "resend":
            self = .resend(
                alert: try container.decode(AlertID.self, forKey: .alert),
                recipients: try container.decodeIfPresent([String].self, forKey: .recipients)
            )
        case "resync": self = .resync
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: container,
                debugDescription: "'\(other)' is not a signal between nodes"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .event(let record):
            try container.encode("event", forKey: .kind)
            try container.encode(record, forKey: .event)
        case .outbox(let alert):
            try container.encode("outbox", forKey: .kind)
            try container.encode(alert, forKey: .alert)
        case .deliveries(let deliveries):
            try container.encode("deliveries", forKey: .kind)
            try container.encode(deliveries, forKey: .deliveries)
        case .resend(let alert, let recipients):
            try container.encode("resend", forKey: .kind)
            try container.encode(alert, forKey: .alert)
            try container.encodeIfPresent(recipients, forKey: .recipients)
        case .resync:
            try container.encode("resync", forKey: .kind)
        }
    }
}

/// The wire between the nodes of one deployment.
///
/// A node alone on its file has nobody to tell (``LoneNode``); nodes on one PostgreSQL database signal
/// each other through it (`LISTEN`/`NOTIFY`).
public protocol NodeLink: Sendable {
    /// This node's name, as the others see it.
    var node: String { get }

    /// Tells every other node, without waiting for them; a signal may be lost.
    func send(_ signal: NodeSignal)

    /// What the other nodes signal (never this node's own signals), and ``NodeSignal/resync`` when the
    /// link comes back after a break. One reader.
    func signals() -> AsyncStream<NodeSignal>
}

/// The link of a node that is alone: nothing to send, nothing to hear.
public struct LoneNode: NodeLink {
    public let node: String

    public init(node: String = "cordon") {
        self.node = node
    }

    public func send(_ signal: NodeSignal) {}

    public func signals() -> AsyncStream<NodeSignal> {
        AsyncStream { _ in }
    }
}

/// An event bus of one node that also tells the other nodes what is published on it, so that every
/// node's operations stream and dashboard carry the events of all.
public struct LinkedEventBus: EventBus {
    /// The node's own subscribers.
    public let local: InProcessEventBus
    public let link: any NodeLink

    public init(local: InProcessEventBus, link: any NodeLink) {
        self.local = local
        self.link = link
    }

    public func publish(_ event: OperationsEvent) async {
        let record = local.stamp(event)
        link.send(.event(record))
    }

    public func subscribe() async -> EventSubscription { local.subscribe() }

    public func unsubscribe(_ id: UUID) async { local.unsubscribe(id) }
}

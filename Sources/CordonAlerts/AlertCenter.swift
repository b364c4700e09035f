// Alerts below HTTP: an alert composed from an incident, put in every recipient's durable outbox,
// delivered over whatever connection the recipient holds, re-sent while it stays silent, escalated to
// the commander, and acknowledged with a CAP `Ack`.
//
// The engine talks to the store and to an ``EventBus``, never to a request: the server, the demo and the
// tests drive it alike, and its long-lived work (timers and group commits) runs in
// ``AlertDeliveryService``.
public import CordonCore
import CordonDocuments
public import CordonEvents
public import CordonStore
public import Foundation
public import Logging

/// How alerts are written and when silent recipients are chased.
public struct AlertCenterConfiguration: Sendable {
    /// When alerts are re-sent to silent recipients and escalated to the commander.
    public var delivery: DeliveryTracker<String>.Configuration
    /// The CAP sender of every alert (an address of the headquarters).
    public var sender: String
    /// The zone alert times are written in.
    public var zone: TimeZone
    /// `Actual` in service; `Exercise` for drills and the demo.
    public var status: String
    /// The frames one device's stream may have waiting to be written. A device that falls this far
    /// behind is dropped: its outbox is durable, and it catches up when it reconnects.
    public var streamBacklog: Int

    public init(
        delivery: DeliveryTracker<String>.Configuration = .init(),
        sender: String = "duty-officer@cordon.example",
        zone: TimeZone = TimeZone(identifier: "Asia/Dushanbe") ?? TimeZone(secondsFromGMT: 5 * 3600)!,
        status: String = "Actual",
        streamBacklog: Int = 1024
    ) {
        self.delivery = delivery
        self.sender = sender
        self.zone = zone
        self.status = status
        self.streamBacklog = max(1, streamBacklog)
    }
}

/// Composes alerts from incidents, keeps every recipient's durable outbox, and delivers to the
/// recipients' connections.
///
/// The store is the durable truth: an alert, its CAP message and one ``Delivery`` per recipient are
/// written in one transaction before anything is sent, and every confirmation, acknowledgement and
/// escalation is written before it is reported. The pure ``DeliveryTracker`` decides what to send,
/// re-send and escalate; this actor feeds it events, carries out its actions and keeps an in-memory
/// mirror of the deliveries for fast answers. ``restore()`` rebuilds the tracker from the stored
/// deliveries, so a restart loses nothing.
public actor AlertCenter<S: Store> {
    /// How alerts are written and when silent recipients are chased.
    public typealias Configuration = AlertCenterConfiguration

    /// One device holding a recipient's stream.
    struct Connection {
        let continuation: AsyncStream<ServerFrame>.Continuation
        /// Who signed the device in, and what it calls itself.
        let username: String
        let device: String?
    }

    /// Writes waiting for the next group commit, with whoever waits for them.
    struct PendingWrite {
        /// What to write besides the deliveries (a CAP `Ack`).
        let writes: [DocumentWrite]
        let actor: String
        let role: Role?
        let change: [String: JSONValue]
        /// The deliveries to write (once each per batch, in their last state), told to the other nodes
        /// once committed.
        let deliveries: [Delivery]
        /// Who waits for the commit; nil when nobody is answered (a confirmation of receipt).
        var continuation: CheckedContinuation<Void, any Error>? = nil

        func awaited(by continuation: CheckedContinuation<Void, any Error>) -> PendingWrite {
            var awaited = self
            awaited.continuation = continuation
            return awaited
        }
    }

    struct Composed {
        let alert: Alert
        let message: AlertMessage
        /// What every recipient is sent, encoded once however many recipients it goes to.
        let content: AlertContent
        /// The CAP message, read once, for the acknowledgements that refer to it.
        let cap: CAPMessage?
    }

    let store: S
    let configuration: Configuration
    let clock: EngineClock
    let bus: any EventBus
    let logger: Logger
    /// The other nodes of the deployment: told of new alerts and of changed deliveries, and telling.
    let link: any NodeLink
    /// Whether this node leads now: only the leader records escalations.
    let isLeading: @Sendable () -> Bool
    /// The deliveries collection's version when this node last read every delivery back.
    var reconciledVersion: Int64 = -1
    var tracker: DeliveryTracker<String>
    var deliveries: [String: Delivery] = [:]
    /// Delivery ids by alert, and by alert and recipient: answers without scanning every outbox.
    var deliveriesByAlert: [AlertID: [String]] = [:]
    var deliveryByAlertAndRecipient: [String: String] = [:]
    var pending: [PendingWrite] = []
    /// Whether ``AlertDeliveryService`` makes the group commits now.
    var isCommitterRunning = false
    /// Wakes the group committer of ``AlertDeliveryService`` when writes are pending.
    let commitSignals: AsyncStream<Void>
    let commitSignal: AsyncStream<Void>.Continuation
    /// The devices holding each recipient's stream: every one of them gets every alert.
    var connections: [String: [UUID: Connection]] = [:]
    var composed: [AlertID: Composed] = [:]
    /// The checkpoints as read at a version of their collection (see ``allCheckpoints()``).
    var checkpointCache: (version: Int64, checkpoints: [Checkpoint])?
    var isComposing = false
    var composeWaiters: [CheckedContinuation<Void, Never>] = []
    /// The revoked credential ids sent with every alert frame to a checkpoint.
    var revokedCredentials = RevocationList([])
    /// The audit log's latest signed tree head, for checkpoints to witness.
    var treeHead: EncodedTreeHead?

    /// Creates the center; ``restore()`` restores the outboxes, and an ``AlertDeliveryService`` runs
    /// its timer and commits.
    ///
    /// - Parameters:
    ///   - link: the other nodes of the deployment (none when alone).
    ///   - isLeading: whether this node leads now; escalations are recorded by the leader only.
    public init(
        store: S,
        configuration: Configuration,
        clock: EngineClock,
        bus: any EventBus,
        logger: Logger,
        link: any NodeLink = LoneNode(),
        isLeading: @escaping @Sendable () -> Bool = { true }
    ) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.bus = bus
        self.logger = logger
        self.link = link
        self.isLeading = isLeading
        self.tracker = DeliveryTracker(configuration: configuration.delivery)
        (commitSignals, commitSignal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: Life

    /// Rebuilds every outbox from the store, forgetting what was held in memory: at start-up, and when a
    /// node begins to lead after another node led (and wrote) meanwhile. Connections stay as they are.
    public func restore() async throws {
        let version = try await store.collectionVersion(kind: .delivery)
        let stored = try await store.allEntities(Delivery.self)
        tracker = DeliveryTracker(configuration: configuration.delivery)
        deliveries = [:]
        deliveriesByAlert = [:]
        deliveryByAlertAndRecipient = [:]
        composed = [:]
        let ordered = stored.sorted {
            ($0.queuedAt, $0.recipient, $0.sequence) < ($1.queuedAt, $1.recipient, $1.sequence)
        }
        for delivery in ordered {
            _ = tracker.event(.enqueued(delivery.alert, recipients: [delivery.recipient], at: delivery.queuedAt))
            index(delivery)
        }
        let byRecipient = Dictionary(grouping: stored, by: \.recipient)
        let now = clock.now()
        for (recipient, items) in byRecipient {
            let seen = items.filter { $0.state != .queued }.map(\.sequence).max() ?? 0
            guard seen > 0 else { continue }
            _ = tracker.event(.reconnected(recipient, lastSeenSequence: seen, at: now))
            _ = tracker.event(.disconnected(recipient, at: now))
            for item in items where item.state == .acknowledged {
                _ = tracker.event(.acknowledged(recipient, alert: item.alert, at: item.acknowledgedAt ?? now))
            }
        }
        for item in stored where item.escalatedAt != nil {
            _ = tracker.event(
                .settled(item.recipient, alert: item.alert, state: .init(item.state), escalated: true, at: now)
            )
        }
        // Devices still connected here (a node that begins to lead while holding streams) stay
        // connected, and are sent again whatever they have not confirmed.
        for recipient in connections.keys.sorted() {
            let seen = (byRecipient[recipient] ?? []).filter { $0.state != .queued }.map(\.sequence).max() ?? 0
            await perform(tracker.event(.reconnected(recipient, lastSeenSequence: seen, at: now)))
        }
        reconciledVersion = version
    }

    /// Closes every connection (on shutdown).
    public func closeConnections() {
        for devices in connections.values {
            for connection in devices.values { connection.continuation.finish() }
        }
        connections.removeAll()
    }

    /// Every recipient's delivery of an alert, in recipient order.
    public func deliveries(of alertID: AlertID) -> [Delivery] {
        (deliveriesByAlert[alertID] ?? []).compactMap { deliveries[$0] }.sorted { $0.recipient < $1.recipient }
    }

    /// How many recipients hold a connection now.
    public var connectionCount: Int { connections.values.reduce(0) { $0 + $1.count } }

    // MARK: Connections

    /// Connects a device of a recipient that has seen everything up to `lastSeen`; returns the stream of
    /// frames to send it, starting with a welcome and everything in its outbox after `lastSeen`. Several
    /// devices of one recipient (two desks of an airport checkpoint) may be connected at once: each gets
    /// every alert, and none replaces another. Headquarters is told of every connection.
    ///
    /// - Throws: ``FrameError`` naming `last_sequence` when it is beyond the last one issued.
    public func connect(
        recipient: String,
        lastSeen: Int,
        by identity: Identity,
        device: String? = nil
    ) async throws -> (UUID, AsyncStream<ServerFrame>) {
        // Alerts composed on another node whose signal has not come yet are read from the store first.
        try await catchUp(recipient)
        let last = tracker.lastSequence(of: recipient)
        guard (0...last).contains(lastSeen) else {
            throw FrameError(
                "last_sequence \(lastSeen) is beyond the last one issued to \(recipient), \(last)",
                field: "last_sequence"
            )
        }
        // Bounded: a device that cannot keep up is dropped (see ``reply(_:to:connection:)``), not buffered
        // for without limit.
        let (stream, continuation) = AsyncStream<ServerFrame>.makeStream(
            bufferingPolicy: .bufferingOldest(configuration.streamBacklog)
        )
        let id = UUID()
        connections[recipient, default: [:]][id] = Connection(
            continuation: continuation,
            username: identity.username,
            device: device
        )
        continuation.yield(.welcome(recipient: recipient, lastSequence: last))
        let now = clock.now()
        // Whatever the client saw before it counts as delivered.
        for sequence in stride(from: 1, through: lastSeen, by: 1) {
            let key = Delivery.id(recipient: recipient, sequence: sequence)
            guard var delivery = deliveries[key], delivery.state == .queued else { continue }
            delivery.state = .delivered
            delivery.deliveredAt = now
            deliveries[key] = delivery
            await schedule(
                [],
                deliveries: [delivery],
                actor: recipient,
                role: nil,
                change: [
                    "action": .string("alerts.delivered"), "alert": .string(delivery.alert.rawValue),
                    "recipient": .string(recipient), "sequence": .number(Double(sequence)),
                ]
            )
        }
        // What this device has not seen goes to this device only; the others have it already.
        await perform(tracker.event(.reconnected(recipient, lastSeenSequence: lastSeen, at: now)), only: id)
        await bus.publish(
            .recipientConnected(
                recipient: recipient,
                by: identity.username,
                device: device,
                devices: connections[recipient]?.count ?? 0
            )
        )
        return (id, stream)
    }

    /// Forgets a device's connection when it closes; headquarters is told.
    public func disconnect(recipient: String, id: UUID) async {
        guard let connection = connections[recipient]?.removeValue(forKey: id) else { return }
        connection.continuation.finish()
        let remaining = connections[recipient]?.count ?? 0
        if remaining == 0 {
            connections[recipient] = nil
            _ = tracker.event(.disconnected(recipient, at: clock.now()))
        }
        await bus.publish(
            .recipientDisconnected(
                recipient: recipient,
                by: connection.username,
                device: connection.device,
                devices: remaining
            )
        )
    }

    /// A client confirms it received a sequence number.
    public func received(recipient: String, sequence: Int) async throws {
        let action = tracker.event(.delivered(recipient, sequence: sequence, at: clock.now()))
        if let refusal = action.refusal { throw FrameError(refusal, field: "sequence") }
        let key = Delivery.id(recipient: recipient, sequence: sequence)
        guard var delivery = deliveries[key], delivery.state == .queued else { return }
        delivery.state = .delivered
        delivery.deliveredAt = clock.now()
        deliveries[key] = delivery
        // Nobody is answered for a confirmation: it goes into the next group commit without waiting,
        // so the client's next frame (its acknowledgement) is read at once.
        await schedule(
            [],
            deliveries: [delivery],
            actor: recipient,
            role: nil,
            change: [
                "action": .string("alerts.delivered"), "alert": .string(delivery.alert.rawValue),
                "recipient": .string(delivery.recipient), "sequence": .number(Double(delivery.sequence)),
            ]
        )
        await bus.publish(.delivered(alert: delivery.alert.rawValue, recipient: delivery.recipient))
    }

    /// A recipient acknowledges an alert; records a CAP `Ack` referring to it. Acknowledging again
    /// answers the same identifier and writes nothing.
    ///
    /// - Returns: the acknowledgement's CAP identifier.
    /// - Throws: ``FrameError`` naming `alert` for an alert the recipient was never sent.
    public func acknowledge(
        recipient: String,
        alert alertID: AlertID,
        note: String?,
        by identity: Identity,
        device: String? = nil,
        officer: String? = nil
    ) async throws -> String {
        guard let key = deliveryByAlertAndRecipient["\(alertID.rawValue)|\(recipient)"], let entry = deliveries[key],
            entry.sentAt != nil || entry.state != .queued
        else {
            throw FrameError("\(recipient) was never sent alert '\(alertID)'", field: "alert")
        }
        if entry.state == .acknowledged, let ack = entry.ackIdentifier { return ack }
        let action = tracker.event(.acknowledged(recipient, alert: alertID, at: clock.now()))
        if let refusal = action.refusal { throw FrameError(refusal, field: "alert") }
        let now = clock.now()
        var delivery = entry
        let ackIdentifier = "cordon-ack-\(alertID.rawValue)-\(recipient.replacingOccurrences(of: "/", with: "-"))"
        var writes: [DocumentWrite] = []
        if composed[alertID] == nil { await load(alertID) }
        if let original = composed[alertID]?.cap {
            let ack = try CAPMessage.makeAck(
                of: original,
                sender: "\(recipient.replacingOccurrences(of: "/", with: "."))@cordon.example",
                identifier: ackIdentifier,
                at: now,
                in: configuration.zone,
                note: (officer.map { "read and understood by \($0) (account \(identity.username))" }
                    ?? "received and read by \(identity.username)") + (device.map { " at \($0)" } ?? "")
                    + (note.map { ": \($0)" } ?? "")
            )
            let record = AlertMessage(
                id: ack.identifier,
                alert: alertID,
                messageType: ack.messageType.rawValue,
                sent: now,
                references: ack.references.map(\.identifier),
                sender: ack.sender,
                headline: "Acknowledged by \(recipient)",
                xml: ack.xmlDocument()
            )
            writes.append(try S.write(record, operation: .upsert))
        }
        delivery.state = .acknowledged
        delivery.deliveredAt = delivery.deliveredAt ?? now
        delivery.acknowledgedAt = now
        delivery.acknowledgedBy = identity.username
        delivery.acknowledgedOfficer = officer
        delivery.ackIdentifier = ackIdentifier
        let written = delivery
        // In memory first, so that a confirmation arriving meanwhile cannot write an older state after it.
        deliveries[delivery.id] = delivery
        try await commit(
            writes,
            deliveries: [written],
            actor: identity.username,
            role: identity.role,
            change: [
                "action": .string("alerts.acknowledge"), "alert": .string(alertID.rawValue),
                "recipient": .string(recipient), "ack_identifier": .string(ackIdentifier),
                "device": device.map(JSONValue.string) ?? .null,
                "officer": officer.map(JSONValue.string) ?? .null,
            ]
        )
        await bus.publish(
            .acknowledged(alert: alertID.rawValue, recipient: recipient, by: officer ?? identity.username)
        )
        return ackIdentifier
    }
}

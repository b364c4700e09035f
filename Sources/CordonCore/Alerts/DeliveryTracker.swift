public import Foundation

/// The per-recipient outbox of alerts, as a pure state machine: sequence numbers, delivery states,
/// re-sending and escalation.
///
/// Each recipient (a checkpoint, a unit) has its own outbox numbered from 1. An alert enqueued for a
/// recipient is *queued*; it becomes *delivered* when the recipient's connection confirms the
/// sequence number, and *acknowledged* when the recipient acknowledges the alert. A recipient that
/// reconnects says the last sequence number it saw and gets everything after it, in order, once;
/// whatever it saw counts as delivered. On ``Event/tick(at:)`` the tracker re-sends to connected
/// recipients that have been silent for ``Configuration/resendInterval`` and asks the driver to
/// escalate to the commander every recipient still silent ``Configuration/escalateAfter`` after the
/// alert was enqueued.
///
/// The tracker never reads a clock; the driver sleeps until ``nextDeadline`` and ticks.
public struct DeliveryTracker<Recipient: Hashable & Comparable & Sendable>: Sendable {
    /// How patient the tracker is.
    public struct Configuration: Sendable, Hashable {
        /// How long a connected recipient may stay silent before an alert is sent to it again.
        public var resendInterval: Duration
        /// How long after an alert is enqueued a recipient that has not acknowledged it is escalated to
        /// the commander.
        public var escalateAfter: Duration

        /// Creates a configuration.
        public init(resendInterval: Duration = .seconds(10), escalateAfter: Duration = .seconds(60)) {
            self.resendInterval = resendInterval
            self.escalateAfter = escalateAfter
        }
    }

    /// Where an alert stands for one recipient.
    public enum State: String, Sendable, Hashable, Comparable {
        /// In the outbox, not confirmed delivered.
        case queued
        /// Delivered to the recipient's client.
        case delivered
        /// Acknowledged by the recipient.
        case acknowledged

        public static func < (lhs: State, rhs: State) -> Bool {
            let order: [State] = [.queued, .delivered, .acknowledged]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// An alert to send to a recipient under its sequence number.
    public struct Message: Sendable, Hashable {
        /// Who gets it.
        public let recipient: Recipient
        /// Its place in the recipient's outbox, from 1.
        public let sequence: Int
        /// The alert.
        public let alert: AlertID

        /// Creates a message.
        public init(recipient: Recipient, sequence: Int, alert: AlertID) {
            self.recipient = recipient
            self.sequence = sequence
            self.alert = alert
        }
    }

    /// A recipient still silent about an alert after ``Configuration/escalateAfter``.
    public struct Escalation: Sendable, Hashable {
        /// Who is silent.
        public let recipient: Recipient
        /// About which alert.
        public let alert: AlertID
        /// How far it got.
        public let state: State
        /// When the alert was enqueued for the recipient.
        public let since: Date
    }

    /// What the tracker is told.
    public enum Event: Sendable, Hashable {
        /// An alert was put in the outboxes of `recipients`.
        case enqueued(AlertID, recipients: [Recipient], at: Date)
        /// A recipient's client confirmed receiving a sequence number.
        case delivered(Recipient, sequence: Int, at: Date)
        /// A recipient acknowledged an alert.
        case acknowledged(Recipient, alert: AlertID, at: Date)
        /// A recipient connected (again), having seen everything up to `lastSeenSequence` (0 for
        /// nothing).
        case reconnected(Recipient, lastSeenSequence: Int, at: Date)
        /// A recipient's connection closed.
        case disconnected(Recipient, at: Date)
        /// The driver woke.
        case tick(at: Date)
        /// Another node recorded how far an alert got for a recipient (its connection is held there):
        /// the entry moves up to `state`, never back, counts as sent, and is escalated no more when
        /// `escalated`. Unknown entries are ignored.
        case settled(Recipient, alert: AlertID, state: State, escalated: Bool, at: Date)
    }

    /// What the driver must do after an event.
    public struct Action: Sendable, Hashable {
        /// Messages to send now, in order for each recipient.
        public var send: [Message] = []
        /// Recipients to escalate to the commander.
        public var escalate: [Escalation] = []
        /// Why the event was refused, when it was; a refused event changes nothing.
        public var refusal: String?

        /// Nothing to do.
        public static var none: Action { Action() }

        static func refused(_ reason: String) -> Action {
            var action = Action()
            action.refusal = reason
            return action
        }
    }

    private struct Entry: Sendable, Hashable {
        let sequence: Int
        let alert: AlertID
        let enqueuedAt: Date
        var state: State = .queued
        var lastSentAt: Date?
        var isEscalated = false
    }

    private struct Outbox: Sendable, Hashable {
        var entries: [Entry] = []
        var isConnected = false
        var index: [AlertID: Int] = [:]
    }

    /// The tracker's patience.
    public let configuration: Configuration
    private var outboxes: [Recipient: Outbox] = [:]

    /// Creates an empty tracker; every recipient starts disconnected.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Where an alert stands for a recipient, or nil when it was never enqueued for them.
    public func state(of alert: AlertID, for recipient: Recipient) -> State? {
        guard let outbox = outboxes[recipient], let index = outbox.index[alert] else { return nil }
        return outbox.entries[index].state
    }

    /// How many recipients of an alert are in each state.
    public func tally(of alert: AlertID) -> [State: Int] {
        var counts: [State: Int] = [:]
        for outbox in outboxes.values {
            if let index = outbox.index[alert] { counts[outbox.entries[index].state, default: 0] += 1 }
        }
        return counts
    }

    /// The highest sequence number issued to a recipient (0 when none).
    public func lastSequence(of recipient: Recipient) -> Int {
        outboxes[recipient]?.entries.last?.sequence ?? 0
    }

    /// Whether a recipient is connected.
    public func isConnected(_ recipient: Recipient) -> Bool {
        outboxes[recipient]?.isConnected ?? false
    }

    /// The next instant at which a tick would re-send or escalate something, or nil when nothing is
    /// pending.
    public var nextDeadline: Date? {
        var earliest: Date?
        let resend = Self.seconds(configuration.resendInterval)
        let escalate = Self.seconds(configuration.escalateAfter)
        for outbox in outboxes.values {
            for entry in outbox.entries where entry.state != .acknowledged {
                var candidates: [Date] = []
                if !entry.isEscalated { candidates.append(entry.enqueuedAt.addingTimeInterval(escalate)) }
                if outbox.isConnected, let sent = entry.lastSentAt {
                    candidates.append(sent.addingTimeInterval(resend))
                }
                for candidate in candidates where earliest == nil || candidate < earliest! {
                    earliest = candidate
                }
            }
        }
        return earliest
    }

    /// Applies an event.
    ///
    /// - Returns: the messages to send and the recipients to escalate, or a refusal.
    public mutating func event(_ event: Event) -> Action {
        switch event {
        case .enqueued(let alert, let recipients, let instant):
            var action = Action()
            for recipient in Set(recipients).sorted() {
                var outbox = outboxes[recipient] ?? Outbox()
                guard outbox.index[alert] == nil else { continue }
                var entry = Entry(sequence: (outbox.entries.last?.sequence ?? 0) + 1, alert: alert, enqueuedAt: instant)
                if outbox.isConnected {
                    entry.lastSentAt = instant
                    action.send.append(Message(recipient: recipient, sequence: entry.sequence, alert: alert))
                }
                outbox.index[alert] = outbox.entries.count
                outbox.entries.append(entry)
                outboxes[recipient] = outbox
            }
            return action
        case .delivered(let recipient, let sequence, _):
            guard var outbox = outboxes[recipient], sequence >= 1, sequence <= outbox.entries.count else {
                return .refused("'\(recipient)' was never sent sequence \(sequence)")
            }
            let position = sequence - 1
            guard outbox.entries[position].lastSentAt != nil else {
                return .refused("sequence \(sequence) was never sent to '\(recipient)'")
            }
            if outbox.entries[position].state == .queued { outbox.entries[position].state = .delivered }
            outboxes[recipient] = outbox
            return .none
        case .acknowledged(let recipient, let alert, _):
            guard var outbox = outboxes[recipient], let position = outbox.index[alert],
                outbox.entries[position].lastSentAt != nil
            else {
                return .refused("'\(recipient)' never got alert '\(alert)'")
            }
            outbox.entries[position].state = .acknowledged
            outboxes[recipient] = outbox
            return .none
        case .reconnected(let recipient, let lastSeen, let instant):
            var outbox = outboxes[recipient] ?? Outbox()
            let last = outbox.entries.last?.sequence ?? 0
            guard (0...last).contains(lastSeen) else {
                return .refused("'\(recipient)' claims sequence \(lastSeen), but the last one issued is \(last)")
            }
            outbox.isConnected = true
            var action = Action()
            for position in outbox.entries.indices {
                if position < lastSeen {
                    // Seen before the connection dropped, whether or not the confirmation arrived.
                    if outbox.entries[position].state == .queued {
                        outbox.entries[position].state = .delivered
                    }
                    if outbox.entries[position].lastSentAt == nil { outbox.entries[position].lastSentAt = instant }
                } else if outbox.entries[position].state != .acknowledged {
                    outbox.entries[position].lastSentAt = instant
                    let entry = outbox.entries[position]
                    action.send.append(Message(recipient: recipient, sequence: entry.sequence, alert: entry.alert))
                }
            }
            outboxes[recipient] = outbox
            return action
        case .disconnected(let recipient, _):
            guard outboxes[recipient] != nil else { return .none }
            outboxes[recipient]!.isConnected = false
            return .none
        case .tick(let instant):
            return tick(at: instant)
        case .settled(let recipient, let alert, let state, let escalated, let instant):
            guard var outbox = outboxes[recipient], let position = outbox.index[alert] else { return .none }
            if state > outbox.entries[position].state { outbox.entries[position].state = state }
            if outbox.entries[position].lastSentAt == nil { outbox.entries[position].lastSentAt = instant }
            if escalated { outbox.entries[position].isEscalated = true }
            outboxes[recipient] = outbox
            return .none
        }
    }

    private mutating func tick(at instant: Date) -> Action {
        var action = Action()
        let resend = Self.seconds(configuration.resendInterval)
        let escalate = Self.seconds(configuration.escalateAfter)
        for recipient in outboxes.keys.sorted() {
            var outbox = outboxes[recipient]!
            for position in outbox.entries.indices where outbox.entries[position].state != .acknowledged {
                let entry = outbox.entries[position]
                if outbox.isConnected, let sent = entry.lastSentAt, instant >= sent.addingTimeInterval(resend) {
                    outbox.entries[position].lastSentAt = instant
                    action.send.append(Message(recipient: recipient, sequence: entry.sequence, alert: entry.alert))
                }
                if !entry.isEscalated, instant >= entry.enqueuedAt.addingTimeInterval(escalate) {
                    outbox.entries[position].isEscalated = true
                    action.escalate.append(
                        Escalation(
                            recipient: recipient,
                            alert: entry.alert,
                            state: entry.state,
                            since: entry.enqueuedAt
                        )
                    )
                }
            }
            outboxes[recipient] = outbox
        }
        return action
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

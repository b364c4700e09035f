public import Foundation

/// One alert in one recipient's outbox: its sequence number and how far it got.
///
/// The outbox is durable: deliveries are written in the same transaction as the alert, so a recipient
/// that reconnects after a crash of either side is sent everything it has not confirmed, in order.
public struct Delivery: Sendable, Hashable, Codable, Identifiable {
    /// Where the alert stands for the recipient.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// In the outbox, not confirmed received.
        case queued
        /// The recipient's client confirmed receiving it.
        case delivered
        /// The recipient acknowledged it.
        case acknowledged
    }

    /// `checkpoints.cp-dushanbe-rail.00000003`: the recipient and the sequence, in sort order.
    public let id: String
    /// The recipient: `checkpoints/<id>` or `posts/<id>`.
    public let recipient: String
    /// The place in the recipient's outbox, from 1.
    public let sequence: Int
    /// The alert.
    public let alert: AlertID
    /// Where it stands.
    public var state: State
    /// When it was put in the outbox.
    public let queuedAt: Date
    /// When it was first sent, if it was.
    public var sentAt: Date?
    /// How many times it was sent.
    public var sends: Int
    /// When the recipient confirmed receiving it.
    public var deliveredAt: Date?
    /// When the recipient acknowledged it.
    public var acknowledgedAt: Date?
    /// Who acknowledged it (the account).
    public var acknowledgedBy: String?
    /// The officer who pressed "read and understood", as their verified pass names them, when a station
    /// sent it (`Ziyoev Rustam, service number 41-0073`).
    public var acknowledgedOfficer: String?
    /// The identifier of the CAP `Ack` message recorded for the acknowledgement.
    public var ackIdentifier: String?
    /// When it was escalated to the commander for silence.
    public var escalatedAt: Date?

    /// Creates a queued delivery.
    public init(recipient: String, sequence: Int, alert: AlertID, queuedAt: Date) {
        self.id = Self.id(recipient: recipient, sequence: sequence)
        self.recipient = recipient
        self.sequence = sequence
        self.alert = alert
        self.state = .queued
        self.queuedAt = queuedAt
        self.sends = 0
    }

    /// The storage identifier of a recipient's delivery: ids sort in sequence order per recipient.
    public static func id(recipient: String, sequence: Int) -> String {
        let digits = String(sequence)
        return recipient.replacingOccurrences(of: "/", with: ".") + "."
            + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    enum CodingKeys: String, CodingKey {
        case id, recipient, sequence, alert, state
        case queuedAt = "queued_at"
        case sentAt = "sent_at"
        case sends
        case deliveredAt = "delivered_at"
        case acknowledgedAt = "acknowledged_at"
        case acknowledgedBy = "acknowledged_by"
        case acknowledgedOfficer = "acknowledged_officer"
        case ackIdentifier = "ack_identifier"
        case escalatedAt = "escalated_at"
    }
}

/// A CAP message as Cordon sent or received it: its identifier, kind and XML.
public struct AlertMessage: Sendable, Hashable, Codable, Identifiable {
    /// The CAP identifier (`cordon-a-2010-08-23-bolo`).
    public let id: String
    /// The alert it belongs to.
    public let alert: AlertID
    /// `Alert`, `Update`, `Cancel` or `Ack`.
    public let messageType: String
    /// When it was sent.
    public let sent: Date
    /// The identifiers of the messages it refers to.
    public let references: [String]
    /// Who sent it (the CAP sender).
    public let sender: String
    /// The headline, for feeds.
    public let headline: String
    /// The message as XML.
    public let xml: String

    /// Creates a record.
    public init(
        id: String,
        alert: AlertID,
        messageType: String,
        sent: Date,
        references: [String],
        sender: String,
        headline: String,
        xml: String
    ) {
        self.id = id
        self.alert = alert
        self.messageType = messageType
        self.sent = sent
        self.references = references
        self.sender = sender
        self.headline = headline
        self.xml = xml
    }

    /// The CAP identifier of an alert's own message (`cordon-<alert>`).
    public static func identifier(of alert: AlertID) -> String { "cordon-\(alert.rawValue)" }

    enum CodingKeys: String, CodingKey {
        case id, alert
        case messageType = "message_type"
        case sent, references, sender, headline, xml
    }
}

import CordonCore
public import Foundation

/// What headquarters must see at once: one case per kind of operations event.
///
/// The engines publish these on an ``EventBus``; the operations WebSocket stream, the dashboard's live
/// feed, the demo and the tests read them back. On the wire an event is one flat JSON object whose
/// `type` names the case (`incident_raised`, `alert_sent`, …) beside the case's fields; times are
/// written in the zone the encoder's ``OperationsEvent/zoneKey`` user-info names (UTC without one).
public enum OperationsEvent: Sendable, Hashable {
    /// An incident was raised: a missed check-in, a duress code, a rule of the night broken.
    case incidentRaised(IncidentRaised)
    /// A commander confirmed an incident (declared the escape).
    case incidentConfirmed(incident: String, kind: String)
    /// A commander closed an incident.
    case incidentClosed(incident: String)
    /// An open incident got worse: a second miss at the same post.
    case incidentEscalated(incident: String, post: String, reason: String, summary: String)
    /// An alert was composed and put in its recipients' outboxes.
    case alertSent(alert: String, recipients: Int)
    /// A recipient confirmed it received an alert.
    case delivered(alert: String, recipient: String)
    /// A person at a recipient read an alert and acknowledged it.
    case acknowledged(alert: String, recipient: String, by: String)
    /// A recipient stayed silent too long: the commander is told.
    case escalated(alert: String, recipient: String, state: String, since: Date)
    /// A sighting or tip was reported.
    case sighting(String)
    /// A wanted person's status changed (captured, at large, …).
    case statusChanged(person: String, status: String)
    /// A guard post checked in; its next check-in is due at `nextDue`.
    case checkIn(post: String, nextDue: Date)
    /// A post that had missed check-ins checked in again.
    case checkInResumed(post: String, missed: Int)
    /// A new release of the signed wanted list.
    case listReleased(version: Int64)
    /// A device connected to a recipient's alert stream: who signed it in, what it calls itself, and how
    /// many devices hold the stream now.
    case recipientConnected(recipient: String, by: String, device: String?, devices: Int)
    /// A device's connection to a recipient's alert stream closed; `devices` are left.
    case recipientDisconnected(recipient: String, by: String, device: String?, devices: Int)
    /// A new item of a watched feed names a wanted person (or a listed organisation or vehicle).
    case mention(FeedMention)

    /// Where a watched feed named someone on the list, and in what words.
    public struct FeedMention: Sendable, Hashable {
        /// The feed's address.
        public var feed: String
        /// The item's identifier (its guid or id, else its link or title).
        public var item: String
        public var title: String
        public var link: String?
        /// The listed entity named.
        public var entity: String
        /// The words as written.
        public var text: String
        public var score: Double

        public init(
            feed: String,
            item: String,
            title: String,
            link: String?,
            entity: String,
            text: String,
            score: Double
        ) {
            self.feed = feed
            self.item = item
            self.title = title
            self.link = link
            self.entity = entity
            self.text = text
            self.score = score
        }
    }
    /// Looking back found a past screening that would alert now: the lead, the person or vehicle it names,
    /// and the checkpoint that screened it (when known).
    case lead(lead: String, entry: String, checkpoint: String?)

    /// The fields of a raised incident.
    public struct IncidentRaised: Sendable, Hashable {
        public var incident: String
        public var kind: String
        public var summary: String
        public var raisedAt: Date
        public var post: String?
        public var escalated: String?

        public init(
            incident: String,
            kind: String,
            summary: String,
            raisedAt: Date,
            post: String? = nil,
            escalated: String? = nil
        ) {
            self.incident = incident
            self.kind = kind
            self.summary = summary
            self.raisedAt = raisedAt
            self.post = post
            self.escalated = escalated
        }
    }

    /// The user-info key of the zone times are written in.
    public static let zoneKey = CodingUserInfoKey(rawValue: "cordon.zone")!

    /// The `type` of the event on the wire.
    public var type: String {
        switch self {
        case .incidentRaised: "incident_raised"
        case .incidentConfirmed: "incident_confirmed"
        case .incidentClosed: "incident_closed"
        case .incidentEscalated: "incident_escalated"
        case .alertSent: "alert_sent"
        case .delivered: "delivered"
        case .acknowledged: "acknowledged"
        case .escalated: "escalation"
        case .sighting: "sighting"
        case .statusChanged: "status_changed"
        case .checkIn: "check_in"
        case .checkInResumed: "check_in_resumed"
        case .listReleased: "list_released"
        case .recipientConnected: "recipient_connected"
        case .recipientDisconnected: "recipient_disconnected"
        case .mention: "mention"
        case .lead: "lead"
        }
    }

    /// Every `type` an event may have.
    public static let types: Set<String> = [
        "incident_raised", "incident_confirmed", "incident_closed", "incident_escalated", "alert_sent", "delivered",
        "acknowledged", "escalation", "sighting", "status_changed", "check_in", "check_in_resumed", "list_released",
        "recipient_connected", "recipient_disconnected", "mention", "lead",
    ]

    /// The alert an event is about, if any.
    public var alert: String? {
        switch self {
        case .alertSent(let alert, _), .delivered(let alert, _), .acknowledged(let alert, _, _),
            .escalated(let alert, _, _, _):
            alert
        default: nil
        }
    }
}

extension OperationsEvent {
    /// The incident an event is about, if any.
    public var incident: String? {
        switch self {
        case .incidentRaised(let raised): raised.incident
        case .incidentConfirmed(let incident, _), .incidentClosed(let incident),
            .incidentEscalated(let incident, _, _, _):
            incident
        default: nil
        }
    }

    /// The recipient of an alert an event is about, if any.
    public var recipient: String? {
        switch self {
        case .delivered(_, let recipient), .acknowledged(_, let recipient, _), .escalated(_, let recipient, _, _),
            .recipientConnected(let recipient, _, _, _), .recipientDisconnected(let recipient, _, _, _):
            recipient
        default: nil
        }
    }

    /// The guard post an event is about, if any.
    public var post: String? {
        switch self {
        case .incidentRaised(let raised): raised.post
        case .incidentEscalated(_, let post, _, _), .checkIn(let post, _), .checkInResumed(let post, _): post
        default: nil
        }
    }

    /// The wanted person an event is about, if any.
    public var person: String? {
        if case .statusChanged(let person, _) = self { return person }
        return nil
    }

    /// The sighting an event announces, if it does.
    public var sighting: String? {
        if case .sighting(let sighting) = self { return sighting }
        return nil
    }

    /// The lead an event announces, if it does.
    public var lead: String? {
        if case .lead(let lead, _, _) = self { return lead }
        return nil
    }

    /// When a post's next check-in is due, for a check-in.
    public var nextDue: Date? {
        if case .checkIn(_, let nextDue) = self { return nextDue }
        return nil
    }
}

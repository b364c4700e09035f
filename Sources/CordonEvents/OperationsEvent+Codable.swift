import CordonCore
import Foundation

/// A coding key made from any string: an event's fields differ by case.
struct FieldKey: CodingKey, Hashable {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension OperationsEvent: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        let zone = encoder.userInfo[Self.zoneKey] as? TimeZone ?? TimeZone(identifier: "UTC")!
        func put(_ key: String, _ value: String) throws { try container.encode(value, forKey: FieldKey(key)) }
        func put(_ key: String, _ value: Date) throws { try put(key, Instant.format(value, in: zone)) }
        try put("type", type)
        switch self {
        case .incidentRaised(let raised):
            try put("incident", raised.incident)
            try put("kind", raised.kind)
            try put("summary", raised.summary)
            try put("raised_at", raised.raisedAt)
            if let post = raised.post { try put("post", post) }
            if let escalated = raised.escalated { try put("escalated", escalated) }
        case .incidentConfirmed(let incident, let kind):
            try put("incident", incident)
            try put("kind", kind)
        case .incidentClosed(let incident):
            try put("incident", incident)
        case .incidentEscalated(let incident, let post, let reason, let summary):
            try put("incident", incident)
            try put("post", post)
            try put("reason", reason)
            try put("summary", summary)
        case .alertSent(let alert, let recipients):
            try put("alert", alert)
            try container.encode(recipients, forKey: FieldKey("recipients"))
        case .delivered(let alert, let recipient):
            try put("alert", alert)
            try put("recipient", recipient)
        case .acknowledged(let alert, let recipient, let by):
            try put("alert", alert)
            try put("recipient", recipient)
            try put("by", by)
        case .escalated(let alert, let recipient, let state, let since):
            try put("alert", alert)
            try put("recipient", recipient)
            try put("state", state)
            try put("since", since)
        case .sighting(let sighting):
            try put("sighting", sighting)
        case .statusChanged(let person, let status):
            try put("person", person)
            try put("status", status)
        case .checkIn(let post, let nextDue):
            try put("post", post)
            try put("next_due", nextDue)
        case .checkInResumed(let post, let missed):
            try put("post", post)
            try container.encode(missed, forKey: FieldKey("missed"))
        case .listReleased(let version):
            try container.encode(version, forKey: FieldKey("version"))
        case .recipientConnected(let recipient, let by, let device, let devices),
            .recipientDisconnected(let recipient, let by, let device, let devices):
            try put("recipient", recipient)
            try put("by", by)
            if let device { try put("device", device) }
            try container.encode(devices, forKey: FieldKey("devices"))
        case .mention(let mention):
            try put("feed", mention.feed)
            try put("item", mention.item)
            try put("title", mention.title)
            if let link = mention.link { try put("link", link) }
            try put("entity", mention.entity)
            try put("text", mention.text)
            try container.encode(mention.score, forKey: FieldKey("score"))
        case .lead(let lead, let entry, let checkpoint):
            try put("lead", lead)
            try put("entry", entry)
            if let checkpoint { try put("checkpoint", checkpoint) }
        }
    }

    /// Reads an event, refusing an unknown type, a missing field or a field of the wrong kind.
    /// Fields beyond the case's (such as the `at` of an ``EventRecord``) are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        func text(_ key: String) throws -> String { try container.decode(String.self, forKey: FieldKey(key)) }
        func optionalText(_ key: String) throws -> String? {
            try container.decodeIfPresent(String.self, forKey: FieldKey(key))
        }
        func date(_ key: String) throws -> Date {
            let value = try text(key)
            guard let date = Instant.parse(value) else {
                throw DecodingError.dataCorruptedError(
                    forKey: FieldKey(key),
                    in: container,
                    debugDescription: "'\(value)' is not an RFC 3339 time"
                )
            }
            return date
        }
        func number<T: Decodable>(_ key: String, as type: T.Type) throws -> T {
            try container.decode(T.self, forKey: FieldKey(key))
        }
        let type = try text("type")
        switch type {
        case "incident_raised":
            self = .incidentRaised(
                IncidentRaised(
                    incident: try text("incident"),
                    kind: try text("kind"),
                    summary: try text("summary"),
                    raisedAt: try date("raised_at"),
                    post: try optionalText("post"),
                    escalated: try optionalText("escalated")
                )
            )
        case "incident_confirmed": self = .incidentConfirmed(incident: try text("incident"), kind: try text("kind"))
        case "incident_closed": self = .incidentClosed(incident: try text("incident"))
        case "incident_escalated":
            self = .incidentEscalated(
                incident: try text("incident"),
                post: try text("post"),
                reason: try text("reason"),
                summary: try text("summary")
            )
        case "alert_sent":
            self = .alertSent(alert: try text("alert"), recipients: try number("recipients", as: Int.self))
        case "delivered": self = .delivered(alert: try text("alert"), recipient: try text("recipient"))
        case "acknowledged":
            self = .acknowledged(alert: try text("alert"), recipient: try text("recipient"), by: try text("by"))
        case "escalation":
            self = .escalated(
                alert: try text("alert"),
                recipient: try text("recipient"),
                state: try text("state"),
                since: try date("since")
            )
        case "sighting": self = .sighting(try text("sighting"))
        case "status_changed": self = .statusChanged(person: try text("person"), status: try text("status"))
        case "check_in": self = .checkIn(post: try text("post"), nextDue: try date("next_due"))
        case "check_in_resumed":
            self = .checkInResumed(post: try text("post"), missed: try number("missed", as: Int.self))
        case "list_released":
            self = .listReleased(version: try number("version", as: Int64.self))
        case "recipient_connected", "recipient_disconnected":
            let recipient = try text("recipient")
            let by = try text("by")
            let device = try optionalText("device")
            let devices = try number("devices", as: Int.self)
            self =
                type == "recipient_connected"
                ? .recipientConnected(recipient: recipient, by: by, device: device, devices: devices)
                : .recipientDisconnected(recipient: recipient, by: by, device: device, devices: devices)
        case "mention":
            self = .mention(
                FeedMention(
                    feed: try text("feed"),
                    item: try text("item"),
                    title: try text("title"),
                    link: try optionalText("link"),
                    entity: try text("entity"),
                    text: try text("text"),
                    score: try number("score", as: Double.self)
                )
            )
        case "lead":
            self = .lead(lead: try text("lead"), entry: try text("entry"), checkpoint: try optionalText("checkpoint"))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: FieldKey("type"),
                in: container,
                debugDescription: "unknown event type '\(type)'"
            )
        }
    }
}

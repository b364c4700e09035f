import CordonCore
import CordonEvents
import Foundation

/// What happened during the demo night, in the night's time.
actor DemoLog {
    struct Entry: Sendable, Encodable {
        let at: Date
        let kind: String
        let text: String
    }

    let zone: TimeZone
    private(set) var entries: [Entry] = []
    private(set) var connectedCount = 0
    private var connected: Set<String> = []
    private var receivedAt: [String: Date] = [:]
    private var acknowledgedAt: [String: Date] = [:]
    private var responded: Set<String> = []
    private(set) var incident: String?
    private(set) var raisedAt: Date?
    private(set) var alert: String?
    private(set) var capIdentifier: String?

    init(zone: TimeZone) { self.zone = zone }

    var acknowledgedCount: Int { acknowledgedAt.count }

    func add(_ at: Date, _ kind: String, _ text: String) {
        entries.append(Entry(at: at, kind: kind, text: text))
    }

    func connected(_ checkpoint: String) {
        if connected.insert(checkpoint).inserted { connectedCount += 1 }
    }

    func received(_ checkpoint: String, at instant: Date) {
        if receivedAt[checkpoint] == nil { receivedAt[checkpoint] = instant }
    }

    func acknowledged(_ checkpoint: String, at instant: Date) {
        if acknowledgedAt[checkpoint] == nil { acknowledgedAt[checkpoint] = instant }
    }

    /// True the first time only: the commander responds to one incident.
    func claimResponse(to incident: String) -> Bool {
        guard responded.isEmpty else { return false }
        responded.insert(incident)
        return true
    }

    func composed(alert: String?, cap: String?) {
        self.alert = alert
        self.capIdentifier = cap
    }

    /// Records what headquarters' operations stream says.
    func operations(_ event: OperationsEvent, clock: DemoClock) {
        let now = clock.now
        switch event {
        case .incidentRaised(let raised):
            if incident == nil, raised.kind == "missed_check_in" {
                incident = raised.incident
                raisedAt = raised.raisedAt
            }
            add(raised.raisedAt, "incident", "\(raised.incident) raised: \(raised.summary)")
        case .incidentEscalated(let incident, _, _, let summary):
            add(now, "escalated", "\(incident): \(summary)")
        case .incidentConfirmed(let incident, _):
            add(now, "escape", "the commander declares the escape on \(incident)")
        case .alertSent(let alert, let recipients):
            add(now, "alert", "be-on-the-lookout \(alert) sent to \(recipients) checkpoints")
        default:
            break
        }
    }

    func report(
        due: Date,
        grace: TimeInterval,
        checkpoints: Int,
        finished: Bool,
        rate: Double,
        messages: [AlertMessage]
    ) -> DemoReport {
        var timeline = entries
        if let first = acknowledgedAt.min(by: { $0.value < $1.value }) {
            timeline.append(Entry(at: first.value, kind: "ack", text: "first acknowledgement: \(first.key)"))
        }
        let last = acknowledgedAt.max(by: { $0.value < $1.value })
        if let last {
            timeline.append(
                Entry(
                    at: last.value,
                    kind: "ack",
                    text: "\(acknowledgedAt.count) of \(checkpoints) checkpoints acknowledged; the last: \(last.key)"
                )
            )
        }
        timeline.sort { $0.at < $1.at }
        return DemoReport(
            zone: zone,
            rate: rate,
            timeline: timeline,
            due: due,
            grace: grace,
            incident: incident,
            alert: alert,
            capIdentifier: capIdentifier,
            checkpoints: checkpoints,
            acknowledged: acknowledgedAt.count,
            lastAcknowledgement: finished ? last?.value : nil,
            acknowledgements: acknowledgedAt.map { ($0.key, $0.value) }.sorted { $0.1 < $1.1 },
            messages: messages
        )
    }
}

/// The demo's outcome: the timeline, the time to cordon, and the CAP messages of the night.
struct DemoReport: Sendable {
    let zone: TimeZone
    let rate: Double
    let timeline: [DemoLog.Entry]
    let due: Date
    let grace: TimeInterval
    let incident: String?
    let alert: String?
    let capIdentifier: String?
    let checkpoints: Int
    let acknowledged: Int
    let lastAcknowledgement: Date?
    let acknowledgements: [(String, Date)]
    let messages: [AlertMessage]
    /// On several nodes: how many, which was killed, and how long the others took to lead.
    var cluster: DemoCluster.Outcome? = nil

    /// From the check-in that was due to the last acknowledgement, in seconds.
    var timeToCordon: Double? { lastAcknowledgement.map { $0.timeIntervalSince(due) } }

    static let attack = Instant.parse("2010-08-23T01:10:00+05:00")!

    func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "HH:mm:ss.S xxx"
        return formatter.string(from: date)
    }

    var text: String {
        var lines = [
            "The night of 22–23 August 2010, replayed with Cordon watching (times in \(zone.identifier); "
                + "the quiet hours run \(Int(rate))× faster, the alert in real time)",
            "",
        ]
        for entry in timeline {
            lines.append(
                "\(time(entry.at))  \(entry.kind.padding(toLength: 9, withPad: " ", startingAt: 0)) \(entry.text)"
            )
        }
        lines.append("")
        if let cluster {
            var line = "\(cluster.nodes) nodes on PostgreSQL"
            if let killed = cluster.killedNode {
                line += "; the leader \(killed) was killed (SIGKILL) once the escape was declared, before the alert"
                line += cluster.failoverSeconds.map { String(format: "; another node led %.1f s later", $0) } ?? ""
            }
            lines.append(line)
        }
        if let cap = capIdentifier { lines.append("CAP message: \(cap) (and \(max(messages.count - 1, 0)) CAP Acks)") }
        let hours = Int(Self.attack.timeIntervalSince(due) / 3600)
        let minutes = Int(Self.attack.timeIntervalSince(due) / 60) % 60
        lines.append(
            "In 2010 nobody outside the ward knew until the outer post was attacked at 01:10, "
                + "\(hours) h \(minutes) min after that check-in was due."
        )
        if let seconds = timeToCordon {
            lines.append(
                String(
                    format:
                        "time to cordon: %.1f s (check-in due %@ → last of %d acknowledgements by an officer; grace %.0f s + %.1f s)",
                    seconds,
                    time(due),
                    acknowledged,
                    grace,
                    seconds - grace
                )
            )
        } else {
            lines.append("time to cordon: not reached — \(acknowledged) of \(checkpoints) checkpoints acknowledged")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func jsonData() throws -> Data {
        struct Body: Encodable {
            let timeToCordonSeconds: Double?
            let checkInDue: Date
            let graceSeconds: Double
            let rate: Double
            let incident: String?
            let alert: String?
            let capIdentifier: String?
            let checkpoints: Int
            let acknowledged: Int
            let timeline: [DemoLog.Entry]
            let acknowledgements: [Ack]
            let capMessages: [String]
            let nodes: Int?
            let killedNode: String?
            let failoverSeconds: Double?

            struct Ack: Encodable {
                let checkpoint: String
                let at: Date
            }

            enum CodingKeys: String, CodingKey {
                case timeToCordonSeconds = "time_to_cordon_seconds"
                case checkInDue = "check_in_due"
                case graceSeconds = "grace_seconds"
                case rate, incident, alert
                case capIdentifier = "cap_identifier"
                case checkpoints, acknowledged, timeline, acknowledgements
                case capMessages = "cap_messages"
                case nodes
                case killedNode = "killed_node"
                case failoverSeconds = "failover_s"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encodeIfPresent(timeToCordonSeconds, forKey: .timeToCordonSeconds)
                try container.encode(checkInDue, forKey: .checkInDue)
                try container.encode(graceSeconds, forKey: .graceSeconds)
                try container.encode(rate, forKey: .rate)
                try container.encodeIfPresent(incident, forKey: .incident)
                try container.encodeIfPresent(alert, forKey: .alert)
                try container.encodeIfPresent(capIdentifier, forKey: .capIdentifier)
                try container.encode(checkpoints, forKey: .checkpoints)
                try container.encode(acknowledged, forKey: .acknowledged)
                try container.encode(timeline, forKey: .timeline)
                try container.encode(acknowledgements, forKey: .acknowledgements)
                try container.encode(capMessages, forKey: .capMessages)
                // Only on several nodes.
                try container.encodeIfPresent(nodes, forKey: .nodes)
                if nodes != nil {
                    try container.encode(killedNode, forKey: .killedNode)
                    try container.encode(failoverSeconds, forKey: .failoverSeconds)
                }
            }
        }
        let body = Body(
            timeToCordonSeconds: timeToCordon.map { ($0 * 10).rounded() / 10 },
            checkInDue: due,
            graceSeconds: grace,
            rate: rate,
            incident: incident,
            alert: alert,
            capIdentifier: capIdentifier,
            checkpoints: checkpoints,
            acknowledged: acknowledged,
            timeline: timeline,
            acknowledgements: acknowledgements.map { Body.Ack(checkpoint: $0.0, at: $0.1) },
            capMessages: messages.map(\.id),
            nodes: cluster?.nodes,
            killedNode: cluster?.killedNode,
            failoverSeconds: cluster?.failoverSeconds.map { ($0 * 100).rounded() / 100 }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let zone = self.zone
        encoder.dateEncodingStrategy = .custom { date, encoder in
            // Milliseconds matter here: the acknowledgements come within a second.
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            formatter.timeZone = zone
            var container = encoder.singleValueContainer()
            try container.encode(formatter.string(from: date))
        }
        return try encoder.encode(body)
    }
}

import CordonCore
import CordonEvents
import CordonScreening
import CordonStore
import Foundation
import Hummingbird

/// `POST /v1/checkpoints/{id}/reports`: screening hits and sightings a checkpoint made, often offline,
/// uploaded from its queue. Each report carries its own id; the server keeps it once, as a sighting
/// `s-ID`, however many times it is sent, and answers which reports were new and which it already had.
struct CheckpointReportsController<S: Store>: Sendable {
    let store: S
    /// Told of each sighting kept, for the live dashboard.
    let bus: any EventBus
    let now: @Sendable () -> Date

    /// One report as sent.
    struct Report: Decodable {
        let id: String
        let kind: String
        let observedAt: Date
        let person: PersonID?
        let vehicle: VehicleID?
        let score: Double?
        let query: String?
        let listVersion: Int64?
        let note: String?
        /// What the officers decided about a hit, and who decided.
        let outcome: Sighting.Outcome?
        let officer: String?
        /// The travel document screened, for a hit on a zone (`P TJK 4012345`).
        let document: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, kind
            case observedAt = "observed_at"
            case person, vehicle, score, query
            case listVersion = "list_version"
            case note, outcome, officer, document
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let id = object.required(.id, as: String.self)
            let kind = object.required(.kind, as: String.self)
            let observedAt = object.required(.observedAt, as: Date.self)
            person = object.optional(.person, as: PersonID.self)
            vehicle = object.optional(.vehicle, as: VehicleID.self)
            score = object.optional(.score, as: Double.self)
            query = object.optional(.query, as: String.self)
            listVersion = object.optional(.listVersion, as: Int64.self)
            note = object.optional(.note, as: String.self)
            outcome = object.optional(.outcome, as: Sighting.Outcome.self)
            officer = object.optional(.officer, as: String.self)
            document = object.optional(.document, as: String.self)
            if outcome != nil, kind != "hit" { object.add("outcome", .inconsistent, "only a hit carries an outcome") }
            if outcome == .notHim, (note ?? "").isEmpty {
                object.add("note", .missing, "a \"not him\" outcome says why in the note")
            }
            if let id, !Self.isReportID(id) {
                object.add("id", .invalidFormat, "a report id is 8-36 lower-case letters, digits and dashes")
            }
            if let kind, kind != "hit", kind != "sighting" {
                object.add("kind", .unknownCode, "kind is hit or sighting, not '\(kind)'")
            }
            if let observedAt, let now = object.context.now, observedAt > now.addingTimeInterval(300) {
                object.add("observed_at", .inFuture, "observed_at is in the future")
            }
            if !object.container.contains(.person) && !object.container.contains(.vehicle) {
                object.add("person", .missing, "a report names a person or a vehicle")
            }
            if let score, !(0...1).contains(score) { object.add("score", .outOfRange, "score is from 0 to 1") }
            if let listVersion, listVersion < 0 {
                object.add("list_version", .outOfRange, "list_version is at least 0")
            }
            var issues = IssueCollector()
            TextRules.check(query, at: object.path("query"), maxLength: 300, into: &issues)
            TextRules.check(note, at: object.path("note"), maxLength: 2000, allowNewlines: true, into: &issues)
            TextRules.check(officer, at: object.path("officer"), maxLength: 200, into: &issues)
            TextRules.check(document, at: object.path("document"), maxLength: 64, into: &issues)
            object.collector.record(ValidationFailure(issues.issues))
            try object.finish()
            self.id = id!
            self.kind = kind!
            self.observedAt = observedAt!
        }

        static func isReportID(_ id: String) -> Bool {
            (8...36).contains(id.utf8.count)
                && id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
                && id.utf8.first != 45
        }
    }

    struct Body: Decodable {
        let reports: [Report]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case reports
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let reports = object.required(.reports, as: [Collected<Report>].self) ?? []
            var good: [Report] = []
            for (index, element) in reports.enumerated() {
                switch element.result {
                case .success(let report): good.append(report)
                case .failure(let error):
                    object.collector.record(DecodingIssue.failure(for: error, fallbackPath: "reports[\(index)]"))
                }
            }
            if object.container.contains(.reports), reports.isEmpty {
                object.add("reports", .empty, "send at least one report")
            }
            if reports.count > 100 { object.add("reports", .tooLong, "at most 100 reports at a time") }
            try object.finish()
            self.reports = good
        }
    }

    struct Answer: Encodable {
        let accepted: [String]
        let duplicates: [String]
    }

    func register(on router: inout SecuredRouter) {
        let checkpointReporters = router.group(Roles.checkpointReporters)
        checkpointReporters.on(.post, "/v1/checkpoints/{id}/reports") {
            request,
            context,
            identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "checkpoints", as: CheckpointID.self)
            guard let checkpoint = try await store.entity(Checkpoint.self, id: id.rawValue)?.entity else {
                throw Problem.notFound("no checkpoints '\(id)'")
            }
            let body = try await HTTPSupport.decode(Body.self, from: request, context: context, now: now())
            var issues = IssueCollector()
            for (index, report) in body.reports.enumerated() {
                if let person = report.person, try await store.entity(Person.self, id: person.rawValue) == nil {
                    issues.add("reports[\(index)].person", .unknownReference, "no person '\(person)' is on the list")
                }
                if let vehicle = report.vehicle, try await store.entity(Vehicle.self, id: vehicle.rawValue) == nil {
                    issues.add("reports[\(index)].vehicle", .unknownReference, "no vehicle '\(vehicle)' is on the list")
                }
            }
            if Set(body.reports.map(\.id)).count != body.reports.count {
                issues.add("reports", .duplicate, "a report id appears twice")
            }
            do { try issues.finish() } catch let failure as ValidationFailure { throw Problem.validation(failure) }

            var accepted: [String] = []
            var duplicates: [String] = []
            var writes: [DocumentWrite] = []
            for report in body.reports {
                let sightingID = "s-" + report.id
                if try await store.entity(Sighting.self, id: sightingID) != nil {
                    duplicates.append(report.id)
                    continue
                }
                let sighting: Sighting
                do {
                    sighting = try Sighting(
                        id: SightingID(sightingID),
                        observedAt: report.observedAt,
                        location: checkpoint.location,
                        person: report.person,
                        vehicle: report.vehicle,
                        source: .checkpoint,
                        checkpoint: checkpoint.id,
                        confidence: Self.confidence(report),
                        note: Self.note(report),
                        outcome: report.outcome,
                        decidedBy: report.outcome == nil ? nil : report.officer
                    )
                } catch let failure as ValidationFailure {
                    throw Problem.validation(failure.nested(under: "reports"))
                }
                writes.append(try S.write(sighting, operation: .create))
                accepted.append(report.id)
            }
            if !writes.isEmpty {
                _ = try await store.apply(
                    writes,
                    audit: .init(
                        actor: identity.username,
                        role: identity.role,
                        action: "checkpoint.reports",
                        target: "checkpoint/\(checkpoint.id)",
                        address: context.remoteAddress,
                        details: .object([
                            "accepted": .array(accepted.map(JSONValue.string)),
                            "duplicates": .array(duplicates.map(JSONValue.string)),
                            "reports": .array(
                                body.reports.filter { accepted.contains($0.id) }.map(Self.auditDetails)
                            ),
                        ])
                    )
                )
                for id in accepted {
                    await bus.publish(.sighting("s-" + id))
                }
            }
            return try HTTPSupport.json(Answer(accepted: accepted, duplicates: duplicates))
        }
    }

    /// What the audit log keeps of a report kept: what the checkpoint screened and when, and what it hit,
    /// so that the query can be screened again when the list changes.
    static func auditDetails(_ report: Report) -> JSONValue {
        .object([
            "id": .string(report.id),
            "kind": .string(report.kind),
            "observed_at": .string(Instant.format(report.observedAt, in: TimeZone(secondsFromGMT: 0)!)),
            "query": report.query.map(JSONValue.string) ?? .null,
            "document": report.document.map(JSONValue.string) ?? .null,
            "person": report.person.map { .string($0.rawValue) } ?? .null,
            "vehicle": report.vehicle.map { .string($0.rawValue) } ?? .null,
        ])
    }

    /// A detention is certain, a namesake is not him; otherwise a close hit is trusted more.
    static func confidence(_ report: Report) -> Sighting.Confidence {
        switch report.outcome {
        case .detained: .high
        case .notHim: .low
        case .releasedAfterCheck, nil: report.kind == "hit" && (report.score ?? 0) >= 0.9 ? .high : .medium
        }
    }

    static func note(_ report: Report) -> String {
        var parts: [String] = []
        if report.kind == "hit" {
            var text = "screening hit at the checkpoint"
            if let query = report.query { text += " for \"\(query)\"" }
            if let score = report.score { text += ", score \(rounded(score))" }
            if let version = report.listVersion { text += ", list version \(version)" }
            if let document = report.document { text += ", document \(document)" }
            parts.append(text)
        }
        switch report.outcome {
        case .detained: parts.append("detained")
        case .releasedAfterCheck: parts.append("let through after a check")
        case .notHim: parts.append("not him")
        case nil: break
        }
        if report.outcome != nil, let officer = report.officer { parts.append("decided by \(officer)") }
        if let note = report.note { parts.append(note) }
        return String(parts.joined(separator: "; ").prefix(2000))
    }
}

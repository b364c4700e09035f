public import Foundation

/// A whole situation: a facility and its people, the checkpoints around it, and a timeline.
///
/// Cordon ships one scenario, the demo (the night of 22–23 August 2010 in Dushanbe), and can check
/// any other. Decoding validates every field and every cross-reference and reports all problems at
/// once, each with its path (`persons[3].birth_date`).
public struct Scenario: Sendable, Hashable, Codable {
    /// The format version this code reads.
    public static let schemaVersion = 1

    public let schemaVersion: Int
    public let title: String
    public let summary: String
    /// The zone in which instants are shown.
    public let timeZone: TimeZone
    /// The scenario's "now": nothing in it may be dated later.
    public let referenceTime: Date
    public let organizations: [Organization]
    public let facilities: [Facility]
    public let staff: [StaffMember]
    public let persons: [Person]
    public let custody: [CustodyRecord]
    public let relations: [Relation]
    public let vehicles: [Vehicle]
    public let checkpoints: [Checkpoint]
    public let events: [TimelineEvent]
    public let incidents: [Incident]
    public let alerts: [Alert]
    public let sightings: [Sighting]

    /// Decodes and validates a scenario from JSON.
    ///
    /// - Parameters:
    ///   - data: the JSON document.
    ///   - context: what "now" is; birth dates and instants must not be later.
    /// - Throws: ``ValidationFailure`` listing every bad field and every broken reference.
    public static func decode(from data: Data, context: ValidationContext) throws -> Scenario {
        do {
            return try JSONDecoder.cordon(context: context).decode(Scenario.self, from: data)
        } catch let failure as ValidationFailure {
            throw failure
        } catch let error as DecodingError {
            if case .dataCorrupted(let detail) = error, detail.codingPath.isEmpty {
                throw ValidationFailure(path: "", reason: .invalidFormat, message: "not a valid JSON document")
            }
            throw DecodingIssue.failure(for: error, fallbackPath: "")
        }
    }

    /// The people on the wanted list.
    public var wantedPersons: [Person] { persons.filter(\.isWanted) }

    /// The person with an identifier.
    public func person(_ id: PersonID) -> Person? { persons.first { $0.id == id } }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version"
        case title, summary
        case timeZone = "time_zone"
        case referenceTime = "reference_time"
        case organizations, facilities, staff, persons, custody, relations, vehicles, checkpoints, events
        case incidents, alerts, sightings
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let version = object.required(.schemaVersion, as: Int.self)
        if let version, version != Self.schemaVersion {
            object.add(
                "schema_version",
                .outOfRange,
                "version \(version) is not supported (this Cordon reads \(Self.schemaVersion))"
            )
        }
        let title = object.required(.title, as: String.self)
        let summary = object.required(.summary, as: String.self)
        var zone: TimeZone?
        if let name = object.required(.timeZone, as: String.self) {
            zone = TimeZone(identifier: name)
            if zone == nil { object.add("time_zone", .unknownCode, "'\(name)' is not an IANA time zone") }
        }
        let reference = object.required(.referenceTime, as: Date.self)
        var parts = Parts()
        parts.organizations = object.indexedList(.organizations)
        parts.facilities = object.indexedList(.facilities)
        parts.staff = object.indexedList(.staff)
        parts.persons = object.indexedList(.persons)
        parts.custody = object.indexedList(.custody)
        parts.relations = object.indexedList(.relations)
        parts.vehicles = object.indexedList(.vehicles)
        parts.checkpoints = object.indexedList(.checkpoints)
        parts.events = object.indexedList(.events)
        parts.incidents = object.indexedList(.incidents)
        parts.alerts = object.indexedList(.alerts)
        parts.sightings = object.indexedList(.sightings)
        for key in [CodingKeys.organizations, .facilities, .staff, .persons, .vehicles, .checkpoints, .incidents] {
            let written = (try? object.container.decode([WrittenID].self, forKey: key)) ?? []
            parts.writtenIDs[key.rawValue] = Set(written.compactMap(\.id))
        }
        var text = IssueCollector()
        TextRules.check(title, at: "title", maxLength: 200, into: &text)
        TextRules.check(summary, at: "summary", maxLength: 5000, allowNewlines: true, into: &text)
        object.collector.record(ValidationFailure(text.issues))
        parts.checkReferences(referenceTime: reference, into: &object.collector)
        try object.finish()
        self.schemaVersion = version!
        self.title = title!
        self.summary = summary!
        self.timeZone = zone!
        self.referenceTime = reference!
        self.organizations = parts.organizations.map(\.value)
        self.facilities = parts.facilities.map(\.value)
        self.staff = parts.staff.map(\.value)
        self.persons = parts.persons.map(\.value)
        self.custody = parts.custody.map(\.value)
        self.relations = parts.relations.map(\.value)
        self.vehicles = parts.vehicles.map(\.value)
        self.checkpoints = parts.checkpoints.map(\.value)
        self.events = parts.events.map(\.value)
        self.incidents = parts.incidents.map(\.value)
        self.alerts = parts.alerts.map(\.value)
        self.sightings = parts.sightings.map(\.value)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(title, forKey: .title)
        try container.encode(summary, forKey: .summary)
        try container.encode(timeZone.identifier, forKey: .timeZone)
        try container.encode(referenceTime, forKey: .referenceTime)
        try container.encode(organizations, forKey: .organizations)
        try container.encode(facilities, forKey: .facilities)
        try container.encode(staff, forKey: .staff)
        try container.encode(persons, forKey: .persons)
        try container.encode(custody, forKey: .custody)
        try container.encode(relations, forKey: .relations)
        try container.encode(vehicles, forKey: .vehicles)
        try container.encode(checkpoints, forKey: .checkpoints)
        try container.encode(events, forKey: .events)
        try container.encode(incidents, forKey: .incidents)
        try container.encode(alerts, forKey: .alerts)
        try container.encode(sightings, forKey: .sightings)
    }
}

/// The `id` of a JSON object as written, or nil; never fails, whatever the object holds.
private struct WrittenID: Decodable {
    let id: String?

    enum CodingKeys: String, CodingKey {
        case id
    }

    init(from decoder: any Decoder) throws {
        id = try? decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .id)
    }
}

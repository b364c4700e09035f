public import Foundation

/// Something wrong at a facility that people must act on: a missed check-in, an escape, an attack.
public struct Incident: Sendable, Hashable, Codable, Identifiable {
    /// What went wrong.
    public enum Kind: String, CodedEnum {
        case missedCheckIn = "missed_check_in"
        case escape
        case attack
        case rollCallDiscrepancy = "roll_call_discrepancy"
        case armoryDiscrepancy = "armory_discrepancy"
        case duress
        case other
    }

    /// Where an incident stands: raised, then confirmed, then closed.
    public enum Status: String, CodedEnum {
        case raised
        case confirmed
        case closed

        /// Whether an incident may go from this status to `next` (forward only).
        public func canChange(to next: Status) -> Bool {
            switch (self, next) {
            case (.raised, .confirmed), (.raised, .closed), (.confirmed, .closed): return true
            default: return false
            }
        }
    }

    public let id: IncidentID
    public let kind: Kind
    public let facility: FacilityID?
    public let raisedAt: Date
    public let status: Status
    public let summary: String
    /// The people concerned: for an escape, the fugitives.
    public let persons: [PersonID]
    /// The vehicles concerned.
    public let vehicles: [VehicleID]

    /// Creates an incident.
    ///
    /// - Throws: ``ValidationFailure`` for an empty summary or repeated persons or vehicles.
    public init(
        id: IncidentID,
        kind: Kind,
        facility: FacilityID? = nil,
        raisedAt: Date,
        status: Status = .raised,
        summary: String,
        persons: [PersonID] = [],
        vehicles: [VehicleID] = []
    ) throws {
        var issues = IssueCollector()
        TextRules.check(summary, at: "summary", maxLength: 2000, allowNewlines: true, into: &issues)
        Uniqueness.check(persons, at: "persons", key: "", into: &issues)
        Uniqueness.check(vehicles, at: "vehicles", key: "", into: &issues)
        try issues.finish()
        self.id = id
        self.kind = kind
        self.facility = facility
        self.raisedAt = raisedAt
        self.status = status
        self.summary = summary
        self.persons = persons
        self.vehicles = vehicles
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, facility
        case raisedAt = "raised_at"
        case status, summary, persons, vehicles
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: IncidentID.self)
        let kind = object.required(.kind, as: Kind.self)
        let facility = object.optional(.facility, as: FacilityID.self)
        let raisedAt = object.required(.raisedAt, as: Date.self)
        let status = object.optional(.status, as: Status.self)
        let summary = object.required(.summary, as: String.self)
        let persons = object.list(.persons, as: PersonID.self)
        let vehicles = object.list(.vehicles, as: VehicleID.self)
        try object.finish()
        self = try object.construct {
            try Incident(
                id: id!,
                kind: kind!,
                facility: facility,
                raisedAt: raisedAt!,
                status: status ?? .raised,
                summary: summary!,
                persons: persons,
                vehicles: vehicles
            )
        }
    }
}

public import Foundation

/// Something that happened, placed on the timeline of an incident.
public struct TimelineEvent: Sendable, Hashable, Codable, Identifiable {
    /// What happened.
    public enum Kind: String, CodedEnum {
        case prayer
        case ruse
        case cellOpened = "cell_opened"
        case guardKilled = "guard_killed"
        case guardsOverpowered = "guards_overpowered"
        case keysTaken = "keys_taken"
        case weaponsTaken = "weapons_taken"
        case cellsOpened = "cells_opened"
        case disguise
        case postAttacked = "post_attacked"
        case vehiclesTaken = "vehicles_taken"
        case escapeDiscovered = "escape_discovered"
        case incidentRaised = "incident_raised"
        case alertSent = "alert_sent"
        case vehicleFound = "vehicle_found"
        case sighting
        case capture
        case listPublished = "list_published"
        /// A report attached to a person's timeline as a source (``TimelineEvent/report`` says which).
        case report
        case other
    }

    public let id: EventID
    public let at: Date
    public let kind: Kind
    public let summary: String
    public let facility: FacilityID?
    public let post: GuardPostID?
    public let persons: [PersonID]
    public let staff: [StaffID]
    public let vehicles: [VehicleID]
    public let location: Coordinates?
    /// The report, for an event of kind ``Kind/report``.
    public let report: ReportAttachment?

    /// Creates an event.
    ///
    /// - Throws: ``ValidationFailure`` for an empty or overlong summary, or a report given with an
    ///   event of another kind (or none with a report event).
    public init(
        id: EventID,
        at: Date,
        kind: Kind,
        summary: String,
        facility: FacilityID? = nil,
        post: GuardPostID? = nil,
        persons: [PersonID] = [],
        staff: [StaffID] = [],
        vehicles: [VehicleID] = [],
        location: Coordinates? = nil,
        report: ReportAttachment? = nil
    ) throws {
        var issues = IssueCollector()
        TextRules.check(summary, at: "summary", maxLength: 1000, into: &issues)
        issues.check(
            (kind == .report) == (report != nil),
            "report",
            kind == .report ? .missing : .inconsistent,
            kind == .report ? "a report event says which report" : "only a report event carries a report"
        )
        try issues.finish()
        self.id = id
        self.at = at
        self.kind = kind
        self.summary = summary
        self.facility = facility
        self.post = post
        self.persons = persons
        self.staff = staff
        self.vehicles = vehicles
        self.location = location
        self.report = report
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, at, kind, summary, facility, post, persons, staff, vehicles, location, report
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: EventID.self)
        let at = object.required(.at, as: Date.self)
        let kind = object.required(.kind, as: Kind.self)
        let summary = object.required(.summary, as: String.self)
        let facility = object.optional(.facility, as: FacilityID.self)
        let post = object.optional(.post, as: GuardPostID.self)
        let persons = object.list(.persons, as: PersonID.self)
        let staff = object.list(.staff, as: StaffID.self)
        let vehicles = object.list(.vehicles, as: VehicleID.self)
        let location = object.optional(.location, as: Coordinates.self)
        let report = object.optional(.report, as: ReportAttachment.self)
        try object.finish()
        self = try object.construct {
            try TimelineEvent(
                id: id!,
                at: at!,
                kind: kind!,
                summary: summary!,
                facility: facility,
                post: post,
                persons: persons,
                staff: staff,
                vehicles: vehicles,
                location: location,
                report: report
            )
        }
    }
}

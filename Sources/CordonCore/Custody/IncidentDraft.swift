public import Foundation

/// An incident a custody rule wants raised: what went wrong, where, when, and a sentence for people.
///
/// Rules are pure and do not mint identifiers; the driver that runs them gives the draft an
/// ``IncidentID`` with ``makeIncident(id:)`` and stores it.
public struct IncidentDraft: Sendable, Hashable {
    /// What went wrong.
    public let kind: Incident.Kind
    /// The facility concerned, when the rule knows it.
    public let facility: FacilityID?
    /// The instant the rule fired: a deadline, a count, a request.
    public let raisedAt: Date
    /// A sentence for the duty officer.
    public let summary: String

    /// Creates a draft.
    public init(kind: Incident.Kind, facility: FacilityID? = nil, raisedAt: Date, summary: String) {
        self.kind = kind
        self.facility = facility
        self.raisedAt = raisedAt
        self.summary = summary
    }

    /// The incident this draft describes, raised under `id`.
    ///
    /// - Parameters:
    ///   - id: the identifier the driver chose.
    ///   - persons: the people concerned, if any.
    /// - Throws: ``ValidationFailure`` when the summary is not a valid incident summary.
    public func makeIncident(id: IncidentID, persons: [PersonID] = []) throws -> Incident {
        try Incident(id: id, kind: kind, facility: facility, raisedAt: raisedAt, summary: summary, persons: persons)
    }
}

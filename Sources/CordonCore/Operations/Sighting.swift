public import Foundation

/// A report that a wanted person or vehicle was seen somewhere.
public struct Sighting: Sendable, Hashable, Codable, Identifiable {
    /// Who reported it.
    public enum Source: String, CodedEnum {
        case checkpoint
        case patrol
        case publicTip = "public_tip"
        case informant
    }

    /// What the officers at a checkpoint decided about the person a screening hit named.
    public enum Outcome: String, CodedEnum {
        /// Held and handed over.
        case detained
        /// Let through once a check showed no cause to hold them.
        case releasedAfterCheck = "released_after_check"
        /// Not the wanted person: the hit was a namesake (the note says why).
        case notHim = "not_him"
    }

    /// How far the report can be trusted.
    public enum Confidence: String, CodedEnum {
        case low
        case medium
        case high
    }

    public let id: SightingID
    public let observedAt: Date
    public let location: Coordinates
    public let person: PersonID?
    public let vehicle: VehicleID?
    public let source: Source
    /// The checkpoint that reported it, for a checkpoint source.
    public let checkpoint: CheckpointID?
    public let confidence: Confidence
    public let note: String?
    /// What the checkpoint decided, for a screening hit it settled.
    public let outcome: Outcome?
    /// The officer who decided it, as their pass names them.
    public let decidedBy: String?
    /// The lead it was made from: a past screening found to name the person once they were listed.
    public let lead: LeadID?

    /// Creates a sighting.
    ///
    /// - Throws: ``ValidationFailure`` when neither a person nor a vehicle is named, or a checkpoint is
    ///   named for another source.
    public init(
        id: SightingID,
        observedAt: Date,
        location: Coordinates,
        person: PersonID? = nil,
        vehicle: VehicleID? = nil,
        source: Source,
        checkpoint: CheckpointID? = nil,
        confidence: Confidence,
        note: String? = nil,
        outcome: Outcome? = nil,
        decidedBy: String? = nil,
        lead: LeadID? = nil
    ) throws {
        var issues = IssueCollector()
        issues.check(person != nil || vehicle != nil, "person", .missing, "a sighting names a person or a vehicle")
        issues.check(
            checkpoint == nil || source == .checkpoint,
            "checkpoint",
            .inconsistent,
            "only a checkpoint report names a checkpoint"
        )
        TextRules.check(note, at: "note", maxLength: 2000, allowNewlines: true, into: &issues)
        TextRules.check(decidedBy, at: "decided_by", maxLength: 200, into: &issues)
        issues.check(
            outcome == nil || source == .checkpoint,
            "outcome",
            .inconsistent,
            "only a checkpoint report carries an outcome"
        )
        issues.check(
            outcome != .notHim || !(note ?? "").isEmpty,
            "note",
            .missing,
            "a \"not him\" outcome says why in the note"
        )
        try issues.finish()
        self.id = id
        self.observedAt = observedAt
        self.location = location
        self.person = person
        self.vehicle = vehicle
        self.source = source
        self.checkpoint = checkpoint
        self.confidence = confidence
        self.note = note
        self.outcome = outcome
        self.decidedBy = decidedBy
        self.lead = lead
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case observedAt = "observed_at"
        case location, person, vehicle, source, checkpoint, confidence, note, outcome
        case decidedBy = "decided_by"
        case lead
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: SightingID.self)
        let observedAt = object.required(.observedAt, as: Date.self)
        let location = object.required(.location, as: Coordinates.self)
        let person = object.optional(.person, as: PersonID.self)
        let vehicle = object.optional(.vehicle, as: VehicleID.self)
        let source = object.required(.source, as: Source.self)
        let checkpoint = object.optional(.checkpoint, as: CheckpointID.self)
        let confidence = object.required(.confidence, as: Confidence.self)
        let note = object.optional(.note, as: String.self)
        let outcome = object.optional(.outcome, as: Outcome.self)
        let decidedBy = object.optional(.decidedBy, as: String.self)
        let lead = object.optional(.lead, as: LeadID.self)
        try object.finish()
        self = try object.construct {
            try Sighting(
                id: id!,
                observedAt: observedAt!,
                location: location!,
                person: person,
                vehicle: vehicle,
                source: source!,
                checkpoint: checkpoint,
                confidence: confidence!,
                note: note,
                outcome: outcome,
                decidedBy: decidedBy,
                lead: lead
            )
        }
    }
}

public import Foundation

/// A message sent from an incident to posts and checkpoints.
public struct Alert: Sendable, Hashable, Codable, Identifiable {
    /// What the alert asks for.
    public enum Kind: String, CodedEnum {
        /// Posts lock the facility down.
        case lockdown
        /// Checkpoints look out for the people and vehicles named.
        case beOnLookout = "be_on_lookout"
        /// Changes an earlier alert.
        case update
        /// Withdraws an earlier alert.
        case cancel
    }

    public let id: AlertID
    public let incident: IncidentID
    public let kind: Kind
    public let sentAt: Date
    public let headline: String
    public let persons: [PersonID]
    public let vehicles: [VehicleID]
    /// The checkpoints it was sent to.
    public let checkpoints: [CheckpointID]

    /// Creates an alert.
    ///
    /// - Throws: ``ValidationFailure`` for an empty headline, or a look-out alert that names nobody and
    ///   no vehicle.
    public init(
        id: AlertID,
        incident: IncidentID,
        kind: Kind,
        sentAt: Date,
        headline: String,
        persons: [PersonID] = [],
        vehicles: [VehicleID] = [],
        checkpoints: [CheckpointID] = []
    ) throws {
        var issues = IssueCollector()
        TextRules.check(headline, at: "headline", maxLength: 300, into: &issues)
        if kind == .beOnLookout {
            issues.check(
                !persons.isEmpty || !vehicles.isEmpty,
                "persons",
                .empty,
                "a be-on-the-lookout alert names at least one person or vehicle"
            )
        }
        try issues.finish()
        self.id = id
        self.incident = incident
        self.kind = kind
        self.sentAt = sentAt
        self.headline = headline
        self.persons = persons
        self.vehicles = vehicles
        self.checkpoints = checkpoints
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, incident, kind
        case sentAt = "sent_at"
        case headline, persons, vehicles, checkpoints
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: AlertID.self)
        let incident = object.required(.incident, as: IncidentID.self)
        let kind = object.required(.kind, as: Kind.self)
        let sentAt = object.required(.sentAt, as: Date.self)
        let headline = object.required(.headline, as: String.self)
        let persons = object.list(.persons, as: PersonID.self)
        let vehicles = object.list(.vehicles, as: VehicleID.self)
        let checkpoints = object.list(.checkpoints, as: CheckpointID.self)
        try object.finish()
        self = try object.construct {
            try Alert(
                id: id!,
                incident: incident!,
                kind: kind!,
                sentAt: sentAt!,
                headline: headline!,
                persons: persons,
                vehicles: vehicles,
                checkpoints: checkpoints
            )
        }
    }
}

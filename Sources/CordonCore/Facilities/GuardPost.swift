/// A guard post that must check in on a schedule.
public struct GuardPost: Sendable, Hashable, Codable, Identifiable {
    /// Where the post stands.
    public enum Kind: String, CodedEnum {
        case `internal`
        case gate
        case outer
        case tower
        case controlRoom = "control_room"
    }

    public let id: GuardPostID
    public let name: String
    public let kind: Kind
    /// The block the post watches, if any.
    public let block: BlockID?
    /// Minutes between check-ins, 1–1440.
    public let checkInIntervalMinutes: Int
    /// Minutes of grace after a check-in falls due before it counts as missed, 0–120.
    public let graceMinutes: Int

    /// Creates a post.
    ///
    /// - Throws: ``ValidationFailure`` for an empty name or an interval or grace out of range.
    public init(
        id: GuardPostID,
        name: String,
        kind: Kind,
        block: BlockID? = nil,
        checkInIntervalMinutes: Int,
        graceMinutes: Int
    ) throws {
        var issues = IssueCollector()
        TextRules.check(name, at: "name", maxLength: 100, into: &issues)
        issues.check(
            (1...1440).contains(checkInIntervalMinutes),
            "check_in_interval_minutes",
            .outOfRange,
            "interval \(checkInIntervalMinutes) must be between 1 and 1440 minutes"
        )
        issues.check(
            (0...120).contains(graceMinutes),
            "grace_minutes",
            .outOfRange,
            "grace \(graceMinutes) must be between 0 and 120 minutes"
        )
        try issues.finish()
        self.id = id
        self.name = name
        self.kind = kind
        self.block = block
        self.checkInIntervalMinutes = checkInIntervalMinutes
        self.graceMinutes = graceMinutes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, kind, block
        case checkInIntervalMinutes = "check_in_interval_minutes"
        case graceMinutes = "grace_minutes"
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: GuardPostID.self)
        let name = object.required(.name, as: String.self)
        let kind = object.required(.kind, as: Kind.self)
        let block = object.optional(.block, as: BlockID.self)
        let interval = object.required(.checkInIntervalMinutes, as: Int.self)
        let grace = object.required(.graceMinutes, as: Int.self)
        try object.finish()
        self = try object.construct {
            try GuardPost(
                id: id!,
                name: name!,
                kind: kind!,
                block: block,
                checkInIntervalMinutes: interval!,
                graceMinutes: grace!
            )
        }
    }
}

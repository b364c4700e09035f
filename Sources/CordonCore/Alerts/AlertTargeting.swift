import Foundation

/// Which checkpoints an alert goes to: by kind, by region, by distance from the facility, or by name;
/// the chosen ones nearest first.
public struct AlertTargeting: Sendable, Hashable, Codable {
    /// Kinds of checkpoint to include; empty for every kind.
    public var kinds: [Checkpoint.Kind]
    /// Regions to include; empty for every region.
    public var regions: [String]
    /// Only checkpoints within this many kilometres of the facility, when set.
    public var withinKM: Double?
    /// Only these checkpoints, when not empty.
    public var checkpoints: [CheckpointID]

    /// Creates a targeting; the defaults choose every checkpoint.
    public init(
        kinds: [Checkpoint.Kind] = [],
        regions: [String] = [],
        withinKM: Double? = nil,
        checkpoints: [CheckpointID] = []
    ) throws {
        var issues = IssueCollector()
        if let withinKM {
            issues.check(
                withinKM.isFinite && withinKM > 0 && withinKM <= 5000,
                "within_km",
                .outOfRange,
                "\(withinKM) must be more than 0 and at most 5000 km"
            )
        }
        Uniqueness.check(checkpoints, at: "checkpoints", key: "", into: &issues)
        for (index, region) in regions.enumerated() {
            TextRules.check(region, at: "regions[\(index)]", maxLength: 100, into: &issues)
        }
        try issues.finish()
        self.kinds = kinds
        self.regions = regions
        self.withinKM = withinKM
        self.checkpoints = checkpoints
    }

    /// A checkpoint chosen, with its distance from the facility.
    public struct Target: Sendable, Hashable {
        /// The checkpoint.
        public let checkpoint: Checkpoint
        /// Kilometres from the facility, great-circle.
        public let distanceKM: Double
    }

    /// The checkpoints this targeting chooses, nearest to `origin` first (ties by identifier).
    public func select(from all: [Checkpoint], around origin: Coordinates) -> [Target] {
        let kindSet = Set(kinds)
        let regionSet = Set(regions.map { $0.lowercased() })
        let named = Set(checkpoints)
        return
            all
            .filter { kindSet.isEmpty || kindSet.contains($0.kind) }
            .filter { regionSet.isEmpty || regionSet.contains($0.region.lowercased()) }
            .filter { named.isEmpty || named.contains($0.id) }
            .map { Target(checkpoint: $0, distanceKM: origin.distance(to: $0.location)) }
            .filter { withinKM == nil || $0.distanceKM <= withinKM! }
            .sorted {
                $0.distanceKM != $1.distanceKM
                    ? $0.distanceKM < $1.distanceKM : $0.checkpoint.id.rawValue < $1.checkpoint.id.rawValue
            }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kinds, regions
        case withinKM = "within_km"
        case checkpoints
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let kinds = object.list(.kinds, as: Checkpoint.Kind.self)
        let regions = object.list(.regions, as: String.self)
        let within = object.optional(.withinKM, as: Double.self)
        let checkpoints = object.list(.checkpoints, as: CheckpointID.self)
        try object.finish()
        self = try object.construct {
            try AlertTargeting(kinds: kinds, regions: regions, withinKM: within, checkpoints: checkpoints)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kinds, forKey: .kinds)
        try container.encode(regions, forKey: .regions)
        try container.encodeIfPresent(withinKM, forKey: .withinKM)
        try container.encode(checkpoints, forKey: .checkpoints)
    }
}

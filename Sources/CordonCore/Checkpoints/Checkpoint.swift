/// A place where police stop and screen people and vehicles.
public struct Checkpoint: Sendable, Hashable, Codable, Identifiable {
    /// What kind of place the checkpoint guards.
    public enum Kind: String, CodedEnum, CustomStringConvertible {
        case road
        case airport
        case railwayStation = "railway_station"
        case borderCrossing = "border_crossing"

        public var description: String {
            switch self {
            case .road: return "road"
            case .airport: return "airport"
            case .railwayStation: return "railway station"
            case .borderCrossing: return "border crossing"
            }
        }
    }

    public let id: CheckpointID
    public let name: String
    public let kind: Kind
    public let location: Coordinates
    /// The administrative region (`Khatlon`, `Sughd`).
    public let region: String
    /// The road or line it sits on (`Dushanbe–Vahdat highway`).
    public let route: String?
    /// For a border crossing, the country on the other side.
    public let borderWith: CountryCode?

    /// Creates a checkpoint.
    ///
    /// - Throws: ``ValidationFailure`` for empty text, or a border crossing without the neighbouring
    ///   country (or another kind with one).
    public init(
        id: CheckpointID,
        name: String,
        kind: Kind,
        location: Coordinates,
        region: String,
        route: String? = nil,
        borderWith: CountryCode? = nil
    ) throws {
        var issues = IssueCollector()
        TextRules.check(name, at: "name", maxLength: 200, into: &issues)
        TextRules.check(region, at: "region", maxLength: 100, into: &issues)
        TextRules.check(route, at: "route", maxLength: 200, into: &issues)
        if kind == .borderCrossing {
            issues.check(borderWith != nil, "border_with", .missing, "a border crossing needs the neighbouring country")
        } else {
            issues.check(
                borderWith == nil,
                "border_with",
                .inconsistent,
                "only a border crossing has a neighbouring country"
            )
        }
        try issues.finish()
        self.id = id
        self.name = name
        self.kind = kind
        self.location = location
        self.region = region
        self.route = route
        self.borderWith = borderWith
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, kind, location, region, route
        case borderWith = "border_with"
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: CheckpointID.self)
        let name = object.required(.name, as: String.self)
        let kind = object.required(.kind, as: Kind.self)
        let location = object.required(.location, as: Coordinates.self)
        let region = object.required(.region, as: String.self)
        let route = object.optional(.route, as: String.self)
        let borderWith = object.optional(.borderWith, as: CountryCode.self)
        try object.finish()
        self = try object.construct {
            try Checkpoint(
                id: id!,
                name: name!,
                kind: kind!,
                location: location!,
                region: region!,
                route: route,
                borderWith: borderWith
            )
        }
    }
}

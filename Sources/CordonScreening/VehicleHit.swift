public import CordonCore
public import CordonDocuments

/// A listed vehicle whose plate matches.
public struct VehicleHit: Encodable, Sendable {
    public let id: String
    public let kind: String
    public let plate: String
    public let country: String
    public let make: String
    public let model: String
    public let colour: String
    public let isStolen: Bool
    public let score: Double
    public let alert: Bool
    public let explanation: PlateExplanation

    enum CodingKeys: String, CodingKey {
        case id, kind, plate, country, make, model, colour
        case isStolen = "stolen"
        case score, alert, explanation
    }

    /// The report of a plate hit on a listed vehicle.
    public init(_ hit: PlateIndex<String>.Hit, vehicle: Vehicle, query: PlateReading) {
        id = vehicle.id.rawValue
        kind = "vehicle"
        plate = vehicle.plate.text
        country = vehicle.country.rawValue
        make = vehicle.make
        model = vehicle.model
        colour = vehicle.colour
        isStolen = vehicle.isStolen
        score = rounded(hit.match.score)
        alert = hit.isAlert
        explanation = PlateExplanation(query: query, listed: hit.plate, match: hit.match)
    }
}

/// Why a plate matched.
public struct PlateExplanation: Encodable, Sendable {
    public let summary: String
    public let rule: String
    public let queryPlate: String
    public let listedPlate: String
    public let comparedQuery: String
    public let comparedListed: String
    public let format: String?
    public let region: String?
    public let position: Int?
    public let listedCharacter: String?
    public let readCharacter: String?
    public let confusion: Double?
    public let isRegionIgnored: Bool
    public let isLookAlikeFolded: Bool

    enum CodingKeys: String, CodingKey {
        case summary, rule
        case queryPlate = "query_plate"
        case listedPlate = "listed_plate"
        case comparedQuery = "compared_query"
        case comparedListed = "compared_listed"
        case format, region, position
        case listedCharacter = "listed_character"
        case readCharacter = "read_character"
        case confusion
        case isRegionIgnored = "region_ignored"
        case isLookAlikeFolded = "look_alike_letters"
    }

    public init(query: PlateReading, listed: PlateReading, match: PlateMatch) {
        summary = match.summary
        rule = match.rule.rawValue
        queryPlate = query.written
        listedPlate = listed.written
        comparedQuery = match.comparedReading
        comparedListed = match.comparedListed
        format = listed.format?.identifier
        region = listed.region
        position = match.position
        listedCharacter = match.listedCharacter
        readCharacter = match.readCharacter
        confusion = match.confusion.map(rounded)
        isRegionIgnored = match.isRegionIgnored
        isLookAlikeFolded = match.isLookAlikeFolded
    }

    public func encode(to encoder: any Encoder) throws {
        // Absent facts are written as null, so every hit has the same keys.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(summary, forKey: .summary)
        try container.encode(rule, forKey: .rule)
        try container.encode(queryPlate, forKey: .queryPlate)
        try container.encode(listedPlate, forKey: .listedPlate)
        try container.encode(comparedQuery, forKey: .comparedQuery)
        try container.encode(comparedListed, forKey: .comparedListed)
        try container.encode(format, forKey: .format)
        try container.encode(region, forKey: .region)
        try container.encode(position, forKey: .position)
        try container.encode(listedCharacter, forKey: .listedCharacter)
        try container.encode(readCharacter, forKey: .readCharacter)
        try container.encode(confusion, forKey: .confusion)
        try container.encode(isRegionIgnored, forKey: .isRegionIgnored)
        try container.encode(isLookAlikeFolded, forKey: .isLookAlikeFolded)
    }
}

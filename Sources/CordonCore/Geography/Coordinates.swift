import Foundation

/// A point on the earth in WGS-84 degrees.
public struct Coordinates: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Latitude in degrees, −90 to 90.
    public let latitude: Double
    /// Longitude in degrees, −180 to 180.
    public let longitude: Double

    /// Creates coordinates, checking their ranges.
    ///
    /// - Throws: ``ValidationFailure`` naming `lat` or `lon` when out of range or not finite.
    public init(latitude: Double, longitude: Double) throws {
        var issues = IssueCollector()
        issues.check(
            latitude.isFinite && (-90...90).contains(latitude),
            "lat",
            .outOfRange,
            "latitude \(latitude) must be between -90 and 90"
        )
        issues.check(
            longitude.isFinite && (-180...180).contains(longitude),
            "lon",
            .outOfRange,
            "longitude \(longitude) must be between -180 and 180"
        )
        try issues.finish()
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The great-circle distance to `other` in kilometres (haversine, mean earth radius).
    public func distance(to other: Coordinates) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.latitude - latitude) * radians
        let dLon = (other.longitude - longitude) * radians
        let a =
            sin(dLat / 2) * sin(dLat / 2) + cos(latitude * radians) * cos(other.latitude * radians) * sin(dLon / 2)
            * sin(dLon / 2)
        return 2 * 6371.0088 * asin(min(1, a.squareRoot()))
    }

    public var description: String {
        "\(latitude),\(longitude)"
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case latitude = "lat"
        case longitude = "lon"
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let latitude = object.required(.latitude, as: Double.self)
        let longitude = object.required(.longitude, as: Double.self)
        try object.finish()
        self = try object.construct { try Coordinates(latitude: latitude!, longitude: longitude!) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(latitude, forKey: .latitude)
        try container.encode(longitude, forKey: .longitude)
    }
}

import Foundation

/// The towns the dashboard names places by: a point is written as where it lies from the nearest
/// town (`12 km east of Vahdat`, `in Vahdat`) rather than as bare coordinates.
///
/// Loaded once from the bundled `geo/places.json` (Natural Earth's populated places and a few
/// towns added by hand; see that folder's README). Distances are great-circle distances on a
/// sphere of the Earth's mean radius, and directions one of the eight points of the compass, from
/// the town to the point.
struct Gazetteer: Sendable {
    /// One town.
    struct Place: Sendable, Hashable, Decodable {
        let name: String
        let latitude: Double
        let longitude: Double
        /// 1 for the capital and the regions' centres, 2 for large towns, 3 for the others: the
        /// map labels lower ranks only when zoomed in.
        let rank: Int
        /// The country, ISO 3166-1 alpha-3 (`TJK`), when known.
        let country: String?

        init(name: String, latitude: Double, longitude: Double, rank: Int, country: String? = nil) {
            self.name = name
            self.latitude = latitude
            self.longitude = longitude
            self.rank = rank
            self.country = country
        }

        /// Within this distance of the town, in kilometres, a point is said to be in it: 6 for the
        /// capital and the regions' centres, which spread further, 2 for the others.
        var radius: Double { rank <= 1 ? 6 : 2 }

        private enum CodingKeys: String, CodingKey {
            case name, rank, country
            case latitude = "lat"
            case longitude = "lon"
        }
    }

    /// Where a point lies from the nearest town.
    struct Position: Sendable, Hashable {
        let place: Place
        /// Kilometres from the town.
        let distance: Double
        /// `north`, `north-east`, … from the town to the point.
        let direction: String

        /// Whether the point is in the town rather than near it.
        var isInside: Bool { distance < place.radius }

        /// `in Vahdat`, `12 km east of Vahdat`.
        var text: String {
            isInside ? "in \(place.name)" : "\(Int(distance.rounded())) km \(direction) of \(place.name)"
        }
    }

    /// Every town, biggest first.
    let places: [Place]

    /// The Earth's mean radius in kilometres.
    static let earthRadius = 6371.0088

    init(places: [Place]) {
        self.places = places.sorted { ($0.rank, $0.name) < ($1.rank, $1.name) }
    }

    /// Reads `places.json`: an array of `{"name", "lat", "lon", "rank"}` (other keys are ignored).
    ///
    /// - Throws: when the data is not such JSON.
    init(json data: Data) throws {
        self.init(places: try JSONDecoder().decode([Place].self, from: data))
    }

    /// The nearest town to a point and where the point lies from it, or nil when there is no town.
    func position(latitude: Double, longitude: Double) -> Position? {
        var best: (Place, Double)?
        for place in places {
            let distance = Self.distance(place.latitude, place.longitude, latitude, longitude)
            if best == nil || distance < best!.1 { best = (place, distance) }
        }
        guard let (place, distance) = best else { return nil }
        let bearing = Self.bearing(place.latitude, place.longitude, latitude, longitude)
        return Position(place: place, distance: distance, direction: Self.compass(bearing))
    }

    /// `12 km east of Vahdat`, `in Vahdat`; the coordinates when the gazetteer is empty.
    func describe(latitude: Double, longitude: Double) -> String {
        position(latitude: latitude, longitude: longitude)?.text
            ?? Self.coordinates(latitude: latitude, longitude: longitude)
    }

    /// `39.0300, 70.3750`: latitude then longitude, four decimals (about 10 m).
    static func coordinates(latitude: Double, longitude: Double) -> String {
        String(format: "%.4f, %.4f", latitude, longitude)
    }

    /// The great-circle distance in kilometres between two points (haversine).
    static func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let phi1 = radians(lat1)
        let phi2 = radians(lat2)
        let dPhi = radians(lat2 - lat1)
        let dLambda = radians(lon2 - lon1)
        let a = sin(dPhi / 2) * sin(dPhi / 2) + cos(phi1) * cos(phi2) * sin(dLambda / 2) * sin(dLambda / 2)
        return 2 * earthRadius * atan2(sqrt(a), sqrt(max(0, 1 - a)))
    }

    /// The initial bearing from the first point to the second, in degrees clockwise from north
    /// (0 ..< 360).
    static func bearing(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let phi1 = radians(lat1)
        let phi2 = radians(lat2)
        let dLambda = radians(lon2 - lon1)
        let y = sin(dLambda) * cos(phi2)
        let x = cos(phi1) * sin(phi2) - sin(phi1) * cos(phi2) * cos(dLambda)
        let degrees = atan2(y, x) * 180 / .pi
        return (degrees + 360).truncatingRemainder(dividingBy: 360)
    }

    /// The nearest of the eight points of the compass to a bearing: `north`, `north-east`, ….
    static func compass(_ bearing: Double) -> String {
        let points = ["north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"]
        let normalised = (bearing.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360)
        return points[Int((normalised / 45).rounded()) % 8]
    }

    private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
}

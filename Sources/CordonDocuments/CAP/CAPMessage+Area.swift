public import CordonCore

extension CAPMessage {
    /// The area an information block concerns (`area`).
    public struct Area: Sendable, Hashable {
        /// The area in words.
        public let description: String
        public let polygons: [Polygon]
        public let circles: [Circle]
        public let geocodes: [NamedValue]
        /// The altitude, in feet above mean sea level.
        public let altitude: Double?
        /// The ceiling, in feet above mean sea level; only with an altitude.
        public let ceiling: Double?

        /// Creates an area.
        ///
        /// - Throws: ``ValidationFailure`` for an empty description, a non-finite altitude or a ceiling
        ///   without an altitude or below it.
        public init(
            description: String,
            polygons: [Polygon] = [],
            circles: [Circle] = [],
            geocodes: [NamedValue] = [],
            altitude: Double? = nil,
            ceiling: Double? = nil
        ) throws {
            var issues = IssueCollector()
            CAPText.check(description, at: "areaDesc", maxLength: 1000, into: &issues)
            if let altitude { issues.check(altitude.isFinite, "altitude", .outOfRange, "must be a finite number") }
            if let ceiling {
                issues.check(ceiling.isFinite, "ceiling", .outOfRange, "must be a finite number")
                issues.check(altitude != nil, "ceiling", .inconsistent, "a ceiling needs an altitude")
                if let altitude {
                    issues.check(ceiling >= altitude, "ceiling", .inconsistent, "the ceiling is below the altitude")
                }
            }
            try issues.finish()
            self.description = description
            self.polygons = polygons
            self.circles = circles
            self.geocodes = geocodes
            self.altitude = altitude
            self.ceiling = ceiling
        }
    }

    /// A closed polygon of WGS-84 points, written `lat,lon lat,lon …` (latitude first, unlike GeoJSON).
    public struct Polygon: Sendable, Hashable, CustomStringConvertible {
        /// The points; the last is the first again.
        public let points: [Coordinates]

        /// Creates a polygon.
        ///
        /// - Throws: ``ValidationFailure`` for fewer than four points or a polygon that is not closed.
        public init(points: [Coordinates]) throws {
            var issues = IssueCollector()
            issues.check(points.count >= 4, "", .invalidFormat, "a polygon has at least four points")
            issues.check(
                points.first == points.last,
                "",
                .invalidFormat,
                "a polygon is closed: its last point repeats its first"
            )
            try issues.finish()
            self.points = points
        }

        /// Reads `lat,lon lat,lon …`.
        ///
        /// - Throws: ``ValidationFailure`` for a pair that is not `lat,lon` in range, or a polygon that
        ///   breaks the rules of ``init(points:)``.
        public init(_ text: String) throws {
            var points: [Coordinates] = []
            for pair in text.split(whereSeparator: \.isWhitespace) {
                guard let point = CAPMessage.coordinates(pair) else {
                    throw ValidationFailure(
                        path: "",
                        reason: .invalidFormat,
                        message: "'\(pair)' is not a 'lat,lon' pair in range"
                    )
                }
                points.append(point)
            }
            try self.init(points: points)
        }

        /// The polygon as CAP writes it.
        public var text: String {
            points.map { "\(CAPText.decimal($0.latitude)),\(CAPText.decimal($0.longitude))" }.joined(separator: " ")
        }

        public var description: String { text }
    }

    /// A circle around a point, written `lat,lon radius` with the radius in kilometres.
    public struct Circle: Sendable, Hashable, CustomStringConvertible {
        /// The centre.
        public let center: Coordinates
        /// The radius in kilometres.
        public let radiusKM: Double

        /// Creates a circle.
        ///
        /// - Throws: ``ValidationFailure`` for a radius that is negative, not finite or larger than half
        ///   the earth's circumference.
        public init(center: Coordinates, radiusKM: Double) throws {
            guard radiusKM.isFinite, (0...20_038).contains(radiusKM) else {
                throw ValidationFailure(
                    path: "",
                    reason: .outOfRange,
                    message: "radius \(radiusKM) km must be between 0 and 20038"
                )
            }
            self.center = center
            self.radiusKM = radiusKM
        }

        /// Reads `lat,lon radius`.
        ///
        /// - Throws: ``ValidationFailure`` for any other shape (`38.5598 68.7870 30`, say) or a value
        ///   out of range.
        public init(_ text: String) throws {
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count == 2, let center = CAPMessage.coordinates(fields[0]),
                let radius = CAPText.decimal(fields[1])
            else {
                throw ValidationFailure(
                    path: "",
                    reason: .invalidFormat,
                    message: "'\(text)' is not a circle ('lat,lon radius', the radius in km)"
                )
            }
            try self.init(center: center, radiusKM: radius)
        }

        /// The circle as CAP writes it.
        public var text: String {
            "\(CAPText.decimal(center.latitude)),\(CAPText.decimal(center.longitude)) \(CAPText.decimal(radiusKM))"
        }

        public var description: String { text }
    }

    static func coordinates(_ pair: Substring) -> Coordinates? {
        let parts = pair.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let latitude = CAPText.decimal(parts[0]), let longitude = CAPText.decimal(parts[1])
        else { return nil }
        return try? Coordinates(latitude: latitude, longitude: longitude)
    }
}

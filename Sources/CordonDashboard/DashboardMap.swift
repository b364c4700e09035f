import CordonCore
import Foundation

/// The dashboard's map: Tajikistan's outline, projected once into SVG coordinates, and the same
/// projection for the points drawn on it (the facility, checkpoints, sightings).
///
/// The projection is equirectangular, with longitude scaled by the cosine of the middle latitude so
/// that the country keeps its shape; at this size and latitude the error is below a pixel.
struct DashboardMap: Sendable {
    /// The drawing's width and height in SVG units.
    let width: Double
    let height: Double
    /// The outline as SVG path data.
    let outline: String
    private let west: Double
    private let north: Double
    private let scale: Double
    private let squeeze: Double

    /// A point on the map, in SVG units, rounded to a tenth.
    struct Point: Sendable, Hashable {
        let x: Double
        let y: Double
    }

    /// Reads the outline from GeoJSON (a FeatureCollection of Polygons or MultiPolygons).
    ///
    /// - Throws: when the file is not such GeoJSON.
    init(geoJSON data: Data, width: Double = 800, margin: Double = 0.25) throws {
        let rings = try Self.rings(in: data)
        let points = rings.flatMap { $0 }
        guard let minLon = points.map(\.0).min(), let maxLon = points.map(\.0).max(),
            let minLat = points.map(\.1).min(), let maxLat = points.map(\.1).max()
        else { throw MapError(message: "the outline has no points") }
        west = minLon - margin
        north = maxLat + margin
        squeeze = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = (maxLon - minLon + 2 * margin) * squeeze
        let spanY = maxLat - minLat + 2 * margin
        scale = width / spanX
        self.width = width
        height = (spanY * scale).rounded()
        var path = ""
        for ring in rings {
            for (index, point) in ring.enumerated() {
                let projected = Self.project(point.0, point.1, west: west, north: north, scale: scale, squeeze: squeeze)
                path += (index == 0 ? "M" : "L") + Self.number(projected.x) + " " + Self.number(projected.y)
            }
            path += "Z"
        }
        outline = path
    }

    /// Where a WGS-84 point falls on the drawing.
    func project(_ coordinates: Coordinates) -> Point {
        Self.project(
            coordinates.longitude,
            coordinates.latitude,
            west: west,
            north: north,
            scale: scale,
            squeeze: squeeze
        )
    }

    /// Whether a projected point falls on the drawing at all.
    func contains(_ point: Point) -> Bool {
        (0...width).contains(point.x) && (0...height).contains(point.y)
    }

    struct MapError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private static func project(
        _ lon: Double,
        _ lat: Double,
        west: Double,
        north: Double,
        scale: Double,
        squeeze: Double
    ) -> Point {
        Point(
            x: (((lon - west) * squeeze * scale) * 10).rounded() / 10,
            y: (((north - lat) * scale) * 10).rounded() / 10
        )
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    private static func rings(in data: Data) throws -> [[(Double, Double)]] {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let features = root["features"] as? [[String: Any]]
        else { throw MapError(message: "not a GeoJSON FeatureCollection") }
        var rings: [[(Double, Double)]] = []
        for feature in features {
            guard let geometry = feature["geometry"] as? [String: Any], let type = geometry["type"] as? String else {
                continue
            }
            let polygons: [Any]
            switch type {
            case "Polygon": polygons = [geometry["coordinates"] as Any]
            case "MultiPolygon": polygons = geometry["coordinates"] as? [Any] ?? []
            default: continue
            }
            for polygon in polygons {
                // The outer ring only: the outline has no holes worth drawing.
                guard let polygonRings = polygon as? [[[Double]]], let outer = polygonRings.first else { continue }
                rings.append(outer.compactMap { $0.count >= 2 ? ($0[0], $0[1]) : nil })
            }
        }
        guard !rings.isEmpty else { throw MapError(message: "the GeoJSON has no polygons") }
        return rings
    }
}

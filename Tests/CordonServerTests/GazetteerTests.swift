import Foundation
import Testing

@testable import CordonDashboard

/// Places named by the nearest town, without a server.
struct GazetteerTests {
    static let vahdat = Gazetteer.Place(name: "Vahdat", latitude: 38.556, longitude: 69.014, rank: 2)
    static let dushanbe = Gazetteer.Place(name: "Dushanbe", latitude: 38.56, longitude: 68.7739, rank: 1)
    static let gazetteer = Gazetteer(places: [vahdat, dushanbe])

    /// The longitude `kilometres` east of a point on its parallel.
    static func east(of place: Gazetteer.Place, kilometres: Double) -> Double {
        place.longitude + kilometres / (Gazetteer.earthRadius * .pi / 180 * cos(place.latitude * .pi / 180))
    }

    @Test func namesAPointByDistanceAndDirectionFromTheNearestTown() {
        let longitude = Self.east(of: Self.vahdat, kilometres: 12)
        #expect(Self.gazetteer.describe(latitude: 38.556, longitude: longitude) == "12 km east of Vahdat")
        let position = Self.gazetteer.position(latitude: 38.556, longitude: longitude)
        #expect(position?.place == Self.vahdat)
        #expect(abs((position?.distance ?? 0) - 12) < 0.01)
        // 0.1° of latitude north of Vahdat is 11 km.
        #expect(Self.gazetteer.describe(latitude: 38.656, longitude: 69.014) == "11 km north of Vahdat")
        #expect(Self.gazetteer.describe(latitude: 38.456, longitude: 68.914) == "14 km south-west of Vahdat")
    }

    @Test func aPointWithinTheTownIsInIt() {
        #expect(
            Self.gazetteer.describe(latitude: 38.556, longitude: Self.east(of: Self.vahdat, kilometres: 1.5))
                == "in Vahdat"
        )
        #expect(
            Self.gazetteer.describe(latitude: 38.556, longitude: Self.east(of: Self.vahdat, kilometres: 2.6))
                == "3 km east of Vahdat"
        )
        // A capital spreads further: the airport, 5 km from Dushanbe's centre, is in Dushanbe.
        #expect(Self.gazetteer.describe(latitude: 38.5433, longitude: 68.825) == "in Dushanbe")
    }

    @Test func theNearestTownWinsWhateverItsSize() {
        // Between the two, a little nearer Vahdat.
        #expect(Self.gazetteer.describe(latitude: 38.558, longitude: 68.90).hasSuffix("west of Vahdat"))
        #expect(Self.gazetteer.describe(latitude: 38.558, longitude: 68.88).hasSuffix("east of Dushanbe"))
    }

    @Test func withoutTownsAPointIsItsCoordinates() {
        #expect(Gazetteer(places: []).describe(latitude: 39.03, longitude: 70.375) == "39.0300, 70.3750")
        #expect(Gazetteer(places: []).position(latitude: 39.03, longitude: 70.375) == nil)
    }

    @Test func greatCircleDistanceAndBearing() {
        // A degree of latitude is 111.2 km on the mean sphere; a degree of longitude shrinks with the cosine.
        #expect(abs(Gazetteer.distance(38, 69, 39, 69) - 111.195) < 0.01)
        #expect(abs(Gazetteer.distance(38, 69, 38, 70) - 111.195 * cos(38 * Double.pi / 180)) < 0.1)
        #expect(Gazetteer.distance(38.5, 68.8, 38.5, 68.8) == 0)
        // Dushanbe to Khujand, about 205 km.
        #expect(abs(Gazetteer.distance(38.56, 68.7739, 40.29, 69.6199) - 205) < 3)
        #expect(abs(Gazetteer.bearing(0, 0, 1, 0)) < 1e-9)
        #expect(abs(Gazetteer.bearing(0, 0, 0, 1) - 90) < 1e-9)
        #expect(abs(Gazetteer.bearing(0, 0, -1, 0) - 180) < 1e-9)
        #expect(abs(Gazetteer.bearing(0, 0, 0, -1) - 270) < 1e-9)
    }

    @Test func eightPointsOfTheCompass() {
        let cases: [(Double, String)] = [
            (0, "north"), (22.4, "north"), (22.6, "north-east"), (45, "north-east"), (90, "east"),
            (135, "south-east"), (180, "south"), (225, "south-west"), (270, "west"), (315, "north-west"),
            (337.4, "north-west"), (337.6, "north"), (359.9, "north"), (360, "north"), (-90, "west"),
        ]
        for (bearing, word) in cases {
            #expect(Gazetteer.compass(bearing) == word, "bearing \(bearing)")
        }
    }

    @Test func readsPlacesFromJSONIgnoringOtherKeys() throws {
        let json = #"""
            [{"name": "Gharm", "lat": 39.023, "lon": 70.367, "rank": 2, "country": "TJK", "source": "cordon"},
             {"name": "Dushanbe", "lat": 38.56, "lon": 68.7739, "rank": 1}]
            """#
        let gazetteer = try Gazetteer(json: Data(json.utf8))
        #expect(gazetteer.places.map(\.name) == ["Dushanbe", "Gharm"])
        #expect(gazetteer.places.last?.country == "TJK")
        #expect(gazetteer.places.first?.radius == 6)
        #expect(throws: (any Error).self) { try Gazetteer(json: Data(#"[{"name": "Nowhere"}]"#.utf8)) }
    }

    @Test func theBundledPlacesNameTheDemosSightings() async throws {
        let folder = try await DashboardRenderer.load().folder
        let gazetteer = try Gazetteer(json: Data(contentsOf: folder.appendingPathComponent("geo/places.json")))
        #expect(gazetteer.places.count > 50)
        #expect(gazetteer.places.first?.name == "Dushanbe")
        for place in gazetteer.places {
            #expect((36...42).contains(place.latitude) && (66...76).contains(place.longitude), "\(place.name)")
            #expect((1...3).contains(place.rank), "\(place.name)")
        }
        // The guide seen at Gharm, the Opel near Vahdat, the namesake at the airport.
        #expect(gazetteer.describe(latitude: 39.03, longitude: 70.375) == "in Gharm")
        #expect(gazetteer.describe(latitude: 38.605, longitude: 69.085) == "8 km north-east of Vahdat")
        #expect(gazetteer.describe(latitude: 38.5433, longitude: 68.825) == "in Dushanbe")
    }
}

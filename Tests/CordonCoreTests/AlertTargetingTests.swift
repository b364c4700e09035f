import CordonCore
import Foundation
import Testing

@Suite struct AlertTargetingTests {
    /// The ward in Dushanbe and checkpoints at known places around it.
    static let ward = try! Coordinates(latitude: 38.5598, longitude: 68.7870)

    static func checkpoint(
        _ id: String,
        _ kind: Checkpoint.Kind,
        _ region: String,
        _ lat: Double,
        _ lon: Double
    )
        throws -> Checkpoint
    {
        try Checkpoint(
            id: CheckpointID(id),
            name: id,
            kind: kind,
            location: Coordinates(latitude: lat, longitude: lon),
            region: region,
            borderWith: kind == .borderCrossing ? try CountryCode("AF") : nil
        )
    }

    static func all() throws -> [Checkpoint] {
        [
            try checkpoint("khujand-air", .airport, "Sughd", 40.2154, 69.6947),
            try checkpoint("dushanbe-air", .airport, "Dushanbe", 38.5433, 68.8250),
            try checkpoint("varzob-road", .road, "Districts of Republican Subordination", 38.7700, 68.8200),
            try checkpoint("panji-poyon", .borderCrossing, "Khatlon", 37.2360, 68.6660),
            try checkpoint("dushanbe-rail", .railwayStation, "Dushanbe", 38.5480, 68.7800),
        ]
    }

    @Test func choosesEveryCheckpointNearestFirstByDefault() throws {
        let chosen = try AlertTargeting().select(from: Self.all(), around: Self.ward)
        #expect(
            chosen.map(\.checkpoint.id.rawValue) == [
                "dushanbe-rail", "dushanbe-air", "varzob-road", "panji-poyon", "khujand-air",
            ]
        )
        #expect(zip(chosen, chosen.dropFirst()).allSatisfy { $0.distanceKM <= $1.distanceKM })
        // Dushanbe to Khujand is about 200 km as the crow flies.
        #expect((180...220).contains(chosen.last!.distanceKM))
    }

    @Test func filtersByKindRegionDistanceAndName() throws {
        let all = try Self.all()
        let airports = try AlertTargeting(kinds: [.airport]).select(from: all, around: Self.ward)
        #expect(airports.map(\.checkpoint.id.rawValue) == ["dushanbe-air", "khujand-air"])
        let near = try AlertTargeting(withinKM: 30).select(from: all, around: Self.ward)
        #expect(near.map(\.checkpoint.id.rawValue) == ["dushanbe-rail", "dushanbe-air", "varzob-road"])
        let khatlon = try AlertTargeting(regions: ["khatlon"]).select(from: all, around: Self.ward)
        #expect(khatlon.map(\.checkpoint.id.rawValue) == ["panji-poyon"])
        let named = try AlertTargeting(checkpoints: [CheckpointID("khujand-air")]).select(from: all, around: Self.ward)
        #expect(named.count == 1)
        let none = try AlertTargeting(kinds: [.borderCrossing], withinKM: 10).select(from: all, around: Self.ward)
        #expect(none.isEmpty)
    }

    @Test func rejectsBadTargets() throws {
        #expect(throws: ValidationFailure.self) { try AlertTargeting(withinKM: 0) }
        #expect(throws: ValidationFailure.self) { try AlertTargeting(withinKM: .infinity) }
        #expect(throws: ValidationFailure.self) {
            try AlertTargeting(checkpoints: [CheckpointID("a"), CheckpointID("a")])
        }
        let json = Data(#"{"kinds": ["harbour"], "within_km": -1, "colour": "red"}"#.utf8)
        do {
            _ = try JSONDecoder.cordon().decode(AlertTargeting.self, from: json)
            Issue.record("a bad targeting decoded")
        } catch let failure as ValidationFailure {
            let paths = Set(failure.issues.map(\.path))
            #expect(paths.contains("kinds[0]"))
            #expect(paths.contains("colour"))
        }
    }
}

import CordonCore
import CordonDemo
import Foundation
import Testing

@Suite struct DemoScenarioTests {
    let scenario: Scenario

    init() throws {
        scenario = try DemoScenario.load()
    }

    @Test func loadsAgainstThePresentToo() throws {
        _ = try DemoScenario.load(context: ValidationContext(now: Date()))
    }

    @Test func hasTwentyFiveFugitivesIncludingAbdurasulMirzoyev() throws {
        let fugitives = scenario.wantedPersons
        #expect(fugitives.count == 25)
        let mirzoyev = fugitives.filter { person in
            person.allNames.contains { name in
                let folded = name.lowercased()
                return (folded.contains("mirzoyev") || folded.contains("мирзоев"))
                    && (folded.contains("abdurasul") || folded.contains("абдурасул"))
            }
        }
        #expect(mirzoyev.count == 1)
    }

    @Test func fugitivesComeFromWhereTheReportSays() {
        let fugitives = scenario.wantedPersons
        let nationalities = fugitives.map { Set($0.nationalities.map(\.rawValue)) }
        #expect(nationalities.filter { $0.contains("AF") }.count == 4)
        #expect(nationalities.filter { $0.contains("RU") }.count == 6)
        #expect(nationalities.filter { $0.contains("TJ") }.count >= 10)
        #expect(nationalities.contains { $0.contains("UZ") })
    }

    @Test func namesAreRecordedInSeveralScripts() {
        let scripts = Set(scenario.wantedPersons.flatMap(\.name.scripts))
        #expect(scripts.isSuperset(of: [.latin, .cyrillic]))
        let aliasScripts = Set(scenario.wantedPersons.flatMap { $0.aliases.flatMap { Script.scripts(of: $0.value) } })
        #expect(aliasScripts.isSuperset(of: [.latin, .cyrillic, .arabic]))
        #expect(scenario.wantedPersons.allSatisfy { !$0.aliases.isEmpty })
        #expect(scenario.wantedPersons.contains { $0.aliases.contains { $0.kind == .nickname } })
    }

    @Test func hasFourVehiclesAndFortyCheckpointsOfEveryKind() {
        #expect(scenario.vehicles.count == 4)
        #expect(scenario.vehicles.contains { $0.isStolen })
        #expect(scenario.checkpoints.count >= 40)
        #expect(Set(scenario.checkpoints.map(\.kind)) == Set(Checkpoint.Kind.allCases))
        let borders = Set(scenario.checkpoints.compactMap(\.borderWith?.rawValue))
        #expect(borders.isSuperset(of: ["AF", "UZ"]))
    }

    @Test func checkpointsLieInTajikistan() {
        // Tajikistan's bounding box, from its border outline.
        for checkpoint in scenario.checkpoints {
            #expect((36.6...41.1).contains(checkpoint.location.latitude), "\(checkpoint.id)")
            #expect((67.3...75.2).contains(checkpoint.location.longitude), "\(checkpoint.id)")
        }
    }

    @Test func theWardHoldsNinetyWithThreeGuardsOnDuty() throws {
        let ward = try #require(scenario.facilities.first { $0.kind == .detentionWard })
        #expect(scenario.custody.filter { $0.facility == ward.id }.count == 90)
        let guards = scenario.staff.filter { $0.facility == ward.id && $0.isOnDuty && $0.role == .guardOfficer }
        #expect(guards.count == 3)
        #expect(!ward.blocks.isEmpty && !ward.posts.isEmpty)
        #expect(Set(ward.armory.map(\.kind)).isSuperset(of: [.weapon, .key, .uniform]))
        #expect(ward.parent != nil)
        let outer = try #require(scenario.facilities.first { $0.id == ward.parent })
        #expect(outer.posts.contains { $0.kind == .outer })
        let held = Set(scenario.custody.map(\.person))
        #expect(scenario.wantedPersons.allSatisfy { held.contains($0.id) })
    }

    @Test func organisationsCarryTheirAliases() {
        let names = scenario.organizations.flatMap(\.allNames)
        #expect(names.contains("IMU"))
        #expect(names.contains { $0.contains("Исламское движение Узбекистана") })
        #expect(names.contains { $0.lowercased().contains("ziyoyev") || $0.lowercased().contains("ziyoev") })
        #expect(scenario.relations.contains { $0.kind == .memberOf })
        #expect(scenario.relations.contains { $0.kind == .relativeOf })
        #expect(scenario.relations.contains { $0.kind == .associateOf })
    }

    @Test func theTimelineTellsTheNight() throws {
        let kinds = Set(scenario.events.map(\.kind))
        let required: Set<TimelineEvent.Kind> = [
            .prayer, .cellOpened, .guardsOverpowered, .keysTaken, .weaponsTaken, .postAttacked, .vehicleFound,
        ]
        #expect(kinds.isSuperset(of: required))
        let attack = try #require(scenario.events.first { $0.kind == .postAttacked })
        #expect(Instant.format(attack.at, in: scenario.timeZone) == "2010-08-23T01:10:00+05:00")
        #expect(zip(scenario.events, scenario.events.dropFirst()).allSatisfy { $0.at <= $1.at })
    }
}

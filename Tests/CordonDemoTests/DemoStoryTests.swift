import CordonCore
import CordonDemo
import Foundation
import Testing

@Suite struct DemoStoryTests {
    let story: DemoStory

    init() throws {
        story = try DemoStory(scenario: DemoScenario.load())
    }

    func at(_ text: String) -> Date { Instant.parse(text)! }

    @Test func theNightStartsAtTenAndTheWatchRaisesTheMissBeforeTheAttack() throws {
        #expect(story.start == at("2010-08-22T22:00:00+05:00"))
        // Every post checks in at 22:10; the corridors' next is due 22:40, with five minutes' grace.
        #expect(story.missedAt == at("2010-08-22T22:45:00+05:00"))
        #expect(story.declaredAt == at("2010-08-22T22:47:00+05:00"))
        // The armory is counted five minutes after the weapons were taken (22:52); the demo opens after it.
        #expect(story.countedAt == at("2010-08-22T22:57:00+05:00"))
        #expect(story.defaultMoment == at("2010-08-22T23:00:00+05:00"))
        let attack = try #require(story.scenario.events.first { $0.kind == .postAttacked })
        #expect(story.declaredAt < attack.at)
        #expect(story.steps.map(\.at) == story.steps.map(\.at).sorted())
    }

    @Test func theWardFallsSilentWhileTheOuterPostChecksInUntilItIsAttacked() throws {
        var lastCheckIn: [String: Date] = [:]
        for step in story.steps {
            if case .checkIn(let post, _) = step.action { lastCheckIn[post.rawValue] = step.at }
        }
        let ward = try #require(story.scenario.facilities.first { $0.id == DemoStory.ward })
        for post in ward.posts {
            #expect(lastCheckIn[post.id.rawValue] == at("2010-08-22T22:10:00+05:00"), "\(post.id)")
        }
        // Every thirty minutes from 22:10: the last before the attack at 01:10 is at 00:40.
        #expect(lastCheckIn["post-outer-moj"] == at("2010-08-23T00:40:00+05:00"))
    }

    @Test func theCountMissesWhatWasTakenAndOnlyThat() throws {
        let ward = try #require(story.scenario.facilities.first { $0.id == DemoStory.ward })
        var issued: Set<String> = []
        var found: [String] = []
        for step in story.steps {
            switch step.action {
            case .issue(_, let item, _): issued.insert(item)
            case .count(_, let items): found = items
            default: break
            }
        }
        let all = Set(ward.armory.map(ArmoryLedger.key(of:)))
        let missing = all.subtracting(found).subtracting(issued)
        // Seven rifles, two kinds of ammunition, the magazines, the uniforms, the boots, the armory's key
        // and the third block's keys (the other two were with the guards).
        #expect(missing.count == 7 + 2 + 1 + 2 + 1 + 1)
        #expect(!missing.contains { issued.contains($0) })
        // Three guards: a pistol and a radio each, two corridors' cell keys, the control room's main key.
        #expect(issued.count == 3 + 3 + 2 + 1)
        #expect(Set(found).isSubset(of: all))
    }

    @Test func mostCheckpointsAcknowledgeSomeOnlyReceiveAFewStaySilent() throws {
        let declared = story.declaredAt
        var received: Set<String> = []
        var acknowledged: Set<String> = []
        for step in story.steps where step.at >= declared && step.at < declared.addingTimeInterval(120) {
            guard case .deliver(let checkpoint, let acknowledgement) = step.action else { continue }
            if acknowledgement {
                acknowledged.insert(checkpoint.rawValue)
            } else {
                received.insert(checkpoint.rawValue)
            }
        }
        let all = story.scenario.checkpoints.count
        #expect(acknowledged.isSubset(of: received))
        #expect(acknowledged.count > all * 3 / 4)
        #expect(received.count > acknowledged.count)
        #expect(received.count < all)
    }

    @Test func theEscapedAreWantedFromTheDeclarationOnly() throws {
        let before = try story.persons(at: story.declaredAt.addingTimeInterval(-1))
        #expect(before.allSatisfy { !$0.isWanted })
        let after = try story.persons(at: story.declaredAt)
        let wanted = after.filter(\.isWanted)
        #expect(wanted.count == 25)
        #expect(wanted.allSatisfy { $0.wanted?.since == story.declaredAt && $0.wanted?.status == .atLarge })
    }

    @Test func momentsReadAsTimesOfTheNightOrInstants() {
        #expect(story.moment("22:30") == at("2010-08-22T22:30:00+05:00"))
        #expect(story.moment("01:30") == at("2010-08-23T01:30:00+05:00"))
        #expect(story.moment("+1 09:00") == at("2010-08-24T09:00:00+05:00"))
        #expect(story.moment("2010-08-23T01:30:00+05:00") == at("2010-08-23T01:30:00+05:00"))
        for bad in ["", "1:30", "25:00", "01:60", "tomorrow", "+x 01:00", "+11 01:00"] {
            #expect(story.moment(bad) == nil, "\(bad)")
        }
    }

    @Test func aStoryMovedInTimeKeepsItsShape() throws {
        let offset: TimeInterval = 16 * 365 * 86_400 + 12_345
        let moved = try DemoStory(
            scenario: DemoScenario.load(shiftedBy: offset),
            start: story.start.addingTimeInterval(offset)
        )
        #expect(moved.steps.count == story.steps.count)
        #expect(moved.declaredAt == story.declaredAt.addingTimeInterval(offset))
        #expect(zip(moved.steps, story.steps).allSatisfy { $0.at == $1.at.addingTimeInterval(offset) })
        // Dates without a time of day (births) do not move.
        #expect(moved.scenario.persons.map(\.birthDate) == story.scenario.persons.map(\.birthDate))
    }
}

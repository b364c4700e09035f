import CordonCore
import Foundation
import Testing

@Suite struct CheckInScheduleTests {
    private func corridorB(from start: String = "22:00") throws -> CheckInSchedule {
        CheckInSchedule(
            post: try Night.post("post-corridor-b", block: "blk-b"),
            facility: try FacilityID("fac-gknb-ward"),
            startingAt: Night.at(start)
        )
    }

    @Test func deadlineIsLastCheckInPlusIntervalPlusGrace() throws {
        var schedule = try corridorB()
        #expect(schedule.deadline == Night.at("22:35"))
        #expect(schedule.event(.checkIn(at: Night.at("22:10"), duress: false)) == .none)
        #expect(schedule.deadline == Night.at("22:45"))
    }

    @Test func guardsPrayingAt2215MissTheCheckInAtTheDeadlineNotBefore() throws {
        // Checked in at 22:10, then the guards left their posts to pray at 22:15 and nobody checked in.
        var schedule = try corridorB()
        _ = schedule.event(.checkIn(at: Night.at("22:10"), duress: false))
        #expect(schedule.event(.tick(at: Night.at("22:44"))) == .none)
        #expect(!schedule.isOverdue)
        let action = schedule.event(.tick(at: schedule.deadline))
        guard case .raiseIncident(let draft) = action else {
            Issue.record("expected an incident, got \(action)")
            return
        }
        #expect(draft.kind == .missedCheckIn)
        #expect(draft.raisedAt == Night.at("22:45"))
        #expect(draft.facility?.rawValue == "fac-gknb-ward")
        #expect(schedule.isOverdue)
        // The same deadline is acted on once; the driver now sleeps until the next one.
        #expect(schedule.event(.tick(at: Night.at("22:50"))) == .none)
        #expect(schedule.deadline == Night.at("23:15"))
    }

    @Test func secondMissEscalatesOnce() throws {
        var schedule = try corridorB()
        _ = schedule.event(.checkIn(at: Night.at("22:10"), duress: false))
        _ = schedule.event(.tick(at: Night.at("22:45")))
        let action = schedule.event(.tick(at: Night.at("23:15")))
        guard case .escalate(.secondMiss, let draft) = action else {
            Issue.record("expected an escalation, got \(action)")
            return
        }
        #expect(draft.raisedAt == Night.at("23:15"))
        #expect(schedule.missed == 2)
        // Three hours of silence, as on the night: no further escalation, but the count goes on.
        #expect(schedule.event(.tick(at: Night.at("01:10"))) == .none)
        #expect(schedule.missed == 5)
        #expect(schedule.deadline == Night.at("01:15"))
    }

    @Test func driverThatSleptThroughBothDeadlinesEscalates() throws {
        var schedule = try corridorB()
        let action = schedule.event(.tick(at: Night.at("23:10")))
        guard case .escalate(.secondMiss, let draft) = action else {
            Issue.record("expected an escalation, got \(action)")
            return
        }
        #expect(draft.raisedAt == Night.at("23:05"))
    }

    @Test func duressCheckInLooksNormalButEscalatesAndResetsTheSchedule() throws {
        var schedule = try corridorB()
        let action = schedule.event(.checkIn(at: Night.at("22:20"), duress: true))
        guard case .escalate(.duress, let draft) = action else {
            Issue.record("expected a duress escalation, got \(action)")
            return
        }
        #expect(draft.kind == .duress)
        #expect(schedule.deadline == Night.at("22:55"))
        #expect(!schedule.isOverdue)
    }

    @Test func checkInAfterAMissReportsHowManyWereMissed() throws {
        var schedule = try corridorB()
        _ = schedule.event(.tick(at: Night.at("22:35")))
        #expect(schedule.event(.checkIn(at: Night.at("22:40"), duress: false)) == .resumed(missed: 1))
        #expect(schedule.deadline == Night.at("23:15"))
    }

    @Test func refusesACheckInOlderThanTheLast() throws {
        var schedule = try corridorB()
        _ = schedule.event(.checkIn(at: Night.at("22:10"), duress: false))
        guard case .refused = schedule.event(.checkIn(at: Night.at("22:05"), duress: false)) else {
            Issue.record("a stale check-in must be refused")
            return
        }
        #expect(schedule.lastCheckIn == Night.at("22:10"))
    }
}

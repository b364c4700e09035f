import CordonCore
import Foundation
import Testing

@Suite struct NightRulesTests {
    private func night() throws -> NightWindow {
        try NightWindow(from: (20, 0), to: (6, 0), in: Night.zone)
    }

    @Test func nightWindowCrossesMidnight() throws {
        let night = try night()
        #expect(night.contains(Night.at("22:15")))
        #expect(night.contains(Night.at("01:10")))
        #expect(!night.contains(Night.at("06:00")))
        #expect(!night.contains(Night.at("19:59")))
        #expect(throws: ValidationFailure.self) { try NightWindow(from: (24, 0), to: (6, 0), in: Night.zone) }
    }

    @Test func openingACellAtNightAloneIsRefusedWithAReason() throws {
        let rule = TwoPersonRule(facility: try Night.ward(), staff: try Night.guards(), night: try night())
        // 22:30: an inmate claims stomach pain and the guard alone goes to open the cell.
        let alone = TwoPersonRule.OpenCell(
            cell: try CellID("cell-b3"),
            requestedBy: try StaffID("nazarov"),
            at: Night.at("22:30")
        )
        guard case .refused(let reason) = rule.decide(alone) else {
            Issue.record("a cell opened alone at night must be refused")
            return
        }
        #expect(reason.contains("second officer"))
    }

    @Test func twoPersonRuleAllowsAConfirmedOpeningAndOneOfficerByDay() throws {
        let rule = TwoPersonRule(facility: try Night.ward(), staff: try Night.guards(), night: try night())
        let cell = try CellID("cell-b3")
        let nazarov = try StaffID("nazarov")
        #expect(
            rule.decide(
                .init(cell: cell, requestedBy: nazarov, confirmedBy: try StaffID("hakimov"), at: Night.at("22:30"))
            )
                == .allowed
        )
        #expect(rule.decide(.init(cell: cell, requestedBy: nazarov, at: Night.at("14:00"))) == .allowed)
    }

    @Test(arguments: ["nazarov", "rahimov", "stranger"])
    func refusesAConfirmationBySelfOffDutyOrUnknown(_ confirmer: String) throws {
        let rule = TwoPersonRule(facility: try Night.ward(), staff: try Night.guards(), night: try night())
        let request = TwoPersonRule.OpenCell(
            cell: try CellID("cell-b3"),
            requestedBy: try StaffID("nazarov"),
            confirmedBy: try StaffID(confirmer),
            at: Night.at("22:30")
        )
        guard case .refused = rule.decide(request) else {
            Issue.record("confirmation by \(confirmer) must be refused")
            return
        }
    }

    @Test func guardsPrayingTogetherLeaveBlockBUnmanned() throws {
        var watch = BlockWatch(facility: try Night.ward())
        let corridorB = try GuardPostID("post-corridor-b")
        let controlB = try GuardPostID("post-control-b")
        #expect(watch.event(.unmanned(corridorB, at: Night.at("22:15"))) == .none)
        // Block A has one post: its guard gone, the block is unmanned.
        guard
            case .raiseIncident(_, let blockA) = watch.event(
                .unmanned(try GuardPostID("post-corridor-a"), at: Night.at("22:15"))
            )
        else {
            Issue.record("expected an incident for block A")
            return
        }
        #expect(blockA.rawValue == "blk-a")
        let action = watch.event(.unmanned(controlB, at: Night.at("22:16")))
        guard case .raiseIncident(let draft, let block) = action else {
            Issue.record("expected an incident, got \(action)")
            return
        }
        #expect(block.rawValue == "blk-b")
        #expect(draft.raisedAt == Night.at("22:16"))
        #expect(draft.summary.contains("Block B"))
        // Raised once per spell; again only after the block was manned in between.
        #expect(watch.event(.unmanned(controlB, at: Night.at("22:17"))) == .none)
        #expect(watch.event(.manned(corridorB, at: Night.at("22:25"))) == .none)
        guard case .raiseIncident = watch.event(.unmanned(corridorB, at: Night.at("22:35"))) else {
            Issue.record("expected a second incident")
            return
        }
        guard case .refused = watch.event(.unmanned(try GuardPostID("post-gate"), at: Night.at("22:35"))) else {
            Issue.record("a post that watches no block is refused")
            return
        }
    }

    @Test func silentPostWhoseOfficersPassOpensTheArmoryRaisesAnIncident() throws {
        var watch = CredentialWatch(facility: try Night.ward(), staff: try Night.guards())
        let corridorB = try GuardPostID("post-corridor-b")
        let nazarov = try StaffID("nazarov")
        #expect(watch.event(.postCheckedIn(corridorB, at: Night.at("22:10"))) == .none)
        // His own post is fine, even when it is silent.
        #expect(watch.event(.credentialUsed(nazarov, at: Night.at("22:12"), place: .post(corridorB))) == .none)
        #expect(watch.event(.postMissed(corridorB, at: Night.at("22:45"))) == .none)
        let action = watch.event(.credentialUsed(nazarov, at: Night.at("22:50"), place: .other("armory door")))
        guard case .raiseIncident(let draft, let post, let staff) = action else {
            Issue.record("expected an incident, got \(action)")
            return
        }
        #expect((post, staff) == (corridorB, nazarov))
        #expect(draft.summary.contains("armory door"))
        #expect(watch.event(.credentialUsed(nazarov, at: Night.at("22:55"), place: .other("outer gate"))) == .none)
    }

    @Test func credentialUsedFirstThenThePostGoesSilent() throws {
        var watch = CredentialWatch(facility: try Night.ward(), staff: try Night.guards())
        let corridorA = try GuardPostID("post-corridor-a")
        let qodirov = try StaffID("qodirov")
        _ = watch.event(.postCheckedIn(corridorA, at: Night.at("22:10")))
        #expect(watch.event(.credentialUsed(qodirov, at: Night.at("22:40"), place: .other("ward inner gate"))) == .none)
        guard case .raiseIncident = watch.event(.postMissed(corridorA, at: Night.at("22:45"))) else {
            Issue.record("expected an incident when the post goes silent")
            return
        }
        // A check-in ends the spell and forgets the uses before it.
        _ = watch.event(.postCheckedIn(corridorA, at: Night.at("23:00")))
        #expect(watch.event(.postMissed(corridorA, at: Night.at("23:35"))) == .none)
        guard
            case .refused = watch.event(
                .credentialUsed(try StaffID("rahimov"), at: Night.at("23:00"), place: .other("x"))
            )
        else {
            Issue.record("an officer without a post is refused")
            return
        }
    }
}

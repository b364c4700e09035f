import CordonCore
import Foundation
import Testing

@Suite struct ArmoryLedgerTests {
    private func ledger() throws -> ArmoryLedger {
        let evening = DateInterval(start: Night.at("20:00"), end: Night.at("08:00"))
        return ArmoryLedger(
            facility: try Night.ward(),
            staff: try Night.guards(),
            shifts: [try StaffID("nazarov"): [evening], try StaffID("qodirov"): [evening]]
        )
    }

    @Test func issuesAndReturnsBySerialToNamedStaff() throws {
        var ledger = try ledger()
        let nazarov = try StaffID("nazarov")
        #expect(ledger.event(.issue(serial: "ТА 4417", to: nazarov, at: Night.at("20:05"))) == .recorded)
        #expect(ledger.event(.issue(serial: "arm-key-ward", to: nazarov, at: Night.at("20:05"))) == .recorded)
        #expect(ledger.holdings(of: nazarov) == ["arm-key-ward", "ТА 4417"])
        #expect(ledger.inArmoryCount == 1)
        #expect(ledger.event(.return(serial: "ТА 4417", by: nazarov, at: Night.at("23:55"))) == .recorded)
        #expect(ledger.holdings(of: nazarov) == ["arm-key-ward"])
    }

    @Test func refusesWhatCannotBeRight() throws {
        var ledger = try ledger()
        let nazarov = try StaffID("nazarov")
        let qodirov = try StaffID("qodirov")
        _ = ledger.event(.issue(serial: "ТА 4417", to: nazarov, at: Night.at("20:05")))
        let refusals: [ArmoryLedger.Event] = [
            .issue(serial: "ТА 4417", to: qodirov, at: Night.at("20:10")),
            .issue(serial: "no such serial", to: qodirov, at: Night.at("20:10")),
            .issue(serial: "1984 517732", to: try StaffID("stranger"), at: Night.at("20:10")),
            .return(serial: "ТА 4417", by: qodirov, at: Night.at("20:10")),
            .return(serial: "1984 517732", by: qodirov, at: Night.at("20:10")),
            .return(serial: "ТА 4417", by: nazarov, at: Night.at("20:00")),
            .count(found: ["1984 517732", "forged"], at: Night.at("21:00")),
        ]
        for event in refusals {
            guard case .refused = ledger.event(event) else {
                Issue.record("\(event) should be refused")
                continue
            }
        }
        #expect(ledger.issued.count == 1)
    }

    @Test func aCountRemembersWhatItMissedUntilItIsFoundOrIssued() throws {
        var ledger = try ledger()
        let nazarov = try StaffID("nazarov")
        _ = ledger.event(.issue(serial: "ТА 4417", to: nazarov, at: Night.at("20:05")))
        // Found nothing on the racks: the rifle and the key are missing; the pistol is issued, not missing.
        guard case .raiseIncident = ledger.event(.count(found: [], at: Night.at("23:30"))) else {
            Issue.record("a count that finds nothing should raise an incident")
            return
        }
        #expect(ledger.missing == ["1984 517732": Night.at("23:30"), "arm-key-ward": Night.at("23:30")])
        // A second count keeps the first instant of what is still missing and forgets what was found.
        _ = ledger.event(.count(found: ["arm-key-ward"], at: Night.at("23:50")))
        #expect(ledger.missing == ["1984 517732": Night.at("23:30")])
        _ = ledger.event(.issue(serial: "1984 517732", to: nazarov, at: Night.at("23:55")))
        #expect(ledger.missing.isEmpty)
    }

    @Test func issueOutsideAShiftIsRecordedAndRaisesAnIncident() throws {
        var ledger = try ledger()
        // Rahimov is off duty and has no shift tonight.
        let action = ledger.event(.issue(serial: "1984 517732", to: try StaffID("rahimov"), at: Night.at("22:40")))
        guard case .raiseIncident(let draft) = action else {
            Issue.record("expected an incident, got \(action)")
            return
        }
        #expect(draft.kind == .armoryDiscrepancy)
        #expect(draft.summary.contains("outside their shift"))
        #expect(ledger.holdings(of: try StaffID("rahimov")) == ["1984 517732"])
    }

    @Test func countFlagsWhatTheInmatesTook() throws {
        var ledger = try ledger()
        _ = ledger.event(.issue(serial: "ТА 4417", to: try StaffID("nazarov"), at: Night.at("20:05")))
        #expect(ledger.event(.count(found: ["1984 517732", "arm-key-ward"], at: Night.at("21:00"))) == .recorded)
        // After the breakout the rifle and the cell keys are gone from the racks.
        let action = ledger.event(.count(found: [], at: Night.at("01:30")))
        guard case .raiseIncident(let draft) = action else {
            Issue.record("expected an incident, got \(action)")
            return
        }
        #expect(ledger.unaccounted(found: []) == ["1984 517732", "arm-key-ward"])
        #expect(draft.summary.contains("2 item(s) not accounted for"))
        #expect(draft.raisedAt == Night.at("01:30"))
    }
}

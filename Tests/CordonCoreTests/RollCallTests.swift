import CordonCore
import Foundation
import Testing

@Suite struct RollCallTests {
    /// Five inmates in block A, three in block B, and one record of another facility.
    private func custody() throws -> [CustodyRecord] {
        let ward = try FacilityID("fac-gknb-ward")
        var records = try (1...5).map {
            CustodyRecord(person: try PersonID("p-inm-a\($0)"), facility: ward, cell: try CellID("cell-a\($0 % 2 + 1)"))
        }
        records += try (1...3).map {
            CustodyRecord(person: try PersonID("p-inm-b\($0)"), facility: ward, cell: try CellID("cell-b1"))
        }
        records.append(
            CustodyRecord(
                person: try PersonID("p-other"),
                facility: try FacilityID("fac-moj"),
                cell: try CellID("cell-x")
            )
        )
        return records
    }

    @Test func expectsTheCountOfEachBlockFromCustodyRecords() throws {
        let rollCall = try RollCall(facility: try Night.ward(), custody: try custody())
        #expect(rollCall.expected == [try BlockID("blk-a"): 5, try BlockID("blk-b"): 3])
    }

    @Test func matchingCountIsConsistent() throws {
        let rollCall = try RollCall(facility: try Night.ward(), custody: try custody())
        let action = try rollCall.check(.init(block: try BlockID("blk-a"), counted: 5, at: Night.at("22:00")))
        #expect(action == .consistent)
    }

    @Test func countAfterTheBreakoutRaisesAnIncident() throws {
        // The 06:00 count: the cells of block B stood open and all three are gone.
        let rollCall = try RollCall(facility: try Night.ward(), custody: try custody())
        let action = try rollCall.check(.init(block: try BlockID("blk-b"), counted: 0, at: Night.at("06:00")))
        guard case .raiseIncident(let draft, let expected, let counted) = action else {
            Issue.record("expected an incident, got \(action)")
            return
        }
        #expect(draft.kind == .rollCallDiscrepancy)
        #expect(draft.raisedAt == Night.at("06:00"))
        #expect((expected, counted) == (3, 0))
        #expect(draft.summary.contains("3 missing"))
    }

    @Test(arguments: [-1, 73, Int.max])
    func rejectsANegativeOrAbsurdCount(_ counted: Int) throws {
        let rollCall = try RollCall(facility: try Night.ward(), custody: try custody())
        let error = #expect(throws: ValidationFailure.self) {
            try rollCall.check(.init(block: try BlockID("blk-a"), counted: counted, at: Night.at("22:00")))
        }
        #expect(error?.issues.first?.path == "counted")
        #expect(error?.issues.first?.reason == .outOfRange)
    }

    @Test func rejectsACountOfAnUnknownBlock() throws {
        let rollCall = try RollCall(facility: try Night.ward(), custody: try custody())
        let error = #expect(throws: ValidationFailure.self) {
            try rollCall.check(.init(block: try BlockID("blk-z"), counted: 1, at: Night.at("22:00")))
        }
        #expect(error?.issues.first?.reason == .unknownReference)
    }

    @Test func rejectsCustodyInACellTheFacilityDoesNotHave() throws {
        let ward = try FacilityID("fac-gknb-ward")
        let records = [
            CustodyRecord(person: try PersonID("p-1"), facility: ward, cell: try CellID("cell-z9")),
            CustodyRecord(person: try PersonID("p-2"), facility: ward, cell: try CellID("cell-a1")),
            CustodyRecord(person: try PersonID("p-2"), facility: ward, cell: try CellID("cell-a2")),
        ]
        let error = #expect(throws: ValidationFailure.self) {
            try RollCall(facility: try Night.ward(), custody: records)
        }
        #expect(error?.issues.map(\.path) == ["custody[0].cell", "custody[2].person"])
    }
}

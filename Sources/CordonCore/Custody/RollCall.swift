public import Foundation

/// A roll call: the number of people each block should hold, from the custody records, checked against
/// the number counted.
///
/// The expected counts are computed once, when the roll call is made; each ``Count`` entered is then
/// checked with ``check(_:)``. A count that cannot be right (negative, or more than the block could
/// ever hold) is refused as bad input; a count that differs from the records raises an incident.
public struct RollCall: Sendable, Hashable {
    /// A count entered by an officer for one block.
    public struct Count: Sendable, Hashable {
        /// The block counted.
        public let block: BlockID
        /// How many people were counted.
        public let counted: Int
        /// When the count was taken.
        public let at: Date
        /// Who counted, when known.
        public let countedBy: StaffID?

        /// Creates a count.
        public init(block: BlockID, counted: Int, at: Date, countedBy: StaffID? = nil) {
            self.block = block
            self.counted = counted
            self.at = at
            self.countedBy = countedBy
        }
    }

    /// What a count means.
    public enum Action: Sendable, Hashable {
        /// The count matches the records.
        case consistent
        /// The count differs from the records: raise an incident.
        case raiseIncident(IncidentDraft, expected: Int, counted: Int)
    }

    /// The facility the roll call is for.
    public let facility: FacilityID
    /// The number of people each block should hold, from the custody records.
    public let expected: [BlockID: Int]
    private let limits: [BlockID: Int]
    private let blockNames: [BlockID: String]

    /// Makes a roll call of a facility from its custody records.
    ///
    /// Records of other facilities are ignored.
    ///
    /// - Throws: ``ValidationFailure`` when a record of this facility names a cell the facility does not
    ///   have (`custody[i].cell`), or one person is held twice.
    public init(facility: Facility, custody: [CustodyRecord]) throws {
        var issues = IssueCollector()
        var expected: [BlockID: Int] = [:]
        var limits: [BlockID: Int] = [:]
        var names: [BlockID: String] = [:]
        for block in facility.blocks {
            expected[block.id] = 0
            limits[block.id] = block.cells.reduce(0) { $0 + $1.capacity }
            names[block.id] = block.name
        }
        var seen = Set<PersonID>()
        for (index, record) in custody.enumerated() where record.facility == facility.id {
            guard let block = facility.block(containing: record.cell) else {
                issues.add(
                    "custody[\(index)].cell",
                    .unknownReference,
                    "no cell '\(record.cell)' in facility '\(facility.id)'"
                )
                continue
            }
            if !seen.insert(record.person).inserted {
                issues.add("custody[\(index)].person", .duplicate, "'\(record.person)' is held twice")
                continue
            }
            expected[block.id, default: 0] += 1
        }
        try issues.finish()
        self.facility = facility.id
        self.expected = expected
        self.limits = limits
        self.blockNames = names
    }

    /// The most a count of `block` may say: what its cells can hold, or what the records expect if
    /// the block is overcrowded.
    public func limit(for block: BlockID) -> Int? {
        guard let capacity = limits[block], let expected = expected[block] else { return nil }
        return max(capacity, expected)
    }

    /// Checks one count against the records.
    ///
    /// - Returns: ``Action/consistent``, or ``Action/raiseIncident(_:expected:counted:)`` for a
    ///   discrepancy.
    /// - Throws: ``ValidationFailure`` for a block the facility does not have (`block`), or a count
    ///   that is negative or larger than the block could hold (`counted`); nothing is raised then.
    public func check(_ count: Count) throws -> Action {
        guard let expected = expected[count.block], let limit = limit(for: count.block) else {
            throw ValidationFailure(
                path: "block",
                reason: .unknownReference,
                message: "no block '\(count.block)' in facility '\(facility)'"
            )
        }
        guard (0...limit).contains(count.counted) else {
            throw ValidationFailure(
                path: "counted",
                reason: .outOfRange,
                message: "count \(count.counted) must be between 0 and \(limit) for block '\(count.block)'"
            )
        }
        guard count.counted != expected else { return .consistent }
        let name = blockNames[count.block] ?? count.block.rawValue
        let difference = expected - count.counted
        let summary =
            difference > 0
            ? "Roll call of \(name): \(count.counted) counted, \(expected) expected, \(difference) missing"
            : "Roll call of \(name): \(count.counted) counted, \(expected) expected, \(-difference) too many"
        return .raiseIncident(
            IncidentDraft(kind: .rollCallDiscrepancy, facility: facility, raisedAt: count.at, summary: summary),
            expected: expected,
            counted: count.counted
        )
    }
}

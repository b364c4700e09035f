public import Foundation

/// The two-person rule: at night a cell is opened only when a second officer confirms it.
///
/// On the night of the report a guard opened a cell alone, late in the evening, for an inmate who
/// claimed to be ill. Under this rule the request is refused unless another officer, on duty at the
/// same facility, confirms it; by day one officer may open a cell.
public struct TwoPersonRule: Sendable, Hashable {
    /// A request to open a cell.
    public struct OpenCell: Sendable, Hashable {
        /// The cell to open.
        public let cell: CellID
        /// The officer who asks.
        public let requestedBy: StaffID
        /// The second officer who confirms, if any.
        public let confirmedBy: StaffID?
        /// When the request is made.
        public let at: Date

        /// Creates a request.
        public init(cell: CellID, requestedBy: StaffID, confirmedBy: StaffID? = nil, at: Date) {
            self.cell = cell
            self.requestedBy = requestedBy
            self.confirmedBy = confirmedBy
            self.at = at
        }
    }

    /// The answer to a request.
    public enum Decision: Sendable, Hashable {
        /// The cell may be opened.
        case allowed
        /// The cell stays shut, for the reason given.
        case refused(reason: String)
    }

    /// The facility whose cells the rule guards.
    public let facility: Facility
    /// When the rule applies.
    public let night: NightWindow
    private let staff: [StaffID: StaffMember]

    /// Creates the rule for a facility.
    ///
    /// - Parameters:
    ///   - facility: the facility and its cells.
    ///   - staff: the people who may ask and confirm.
    ///   - night: the hours the rule applies.
    public init(facility: Facility, staff: [StaffMember], night: NightWindow) {
        self.facility = facility
        self.night = night
        var byID: [StaffID: StaffMember] = [:]
        for member in staff {
            byID[member.id] = member
        }
        self.staff = byID
    }

    /// Decides a request.
    ///
    /// - Returns: ``Decision/allowed``, or ``Decision/refused(reason:)`` naming the first rule broken.
    public func decide(_ request: OpenCell) -> Decision {
        guard facility.block(containing: request.cell) != nil else {
            return .refused(reason: "no cell '\(request.cell)' in facility '\(facility.id)'")
        }
        guard let requester = staff[request.requestedBy], isOfficer(requester) else {
            return .refused(reason: "'\(request.requestedBy)' is not an officer on duty at '\(facility.id)'")
        }
        guard night.contains(request.at) else { return .allowed }
        guard let second = request.confirmedBy else {
            return .refused(reason: "at night a second officer must confirm opening cell '\(request.cell)'")
        }
        guard second != requester.id else {
            return .refused(reason: "the officer who asks cannot also confirm opening cell '\(request.cell)'")
        }
        guard let confirmer = staff[second], isOfficer(confirmer) else {
            return .refused(reason: "'\(second)' is not an officer on duty at '\(facility.id)'")
        }
        return .allowed
    }

    private func isOfficer(_ member: StaffMember) -> Bool {
        let roles: Set<StaffMember.Role> = [.guardOfficer, .dutyOfficer, .commander]
        return member.facility == facility.id && member.isOnDuty && member.status == .active
            && roles.contains(member.role)
    }
}

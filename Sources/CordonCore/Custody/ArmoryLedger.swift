public import Foundation

/// The armory and key ledger of a facility: which item, by serial, is issued to whom, as a pure state
/// machine.
///
/// Items are looked up by serial, or by their identifier when they have none (a bundle of keys, a box of
/// cartridges). Issues and returns are refused when they cannot be right (an item already out, a return
/// by someone who does not hold it, an unknown person); an issue outside the person's shift is recorded
/// — the item did leave — and raises an incident. At a count, every item neither issued nor found is
/// unaccounted for, and raises an incident.
public struct ArmoryLedger: Sendable, Hashable {
    /// What happens at the armory.
    public enum Event: Sendable, Hashable {
        /// An item is issued to a member of staff.
        case issue(serial: String, to: StaffID, at: Date)
        /// An item is handed back by a member of staff.
        case `return`(serial: String, by: StaffID, at: Date)
        /// The armory is counted: the serials (or identifiers) of the items found on the racks.
        case count(found: Set<String>, at: Date)
    }

    /// What the driver must do after an event.
    public enum Action: Sendable, Hashable {
        /// The event was recorded; nothing else to do.
        case recorded
        /// The event was refused and changed nothing.
        case refused(reason: String)
        /// Raise an incident. For an issue outside a shift, the issue was recorded too.
        case raiseIncident(IncidentDraft)
    }

    /// Who holds an issued item, since when.
    public struct Holding: Sendable, Hashable {
        /// Who holds the item.
        public let staff: StaffID
        /// When it was issued.
        public let since: Date
    }

    /// The facility whose armory this is.
    public let facility: FacilityID
    /// The items under count, keyed by serial (or identifier).
    public let items: [String: ArmoryItem]
    /// Each member of staff's shifts.
    public let shifts: [StaffID: [DateInterval]]
    private let staffNames: [StaffID: String]
    /// The items now issued, by serial (or identifier).
    public private(set) var issued: [String: Holding] = [:]
    /// Items a count did not find (and nobody held), by key, with the count's instant; a later count
    /// that finds one, or its issue, takes it off.
    public private(set) var missing: [String: Date] = [:]

    /// Creates the ledger of a facility's armory, with every item on the racks.
    ///
    /// - Parameters:
    ///   - facility: the facility, with its armory.
    ///   - staff: the people items may be issued to.
    ///   - shifts: each person's shift windows; an issue outside all of them raises an incident.
    public init(facility: Facility, staff: [StaffMember], shifts: [StaffID: [DateInterval]]) {
        self.facility = facility.id
        var items: [String: ArmoryItem] = [:]
        for item in facility.armory {
            items[Self.key(of: item)] = item
        }
        self.items = items
        self.shifts = shifts
        var names: [StaffID: String] = [:]
        for member in staff {
            names[member.id] = member.name.fullName
        }
        self.staffNames = names
    }

    /// The key an item is looked up by: its serial, or its identifier when it has none.
    public static func key(of item: ArmoryItem) -> String {
        item.serial ?? item.id.rawValue
    }

    /// How many items are on the racks.
    public var inArmoryCount: Int { items.count - issued.count }

    /// The keys of the items a member of staff holds, sorted.
    public func holdings(of staff: StaffID) -> [String] {
        issued.filter { $0.value.staff == staff }.map(\.key).sorted()
    }

    /// Applies an event.
    ///
    /// - Returns: what the driver must do.
    public mutating func event(_ event: Event) -> Action {
        switch event {
        case .issue(let serial, let staff, let instant):
            guard let item = items[serial] else { return .refused(reason: "no item '\(serial)' in the armory") }
            guard let name = staffNames[staff] else { return .refused(reason: "unknown member of staff '\(staff)'") }
            if let holding = issued[serial] {
                return .refused(reason: "'\(serial)' is already issued to '\(holding.staff)'")
            }
            issued[serial] = Holding(staff: staff, since: instant)
            missing[serial] = nil
            let onShift = shifts[staff, default: []].contains { $0.contains(instant) }
            guard onShift else {
                return .raiseIncident(
                    IncidentDraft(
                        kind: .armoryDiscrepancy,
                        facility: facility,
                        raisedAt: instant,
                        summary: "\(item.description) (\(serial)) issued to \(name) outside their shift"
                    )
                )
            }
            return .recorded
        case .return(let serial, let staff, let instant):
            guard items[serial] != nil else { return .refused(reason: "no item '\(serial)' in the armory") }
            guard let holding = issued[serial] else { return .refused(reason: "'\(serial)' is not issued") }
            guard holding.staff == staff else {
                return .refused(reason: "'\(serial)' is issued to '\(holding.staff)', not '\(staff)'")
            }
            guard instant >= holding.since else {
                return .refused(reason: "return of '\(serial)' is dated before its issue")
            }
            issued[serial] = nil
            return .recorded
        case .count(let found, let instant):
            let unknown = found.subtracting(items.keys).sorted()
            guard unknown.isEmpty else {
                return .refused(reason: "no item \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in the armory")
            }
            let missing = unaccounted(found: found)
            for key in found { self.missing[key] = nil }
            for key in missing where self.missing[key] == nil { self.missing[key] = instant }
            guard !missing.isEmpty else { return .recorded }
            let described = missing.map { "\(items[$0]!.description) (\($0))" }.joined(separator: "; ")
            return .raiseIncident(
                IncidentDraft(
                    kind: .armoryDiscrepancy,
                    facility: facility,
                    raisedAt: instant,
                    summary: "Armory count: \(missing.count) item(s) not accounted for: \(described)"
                )
            )
        }
    }

    /// The keys of the items neither issued nor among `found`, sorted: what a count with `found` would
    /// report as unaccounted for.
    public func unaccounted(found: Set<String>) -> [String] {
        items.keys.filter { !found.contains($0) && issued[$0] == nil }.sorted()
    }
}

public import CordonCore
import CordonEvents
import CordonStore
public import Foundation
import Logging

extension CustodyWatch {
    /// What an armory entry led to.
    public struct ArmoryResult: Sendable, Encodable {
        public let recorded: Bool
        public let issued: [String: String]
        public let incident: IncidentID?
    }

    /// Records an issue, a return or a count at a facility's armory; an item unaccounted for at a
    /// count, or issued to somebody off duty, raises an incident.
    public func armory(
        facility facilityID: FacilityID,
        event: ArmoryLedger.Event,
        by identity: Identity
    ) async throws
        -> ArmoryResult
    {
        guard let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity else {
            throw OperationError.notFound("no facilities '\(facilityID)'")
        }
        var ledger = try await ledger(of: facility)
        let action = ledger.event(event)
        if case .refused(let reason) = action { throw OperationError.conflict(reason) }
        ledgers[facilityID] = ledger
        let description: JSONValue
        switch event {
        case .issue(let serial, let staff, _):
            description = .object([
                "event": .string("issue"), "serial": .string(serial), "staff": .string(staff.rawValue),
            ])
        case .return(let serial, let staff, _):
            description = .object([
                "event": .string("return"), "serial": .string(serial), "staff": .string(staff.rawValue),
            ])
        case .count(let found, _):
            description = .object(["event": .string("count"), "found": .array(found.sorted().map(JSONValue.string))])
        }
        _ = try await store.appendAudit(
            .init(
                actor: identity.username,
                role: identity.role,
                action: "facilities.armory",
                target: "facilities/\(facilityID.rawValue)",
                details: description
            )
        )
        var incident: IncidentID?
        if case .raiseIncident(let draft) = action { incident = try await raise(draft).id }
        return ArmoryResult(
            recorded: true,
            issued: ledger.issued.mapValues(\.staff.rawValue),
            incident: incident
        )
    }

    /// Who holds each item of a facility's armory that is out (by serial, or identifier when it has
    /// none), and since when.
    public func issuedItems(of facility: Facility) async throws -> [String: ArmoryLedger.Holding] {
        try await ledger(of: facility).issued
    }

    /// The items of a facility's armory a count did not find (and nobody holds), with that count's instant.
    public func missingItems(of facility: Facility) async throws -> [String: Date] {
        try await ledger(of: facility).missing
    }

    func ledger(of facility: Facility) async throws -> ArmoryLedger {
        if let existing = ledgers[facility.id] { return existing }
        let staff = try await store.allEntities(StaffMember.self).filter { $0.facility == facility.id }
        // Staff on duty are on shift; the others are not.
        let shifts = Dictionary(
            uniqueKeysWithValues: staff.filter(\.isOnDuty).map {
                ($0.id, [DateInterval(start: .distantPast, end: .distantFuture)])
            }
        )
        var ledger = ArmoryLedger(facility: facility, staff: staff, shifts: shifts)
        try await replayArmory(into: &ledger, facility: facility.id)
        ledgers[facility.id] = ledger
        return ledger
    }

    /// Rebuilds who holds what from the audit log, where every issue and return was recorded when it
    /// happened: a restart loses nothing.
    func replayArmory(into ledger: inout ArmoryLedger, facility: FacilityID) async throws {
        var after: Int64 = 0
        let target = "facilities/\(facility.rawValue)"
        while true {
            let records = try await store.auditRecords(after: after, limit: 1000)
            for record in records where record.action == "facilities.armory" && record.target == target {
                guard case .object(let details) = record.details, case .string(let kind)? = details["event"] else {
                    continue
                }
                // A count, so that what it missed is still missing after a restart.
                if kind == "count", case .array(let found)? = details["found"] {
                    let serials = found.compactMap { if case .string(let serial) = $0 { serial } else { nil } }
                    _ = ledger.event(.count(found: Set(serials), at: record.at))
                    continue
                }
                guard case .string(let serial)? = details["serial"], case .string(let staffText)? = details["staff"],
                    let staff = try? StaffID(staffText)
                else { continue }
                switch kind {
                case "issue": _ = ledger.event(.issue(serial: serial, to: staff, at: record.at))
                case "return": _ = ledger.event(.return(serial: serial, by: staff, at: record.at))
                default: break
                }
            }
            guard let last = records.last, records.count == 1000 else { return }
            after = last.sequence
        }
    }

    // MARK: Helpers

    func locate(_ postID: GuardPostID) async throws -> (Facility, GuardPost) {
        for facility in try await store.allEntities(Facility.self) {
            if let post = facility.posts.first(where: { $0.id == postID }) { return (facility, post) }
        }
        throw OperationError.notFound("no posts '\(postID)'")
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyyMMdd't'HHmmss"
        return formatter.string(from: date)
    }
}

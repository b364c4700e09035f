public import CordonCore
import CordonEvents
import CordonStore
public import Foundation
import Logging

extension CustodyWatch {
    // MARK: Roll calls

    /// The outcome of a roll call.
    public struct RollCallResult: Sendable, Encodable {
        public let facility: FacilityID
        public let block: BlockID
        public let expected: Int
        public let counted: Int
        public let consistent: Bool
        public let incident: IncidentID?
    }

    /// A facility's custody records (every facility's when nil), split into the inmates it holds and
    /// those at large: escaped and on the wanted list, they are no longer counted in their cells.
    public func custody(in facility: FacilityID?) async throws -> (held: [CustodyRecord], atLarge: [CustodyRecord]) {
        let atLarge = Set(
            try await store.allEntities(Person.self).filter { $0.wanted?.status == .atLarge }.map(\.id)
        )
        let records = try await store.allEntities(CustodyRecord.self).filter {
            facility == nil || $0.facility == facility
        }
        return (records.filter { !atLarge.contains($0.person) }, records.filter { atLarge.contains($0.person) })
    }

    /// Checks a block's count against the custody records of the inmates the facility holds (not those
    /// at large); a discrepancy raises an incident.
    public func rollCall(
        facility facilityID: FacilityID,
        block: BlockID,
        counted: Int,
        countedBy: StaffID?,
        by identity: Identity
    ) async throws -> RollCallResult {
        guard let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity else {
            throw OperationError.notFound("no facilities '\(facilityID)'")
        }
        let records = try await custody(in: facilityID).held
        let rollCall: RollCall
        let action: RollCall.Action
        do {
            rollCall = try RollCall(facility: facility, custody: records)
            action = try rollCall.check(
                .init(block: block, counted: counted, at: clock.now(), countedBy: countedBy)
            )
        }
        let expected = rollCall.expected[block] ?? 0
        _ = try await store.appendAudit(
            .init(
                actor: identity.username,
                role: identity.role,
                action: "facilities.roll_call",
                target: "facilities/\(facilityID.rawValue)",
                details: .object([
                    "block": .string(block.rawValue), "expected": .number(Double(expected)),
                    "counted": .number(Double(counted)),
                ])
            )
        )
        switch action {
        case .consistent:
            return RollCallResult(
                facility: facilityID,
                block: block,
                expected: expected,
                counted: counted,
                consistent: true,
                incident: nil
            )
        case .raiseIncident(let draft, _, _):
            let incident = try await raise(draft)
            return RollCallResult(
                facility: facilityID,
                block: block,
                expected: expected,
                counted: counted,
                consistent: false,
                incident: incident.id
            )
        }
    }

    // MARK: The night's own failures

    /// Feeds a post's check-in or miss to the rules that watch whole blocks and officers' credentials.
    func observe(post: GuardPostID, manned: Bool) async {
        guard let (facility, _) = try? await locate(post) else { return }
        let now = clock.now()
        var blocks = blockWatches[facility.id] ?? BlockWatch(facility: facility)
        let blockAction = blocks.event(manned ? .manned(post, at: now) : .unmanned(post, at: now))
        blockWatches[facility.id] = blocks
        if case .raiseIncident(let draft, _) = blockAction { _ = try? await raise(draft) }
        guard var credentials = try? await credentialWatch(for: facility) else { return }
        let credentialAction = credentials.event(manned ? .postCheckedIn(post, at: now) : .postMissed(post, at: now))
        credentialWatches[facility.id] = credentials
        if case .raiseIncident(let draft, _, _) = credentialAction { _ = try? await raise(draft, post: post) }
    }

    func credentialWatch(for facility: Facility) async throws -> CredentialWatch {
        if let watch = credentialWatches[facility.id] { return watch }
        let staff = try await store.allEntities(StaffMember.self)
        return CredentialWatch(facility: facility, staff: staff)
    }

    /// What a reported credential use led to.
    public struct CredentialUseResult: Sendable, Encodable {
        public let staff: StaffID
        public let place: String
        public let incident: IncidentID?
    }

    /// A door, gate or terminal reports that a member of staff's credential was used at a place.
    public func credentialUsed(
        facility facilityID: FacilityID,
        staff: StaffID,
        place: CredentialWatch.Place,
        by identity: Identity
    ) async throws -> CredentialUseResult {
        guard let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity else {
            throw OperationError.notFound("no facilities '\(facilityID)'")
        }
        var watch = try await credentialWatch(for: facility)
        let action = watch.event(.credentialUsed(staff, at: clock.now(), place: place))
        if case .refused(let reason) = action {
            throw ValidationFailure(path: "staff", reason: .unknownReference, message: reason)
        }
        credentialWatches[facilityID] = watch
        _ = try await store.appendAudit(
            .init(
                actor: identity.username,
                role: identity.role,
                action: "facilities.credential_use",
                target: "facilities/\(facilityID.rawValue)",
                details: .object(["staff": .string(staff.rawValue), "place": .string(place.description)])
            )
        )
        var incident: IncidentID?
        if case .raiseIncident(let draft, let post, _) = action { incident = try await raise(draft, post: post).id }
        return CredentialUseResult(staff: staff, place: place.description, incident: incident)
    }

    /// The answer to a request to open a cell.
    public struct CellOpening: Sendable, Encodable {
        public let cell: CellID
        public let allowed: Bool
        public let at: Date
    }

    /// Decides whether a cell may be opened; at night a second officer must confirm. A refusal at night
    /// raises an incident: that is how the night of the report began.
    public func openCell(
        facility facilityID: FacilityID,
        cell: CellID,
        requestedBy: StaffID,
        confirmedBy: StaffID?,
        by identity: Identity
    ) async throws -> CellOpening {
        guard let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity else {
            throw OperationError.notFound("no facilities '\(facilityID)'")
        }
        guard facility.block(containing: cell) != nil else {
            throw OperationError.notFound("no cell '\(cell)' in '\(facilityID)'")
        }
        let now = clock.now()
        let rule = TwoPersonRule(
            facility: facility,
            staff: try await store.allEntities(StaffMember.self),
            night: try NightWindow(from: (22, 0), to: (6, 0), in: zone)
        )
        let decision = rule.decide(.init(cell: cell, requestedBy: requestedBy, confirmedBy: confirmedBy, at: now))
        var details: [String: JSONValue] = [
            "cell": .string(cell.rawValue), "requested_by": .string(requestedBy.rawValue),
            "confirmed_by": confirmedBy.map { .string($0.rawValue) } ?? .null,
        ]
        switch decision {
        case .allowed:
            details["allowed"] = .bool(true)
            _ = try await store.appendAudit(
                .init(
                    actor: identity.username,
                    role: identity.role,
                    action: "cells.open",
                    target: "facilities/\(facilityID.rawValue)",
                    details: .object(details)
                )
            )
            return CellOpening(cell: cell, allowed: true, at: now)
        case .refused(let reason):
            details["allowed"] = .bool(false)
            details["reason"] = .string(reason)
            _ = try await store.appendAudit(
                .init(
                    actor: identity.username,
                    role: identity.role,
                    action: "cells.open_refused",
                    target: "facilities/\(facilityID.rawValue)",
                    details: .object(details)
                )
            )
            if rule.night.contains(now) {
                _ = try await raise(
                    IncidentDraft(
                        kind: .other,
                        facility: facilityID,
                        raisedAt: now,
                        summary: "Refused at night: \(reason) (asked by \(requestedBy))"
                    )
                )
            }
            throw OperationError.conflict("the cell stays shut: \(reason)")
        }
    }
}

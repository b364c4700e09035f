public import CordonCore
public import CordonStore
public import Foundation
public import Logging

/// Watches custody: guard posts' check-ins on schedule, roll calls, the armory, cells opened at night.
///
/// Each post with codes set is on watch: its ``CheckInSchedule`` runs from the moment the codes were
/// set (or the server started). A timer sleeps until the earliest deadline of all posts on the
/// server's clock, so a missed check-in raises an incident the moment the grace period runs out. A
/// second miss, or a check-in with the duress code, escalates. Every incident is written to the store
/// with its audit record and announced on the operations stream.
public actor CustodyWatch<S: Store> {
    let store: S
    let configuration: ServerConfiguration
    let hasher: PasswordHasher
    let alerts: AlertCenter<S>
    let logger: Logger
    private var schedules: [GuardPostID: CheckInSchedule] = [:]
    private var openIncidents: [GuardPostID: IncidentID] = [:]
    private var blockWatches: [FacilityID: BlockWatch] = [:]
    private var credentialWatches: [FacilityID: CredentialWatch] = [:]
    private var ledgers: [FacilityID: ArmoryLedger] = [:]
    private var loop: Task<Void, Never>?
    private var incidentCounter = 0

    /// Creates the watch; ``start()`` puts the posts with codes on watch.
    public init(
        store: S,
        configuration: ServerConfiguration,
        hasher: PasswordHasher,
        alerts: AlertCenter<S>,
        logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        self.hasher = hasher
        self.alerts = alerts
        self.logger = logger
    }

    /// Puts every post with codes on watch, counting from now, and starts the timer.
    public func start() async throws {
        let facilities = Dictionary(
            uniqueKeysWithValues: try await store.allEntities(Facility.self).map { ($0.id, $0) }
        )
        let now = configuration.now()
        for credential in try await store.allEntities(PostCredential.self) {
            guard let facility = facilities[credential.facility],
                let post = facility.posts.first(where: { $0.id == credential.post })
            else { continue }
            schedules[post.id] = CheckInSchedule(
                post: post,
                facility: facility.id,
                startingAt: max(now, credential.setAt)
            )
        }
        loop?.cancel()
        loop = Task { [weak self] in await self?.runTimer() }
    }

    /// Stops the timer.
    public func stop() {
        loop?.cancel()
        loop = nil
    }

    /// When each post on watch is due next, for the API.
    public func dueTimes() -> [GuardPostID: Date] {
        schedules.mapValues(\.deadline)
    }

    private func runTimer() async {
        while !Task.isCancelled {
            let now = configuration.now()
            let earliest = schedules.values.map(\.deadline).min() ?? .distantFuture
            do { try await configuration.sleep(until: min(earliest, now.addingTimeInterval(60))) } catch { return }
            let instant = configuration.now()
            for post in schedules.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
                guard var schedule = schedules[post], instant >= schedule.deadline else { continue }
                let action = schedule.event(.tick(at: instant))
                schedules[post] = schedule
                await carryOut(action, post: post, actor: "system", role: nil)
            }
        }
    }

    // MARK: Check-ins

    /// A post on watch: since when, and when its first check-in is due at the latest.
    public struct Watch: Sendable, Encodable {
        public let post: GuardPostID
        public let onWatchFrom: Date
        public let nextDue: Date

        enum CodingKeys: String, CodingKey {
            case post
            case onWatchFrom = "on_watch_from"
            case nextDue = "next_due"
        }
    }

    /// Sets a post's codes and puts it on watch from now.
    public func setCodes(
        post postID: GuardPostID,
        code: String,
        duressCode: String,
        by identity: Identity
    ) async throws
        -> Watch
    {
        guard code != duressCode else {
            throw Problem.validation(
                ValidationFailure(path: "duress_code", reason: .notAllowed, message: "must differ from the code")
            )
        }
        let (facility, post) = try await locate(postID)
        let now = configuration.now()
        let credential = PostCredential(
            post: postID,
            facility: facility.id,
            codeHash: try await hasher.hash(code),
            duressHash: try await hasher.hash(duressCode),
            setAt: now,
            setBy: identity.username
        )
        _ = try await store.save(
            credential,
            operation: .upsert,
            audit: .init(
                actor: identity.username,
                role: identity.role,
                action: "posts.codes",
                target: "posts/\(postID.rawValue)"
            )
        )
        let schedule = CheckInSchedule(post: post, facility: facility.id, startingAt: now)
        schedules[postID] = schedule
        openIncidents[postID] = nil
        return Watch(post: postID, onWatchFrom: now, nextDue: schedule.deadline)
    }

    /// What a check-in answers: the same whether or not the duress code was used.
    public struct CheckInReceipt: Sendable, Encodable {
        public let post: GuardPostID
        public let at: Date
        public let nextDue: Date

        enum CodingKeys: String, CodingKey {
            case post, at
            case nextDue = "next_due"
        }
    }

    /// A post checks in with its code (or, under duress, with its duress code).
    public func checkIn(
        post postID: GuardPostID,
        code: String,
        by identity: Identity,
        address: String?
    ) async throws
        -> CheckInReceipt
    {
        let (facility, _) = try await locate(postID)
        guard let credential = try await store.entity(PostCredential.self, id: postID.rawValue)?.entity,
            schedules[postID] != nil
        else {
            throw Problem.conflict("post '\(postID)' has no codes set, so it is not on watch")
        }
        let isDuress: Bool
        if try await hasher.verify(code, hash: credential.codeHash) {
            isDuress = false
        } else if try await hasher.verify(code, hash: credential.duressHash) {
            isDuress = true
        } else {
            _ = try await store.appendAudit(
                .init(
                    actor: identity.username,
                    role: identity.role,
                    action: "posts.check_in_refused",
                    target: "posts/\(postID.rawValue)",
                    address: address
                )
            )
            throw Problem.validation(
                ValidationFailure(path: "code", reason: .notAllowed, message: "is not the post's code")
            )
        }
        let now = configuration.now()
        guard var schedule = schedules[postID] else { throw Problem.conflict("post '\(postID)' is not on watch") }
        let action = schedule.event(.checkIn(at: now, duress: isDuress))
        if case .refused(let reason) = action { throw Problem.conflict(reason) }
        let record = CheckIn(post: postID, facility: facility.id, at: now, by: identity.username, isDuress: isDuress)
        _ = try await store.save(
            record,
            operation: .upsert,
            audit: .init(
                actor: identity.username,
                role: identity.role,
                action: "posts.check_in",
                target: "posts/\(postID.rawValue)",
                address: address,
                details: .object(["duress": .bool(isDuress)])
            )
        )
        schedules[postID] = schedule
        // A duress check-in looks like any other to those watching screens: the alarm is silent.
        await alerts.publish([
            "type": .string("check_in"), "post": .string(postID.rawValue),
            "next_due": .string(Instant.format(schedule.deadline, in: configuration.zone)),
        ])
        if case .none = action { await observe(post: postID, manned: true) }
        await carryOut(action, post: postID, actor: identity.username, role: identity.role)
        return CheckInReceipt(post: postID, at: now, nextDue: schedule.deadline)
    }

    private func carryOut(_ action: CheckInSchedule.Action, post: GuardPostID, actor: String, role: Role?) async {
        do {
            switch action {
            case .none, .refused:
                return
            case .resumed(let missed):
                await observe(post: post, manned: true)
                await alerts.publish([
                    "type": .string("check_in_resumed"), "post": .string(post.rawValue),
                    "missed": .number(Double(missed)),
                ])
            case .raiseIncident(let draft):
                let incident = try await raise(draft, post: post)
                openIncidents[post] = incident.id
                await observe(post: post, manned: false)
            case .escalate(let reason, let draft):
                if let open = openIncidents[post] {
                    _ = try await store.appendAudit(
                        .init(
                            actor: actor,
                            role: role,
                            action: "incidents.escalate",
                            target: "incidents/\(open.rawValue)",
                            details: .object(["reason": .string(reason.rawValue), "summary": .string(draft.summary)])
                        )
                    )
                    await alerts.publish([
                        "type": .string("incident_escalated"), "incident": .string(open.rawValue),
                        "post": .string(post.rawValue), "reason": .string(reason.rawValue),
                        "summary": .string(draft.summary),
                    ])
                } else {
                    let incident = try await raise(draft, post: post, escalated: reason)
                    openIncidents[post] = incident.id
                }
            }
        } catch {
            logger.error("could not record a custody incident", metadata: ["post": "\(post)", "error": "\(error)"])
        }
    }

    /// Writes an incident with its audit record and announces it.
    @discardableResult
    func raise(
        _ draft: IncidentDraft,
        post: GuardPostID? = nil,
        escalated: CheckInSchedule.Escalation? = nil
    )
        async throws -> Incident
    {
        incidentCounter += 1
        let stamp = Self.stamp(draft.raisedAt)
        let subject = post?.rawValue ?? draft.facility?.rawValue ?? "cordon"
        let id = try IncidentID(
            String("inc-\(stamp)-\(incidentCounter)-\(subject)".prefix(64)).trimmingCharacters(in: ["-", "."])
        )
        let incident = try draft.makeIncident(id: id)
        _ = try await store.save(
            incident,
            operation: .create,
            audit: .init(
                actor: "system",
                action: "incidents.raise",
                target: "incidents/\(id.rawValue)",
                details: .object([
                    "kind": .string(incident.kind.rawValue), "summary": .string(incident.summary),
                    "post": post.map { .string($0.rawValue) } ?? .null,
                    "escalated": escalated.map { .string($0.rawValue) } ?? .null,
                ])
            )
        )
        var event: [String: JSONValue] = [
            "type": .string("incident_raised"), "incident": .string(id.rawValue),
            "kind": .string(incident.kind.rawValue), "summary": .string(incident.summary),
            "raised_at": .string(Instant.format(incident.raisedAt, in: configuration.zone)),
        ]
        if let post { event["post"] = .string(post.rawValue) }
        if let escalated { event["escalated"] = .string(escalated.rawValue) }
        await alerts.publish(event)
        logger.warning("incident raised", metadata: ["incident": "\(id)", "summary": "\(incident.summary)"])
        return incident
    }

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

    /// Checks a block's count against the custody records; a discrepancy raises an incident.
    public func rollCall(
        facility facilityID: FacilityID,
        block: BlockID,
        counted: Int,
        countedBy: StaffID?,
        by identity: Identity
    ) async throws -> RollCallResult {
        guard let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity else {
            throw Problem.notFound("no facilities '\(facilityID)'")
        }
        let records = try await store.allEntities(CustodyRecord.self).filter { $0.facility == facilityID }
        let rollCall: RollCall
        let action: RollCall.Action
        do {
            rollCall = try RollCall(facility: facility, custody: records)
            action = try rollCall.check(
                .init(block: block, counted: counted, at: configuration.now(), countedBy: countedBy)
            )
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure)
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
    private func observe(post: GuardPostID, manned: Bool) async {
        guard let (facility, _) = try? await locate(post) else { return }
        let now = configuration.now()
        var blocks = blockWatches[facility.id] ?? BlockWatch(facility: facility)
        let blockAction = blocks.event(manned ? .manned(post, at: now) : .unmanned(post, at: now))
        blockWatches[facility.id] = blocks
        if case .raiseIncident(let draft, _) = blockAction { _ = try? await raise(draft) }
        guard var credentials = try? await credentialWatch(for: facility) else { return }
        let credentialAction = credentials.event(manned ? .postCheckedIn(post, at: now) : .postMissed(post, at: now))
        credentialWatches[facility.id] = credentials
        if case .raiseIncident(let draft, _, _) = credentialAction { _ = try? await raise(draft, post: post) }
    }

    private func credentialWatch(for facility: Facility) async throws -> CredentialWatch {
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
            throw Problem.notFound("no facilities '\(facilityID)'")
        }
        var watch = try await credentialWatch(for: facility)
        let action = watch.event(.credentialUsed(staff, at: configuration.now(), place: place))
        if case .refused(let reason) = action {
            throw Problem.validation(ValidationFailure(path: "staff", reason: .unknownReference, message: reason))
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
            throw Problem.notFound("no facilities '\(facilityID)'")
        }
        guard facility.block(containing: cell) != nil else {
            throw Problem.notFound("no cell '\(cell)' in '\(facilityID)'")
        }
        let now = configuration.now()
        let rule = TwoPersonRule(
            facility: facility,
            staff: try await store.allEntities(StaffMember.self),
            night: try NightWindow(from: (22, 0), to: (6, 0), in: configuration.zone)
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
            throw Problem.conflict("the cell stays shut: \(reason)")
        }
    }

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
            throw Problem.notFound("no facilities '\(facilityID)'")
        }
        var ledger = try await ledger(of: facility)
        let action = ledger.event(event)
        if case .refused(let reason) = action { throw Problem.conflict(reason) }
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

    private func ledger(of facility: Facility) async throws -> ArmoryLedger {
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
    private func replayArmory(into ledger: inout ArmoryLedger, facility: FacilityID) async throws {
        var after: Int64 = 0
        let target = "facilities/\(facility.rawValue)"
        while true {
            let records = try await store.auditRecords(after: after, limit: 1000)
            for record in records where record.action == "facilities.armory" && record.target == target {
                guard case .object(let details) = record.details, case .string(let kind)? = details["event"],
                    case .string(let serial)? = details["serial"], case .string(let staffText)? = details["staff"],
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

    private func locate(_ postID: GuardPostID) async throws -> (Facility, GuardPost) {
        for facility in try await store.allEntities(Facility.self) {
            if let post = facility.posts.first(where: { $0.id == postID }) { return (facility, post) }
        }
        throw Problem.notFound("no posts '\(postID)'")
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyyMMdd't'HHmmss"
        return formatter.string(from: date)
    }
}

// The custody watch: guard posts' check-ins on schedule, roll calls against custody, the armory ledger,
// the two-person rule for cells at night and officers' credentials used where they should not be. It
// talks to the store and publishes on the event bus; its timer runs in ``CustodyWatchService``.
public import CordonCore
public import CordonEvents
public import CordonStore
public import Foundation
public import Logging

/// Hashes and checks the secrets posts check in with; the server hands in bcrypt.
public protocol SecretHasher: Sendable {
    func hash(_ secret: String) async throws -> String
    func verify(_ secret: String, hash: String) async throws -> Bool
}

/// Watches custody: guard posts' check-ins on schedule, roll calls, the armory, cells opened at night.
///
/// Each post with codes set is on watch: its ``CheckInSchedule`` runs from the moment the codes were
/// set (or the watch was restored). A timer sleeps until the earliest deadline of all posts on the
/// engine's clock, so a missed check-in raises an incident the moment the grace period runs out. A
/// second miss, or a check-in with the duress code, escalates. Every incident is written to the store
/// with its audit record and announced on the event bus.
public actor CustodyWatch<S: Store> {
    let store: S
    let clock: EngineClock
    let zone: TimeZone
    let hasher: any SecretHasher
    let bus: any EventBus
    let logger: Logger
    var schedules: [GuardPostID: CheckInSchedule] = [:]
    var openIncidents: [GuardPostID: IncidentID] = [:]
    var blockWatches: [FacilityID: BlockWatch] = [:]
    var credentialWatches: [FacilityID: CredentialWatch] = [:]
    var ledgers: [FacilityID: ArmoryLedger] = [:]
    var incidentCounter = 0

    /// Creates the watch; ``restore()`` puts the posts with codes on watch.
    public init(
        store: S,
        clock: EngineClock,
        zone: TimeZone,
        hasher: any SecretHasher,
        bus: any EventBus,
        logger: Logger
    ) {
        self.store = store
        self.clock = clock
        self.zone = zone
        self.hasher = hasher
        self.bus = bus
        self.logger = logger
    }

    /// Puts every post with codes on watch, its next check-in due after its last one as stored (or after
    /// its codes were set): the deadlines live in the store, so a node that takes over, or a server that
    /// restarts, raises the incident of a check-in missed meanwhile. What was held in memory is forgotten.
    public func restore() async throws {
        let facilities = Dictionary(
            uniqueKeysWithValues: try await store.allEntities(Facility.self).map { ($0.id, $0) }
        )
        // A miss keeps its post in its id when a commander confirms it as something graver (an escape).
        let missed = try await store.allEntities(Incident.self).filter {
            $0.kind == .missedCheckIn || $0.kind == .escape
        }
        var restored: [GuardPostID: CheckInSchedule] = [:]
        var open: [GuardPostID: IncidentID] = [:]
        for credential in try await store.allEntities(PostCredential.self) {
            guard let facility = facilities[credential.facility],
                let post = facility.posts.first(where: { $0.id == credential.post })
            else { continue }
            let lastCheckIn = try await latestCheckIn(at: post.id)
            let start = max(credential.setAt, lastCheckIn?.at ?? credential.setAt)
            var schedule = CheckInSchedule(post: post, facility: facility.id, startingAt: start)
            // A miss another leader raised already (its incident is named after the post) is not raised
            // again: the schedule counts it, and a second miss escalates that incident.
            if let raised = missed.filter({ $0.id.rawValue.hasSuffix("-" + post.id.rawValue) && $0.raisedAt > start })
                .max(by: { $0.raisedAt < $1.raisedAt })
            {
                _ = schedule.event(.tick(at: raised.raisedAt))
                open[post.id] = raised.id
            }
            restored[post.id] = schedule
        }
        schedules = restored
        openIncidents = open
    }

    /// A post's latest check-in as stored: check-in ids sort by post, then time.
    func latestCheckIn(at post: GuardPostID) async throws -> CheckIn? {
        var query = DocumentQuery(limit: 1000, filters: [DocumentTag("post", post.rawValue)])
        var last: StoredDocument?
        while true {
            let page = try await store.documents(kind: .checkIn, query: query)
            last = page.documents.last ?? last
            guard let cursor = page.nextCursor else { break }
            query.after = cursor
        }
        guard let last else { return nil }
        let decoded: Versioned<CheckIn> = try S.decode(last)
        return decoded.entity
    }

    /// When each post on watch is due next, for the API.
    public func dueTimes() -> [GuardPostID: Date] {
        schedules.mapValues(\.deadline)
    }

    /// The posts on watch that missed their check-in and have not checked in since, with the last
    /// check-in they made (or when they went on watch).
    public func silentPosts() -> [GuardPostID: Date] {
        schedules.filter { $0.value.isOverdue }.mapValues(\.lastCheckIn)
    }

    /// Raises incidents at the posts' deadlines until the task is cancelled.
    func runTimer() async {
        while !Task.isCancelled {
            let now = clock.now()
            let earliest = schedules.values.map(\.deadline).min() ?? .distantFuture
            do { try await clock.sleep(until: min(earliest, now.addingTimeInterval(60))) } catch { return }
            let instant = clock.now()
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
            throw ValidationFailure(path: "duress_code", reason: .notAllowed, message: "must differ from the code")
        }
        let (facility, post) = try await locate(postID)
        let now = clock.now()
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
            throw OperationError.conflict("post '\(postID)' has no codes set, so it is not on watch")
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
            throw ValidationFailure(path: "code", reason: .notAllowed, message: "is not the post's code")
        }
        let now = clock.now()
        guard var schedule = schedules[postID] else {
            throw OperationError.conflict("post '\(postID)' is not on watch")
        }
        let action = schedule.event(.checkIn(at: now, duress: isDuress))
        if case .refused(let reason) = action { throw OperationError.conflict(reason) }
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
        await bus.publish(.checkIn(post: postID.rawValue, nextDue: schedule.deadline))
        if case .none = action { await observe(post: postID, manned: true) }
        await carryOut(action, post: postID, actor: identity.username, role: identity.role)
        return CheckInReceipt(post: postID, at: now, nextDue: schedule.deadline)
    }

    func carryOut(_ action: CheckInSchedule.Action, post: GuardPostID, actor: String, role: Role?) async {
        do {
            switch action {
            case .none, .refused:
                return
            case .resumed(let missed):
                await observe(post: post, manned: true)
                await bus.publish(.checkInResumed(post: post.rawValue, missed: missed))
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
                    await bus.publish(
                        .incidentEscalated(
                            incident: open.rawValue,
                            post: post.rawValue,
                            reason: reason.rawValue,
                            summary: draft.summary
                        )
                    )
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
        await bus.publish(
            .incidentRaised(
                .init(
                    incident: id.rawValue,
                    kind: incident.kind.rawValue,
                    summary: incident.summary,
                    raisedAt: incident.raisedAt,
                    post: post?.rawValue,
                    escalated: escalated?.rawValue
                )
            )
        )
        logger.warning("incident raised", metadata: ["incident": "\(id)", "summary": "\(incident.summary)"])
        return incident
    }
}

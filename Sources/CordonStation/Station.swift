public import CordonCheckpoint
import CordonCore
import CordonDocuments
import CordonEvents
import CordonMatch
public import Foundation

/// The station's state: the list copy loaded for screening, the alerts on its screen, the officers signed
/// in, and how the link to headquarters stands. The page reads it through ``snapshot(session:)``; the
/// alert stream, the sync and the page's requests change it.
public actor Station {
    /// How the link to headquarters stands, and since when.
    public enum Link: Sendable, Equatable {
        case connecting(since: Date)
        case online(since: Date)
        case offline(since: Date, reason: String)
    }

    /// An officer signed in at the station with their pass.
    struct Session: Sendable {
        let officer: OfficerCredential
        let pass: String
        let signedInAt: Date
        /// The officer as every record names them.
        var label: String { "\(officer.name), service number \(officer.serviceNumber)" }
    }

    let configuration: StationConfiguration
    let copy: CheckpointStore
    nonisolated let now: @Sendable () -> Date
    /// The screening index of the copy, and what the copy holds; nil before the first sync.
    var index: ScreeningIndex?
    var status: CheckpointStore.Status?
    var entries: [String: WatchlistEntry] = [:]
    var vehicles: [String: Vehicle] = [:]
    var plates = PlateIndex<String>([], threshold: PlateMatcher.defaultThreshold)
    var link: Link
    var refusal: String?
    var alerts: [String: StationAlert] = [:]
    var sessions: [String: Session] = [:]
    var revokedOnStream: Set<String> = []
    /// The pass each acknowledgement was given with, kept until headquarters confirms it: an
    /// acknowledgement sent again after the line returns still names its officer, signed in or not.
    var acknowledgementPasses: [String: String] = [:]
    /// When the signed metadata of the list held expires (read once per sync, not per look at the page).
    var listExpiry: Date?
    var lastSync: (at: Date, message: String, failed: Bool)?
    var screenings: [String: StationScreening] = [:]
    var screeningOrder: [String] = []
    /// The alert stream's client, once the link service made it; acknowledgements and receipts go through it.
    var client: AlertStreamClient?
    /// Wakes the sync service (the link came back, an alert named someone the copy lacks).
    let syncNow: AsyncStream<Void>.Continuation
    public nonisolated let syncRequests: AsyncStream<Void>

    /// Creates the station over a checkpoint's copy.
    public init(configuration: StationConfiguration, copy: CheckpointStore, now: @escaping @Sendable () -> Date) {
        self.configuration = configuration
        self.copy = copy
        self.now = now
        link = .connecting(since: now())
        (syncRequests, syncNow) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: The list

    /// Loads (again) the list copy: the screening index, the names for alerts, the plates.
    public func reloadList() {
        guard let held = try? copy.status(), held.listVersion != nil, let listed = try? copy.entries() else { return }
        status = held
        listExpiry = Self.expiry(of: try? copy.metadata("targets"))
        index = ScreeningIndex(entries: listed, options: configuration.screening)
        entries = Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        loadVehicles()
    }

    /// Reads the copy's vehicles and plates again (a few, against many names), and fills the alerts'
    /// names and vehicles from what is held.
    func loadVehicles() {
        let cars = (try? copy.vehicles()) ?? []
        vehicles = Dictionary(cars.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })
        plates = PlateIndex(
            cars.compactMap { vehicle in
                (try? PlateReading(vehicle.plate.text, country: vehicle.country)).map { (vehicle.id.rawValue, $0) }
            },
            threshold: PlateMatcher.defaultThreshold
        )
        for (id, var alert) in alerts {
            alert.fill(persons: alert.persons.map(\.id), vehicles: alert.vehicles.map(\.id), entries, vehicles)
            alerts[id] = alert
        }
    }

    /// Records what a sync did, for the page, and takes what it changed: nothing to reload when the
    /// list is the same, the changed entries alone after deltas (milliseconds, where loading a large
    /// copy again takes seconds), everything after a whole list.
    public func synced(_ message: String, failed: Bool, outcome: CheckpointSync.Outcome? = nil) {
        lastSync = (now(), message, failed)
        guard !failed else { return }
        guard let outcome, let changed = outcome.changedEntries, index != nil, status?.listVersion == outcome.before
        else {
            reloadList()
            return
        }
        if outcome.after == outcome.before && changed.isEmpty {
            status = (try? copy.status()) ?? status
            listExpiry = Self.expiry(of: try? copy.metadata("targets"))
            return
        }
        apply(changed)
    }

    /// Takes changed entries from the copy into the index held, and reads the copy's vehicles again.
    func apply(_ changed: Set<String>) {
        guard let held = try? copy.status(), let present = try? copy.entries(ids: changed) else {
            reloadList()
            return
        }
        status = held
        listExpiry = Self.expiry(of: try? copy.metadata("targets"))
        let kept = Set(present.map(\.id))
        for entry in present {
            index?.upsert(entry)
            entries[entry.id] = entry
        }
        for id in changed.subtracting(kept) {
            _ = index?.remove(id: id)
            entries[id] = nil
        }
        loadVehicles()
    }

    // MARK: The alert stream

    func attach(_ client: AlertStreamClient) { self.client = client }

    /// Takes an event of the alert stream.
    func take(_ event: AlertStreamClient.Event) {
        switch event {
        case .connected:
            link = .online(since: now())
            refusal = nil
            syncNow.yield()
            // Receipts and acknowledgements given while cut off go up now.
            for alert in alerts.values.sorted(by: { $0.sequence < $1.sequence }) {
                if alert.stage != .new { client?.confirm(sequence: alert.sequence) }
                if alert.stage == .acknowledged, alert.ackIdentifier == nil { sendAck(alert.id) }
            }
        case .alert(let frame, _):
            // The audit log's head it carries is kept, to be proved consistent at the next sync.
            if let head = frame.treeHead?.head { try? copy.recordTreeHead(head, source: "alert", at: now()) }
            let id = frame.content.alert.id.rawValue
            if let held = alerts[id] {
                // A re-send: confirm again if it was shown, so headquarters stops re-sending.
                if held.stage != .new { client?.confirm(sequence: held.sequence) }
                if held.stage == .acknowledged, held.ackIdentifier == nil { sendAck(id) }
                return
            }
            var alert = StationAlert(frame: frame, entries: entries, vehicles: vehicles)
            if alert.persons.contains(where: { entries[$0.id] == nil })
                || alert.vehicles.contains(where: { vehicles[$0.id] == nil })
            {
                syncNow.yield()
            }
            // An update or a cancellation replaces what it refers to.
            for (heldID, var held) in alerts where alert.references.contains(held.capIdentifier) {
                held.replacedBy = alert.id
                alerts[heldID] = held
            }
            alert.stage = .new
            alerts[id] = alert
            audit(
                "station.alert.received",
                target: "alerts/\(id)",
                details: ["sequence": .number(Double(frame.sequence))]
            )
        case .revocationsChanged(let ids):
            revokedOnStream = Set(ids)
            // An officer whose pass was revoked is signed out at once.
            for (key, session) in sessions where revokedOnStream.contains(session.officer.id) {
                sessions[key] = nil
            }
        case .acknowledged(let alert, let ack):
            alerts[alert]?.ackIdentifier = ack
            acknowledgementPasses[alert] = nil
        case .problem(let message):
            refusal = message
        case .connectionLost(let reason, _):
            if case .offline = link { return }
            link = .offline(since: now(), reason: reason)
        case .closed:
            if case .offline = link { return }
            link = .offline(since: now(), reason: "the server closed the stream")
        }
    }

    /// The server refused the stream itself (a token, a checkpoint): said on the page until it accepts.
    func refused(_ reason: String) {
        refusal = reason
        if case .offline = link { return }
        link = .offline(since: now(), reason: reason)
    }

    // MARK: Alerts at the barrier

    /// The page put an alert on the screen: it counts as received.
    func shown(_ id: String, session: String?) throws(StationProblem) {
        guard var alert = alerts[id] else { throw .notFound("no alert '\(id)' at this station") }
        guard alert.stage == .new else { return }
        alert.stage = .shown
        alert.shownAt = now()
        alerts[id] = alert
        client?.confirm(sequence: alert.sequence)
        let who = session.flatMap { sessions[$0]?.label } ?? "the station's screen"
        audit("station.alert.shown", actor: who, target: "alerts/\(id)")
    }

    /// An officer pressed "read and understood".
    func acknowledge(_ id: String, session: String?) throws(StationProblem) -> StationAlert {
        let officer = try signedIn(session)
        guard var alert = alerts[id] else { throw .notFound("no alert '\(id)' at this station") }
        if alert.stage == .acknowledged { return alert }
        if alert.stage == .new {
            alert.shownAt = now()
            client?.confirm(sequence: alert.sequence)
        }
        alert.stage = .acknowledged
        alert.acknowledgedBy = officer.label
        alert.acknowledgedAt = now()
        alerts[id] = alert
        audit("station.alert.acknowledge", actor: officer.label, target: "alerts/\(id)")
        acknowledgementPasses[id] = officer.pass
        sendAck(id)
        return alert
    }

    private func sendAck(_ id: String) {
        guard let alert = alerts[id], let by = alert.acknowledgedBy else { return }
        let pass = acknowledgementPasses[id]
        client?.acknowledge(alert: id, note: "read and understood at the station by \(by)", pass: pass)
    }

    // MARK: Officers

    /// Signs an officer in with their pass, checked against the copy's keys and revocations.
    func signIn(pass text: String) throws(StationProblem) -> (key: String, officer: String) {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .invalid(field: "pass", "paste or scan your pass to sign in") }
        let result = verify(token)
        guard result.isValid, let officer = result.credential else {
            audit("station.sign_in.refused", target: result.credential.map { "credentials/\($0.id)" })
            throw .invalid(field: "pass", Self.refusal(result))
        }
        guard configuration.passRoles.contains(officer.role) else {
            throw .invalid(
                field: "pass",
                "a \(officer.role) pass does not sign in at a checkpoint station (\(configuration.passRoles.sorted().joined(separator: ", ")))"
            )
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let key = Hex.encode(bytes)
        let session = Session(officer: officer, pass: token, signedInAt: now())
        sessions[key] = session
        audit("station.sign_in", actor: session.label, target: "credentials/\(officer.id)")
        return (key, session.label)
    }

    func signOut(_ key: String?) {
        guard let key, let session = sessions.removeValue(forKey: key) else { return }
        audit("station.sign_out", actor: session.label)
    }

    /// The officer of a session, checked again: a pass revoked or run out since sign-in no longer holds.
    func signedIn(_ key: String?) throws(StationProblem) -> Session {
        guard let key, let session = sessions[key] else { throw .signInNeeded }
        let result = verify(session.pass)
        guard result.isValid else {
            sessions[key] = nil
            throw .invalid(field: "pass", "signed out: " + Self.refusal(result))
        }
        return session
    }

    /// A pass checked against the copy's keys and revocations and those the stream brought.
    func verify(_ token: String) -> CredentialVerification {
        let keys = ((try? copy.credentialKeys()) ?? []).compactMap(CredentialPublicKey.init(hex:))
        var revoked = (try? copy.revocations()) ?? [:]
        for id in revokedOnStream where revoked[id] == nil { revoked[id] = .some(nil) }
        return CredentialVerifier(keys: keys, revoked: revoked).verify(token, at: now())
    }

    static func refusal(_ result: CredentialVerification) -> String {
        switch result.status {
        case .malformed: "this is not a pass: \(result.message)"
        case .unknownKey, .badSignature: "this pass is FORGED or altered: \(result.message)"
        case .revoked: "this pass is REVOKED" + (result.revocationReason.map { ": \($0)" } ?? "")
        case .notYetValid: "this pass is not valid yet: \(result.message)"
        case .expired: "this pass has EXPIRED: \(result.message)"
        case .valid: result.message
        }
    }

    // MARK: Audit

    func audit(_ action: String, actor: String = "station", target: String? = nil, details: [String: JSONValue] = [:]) {
        _ = try? copy.appendAudit(
            AuditRecord.Draft(actor: actor, action: action, target: target, details: .object(details)),
            at: now()
        )
    }
}

public import CordonCore
import CordonDocuments
public import CordonStore
public import Foundation
public import Logging

/// Composes alerts from incidents, keeps every recipient's durable outbox, and delivers over the
/// recipients' WebSocket connections.
///
/// The store is the durable truth: an alert, its CAP message and one ``Delivery`` per recipient are
/// written in one transaction before anything is sent, and every confirmation, acknowledgement and
/// escalation is written before it is reported. The pure ``DeliveryTracker`` decides what to send,
/// re-send and escalate; this actor feeds it events, carries out its actions and keeps an in-memory
/// mirror of the deliveries for fast answers. On start the tracker is rebuilt from the stored
/// deliveries, so a restart loses nothing.
public actor AlertCenter<S: Store> {
    /// A frame for a connected client or operations listener: one JSON text message.
    public typealias Frame = String

    private struct Connection {
        let id: UUID
        let continuation: AsyncStream<Frame>.Continuation
    }

    /// Writes waiting for the next group commit, with whoever waits for them.
    private struct PendingWrite {
        let writes: [DocumentWrite]
        let actor: String
        let role: Role?
        let change: [String: JSONValue]
        /// Who waits for the commit; nil when nobody is answered (a confirmation of receipt).
        let continuation: CheckedContinuation<Void, any Error>?
    }

    private struct Composed {
        let alert: Alert
        let message: AlertMessage
        /// The alert's frame after its per-recipient fields: `"alert": {…}, "cap": {…}}`, encoded once
        /// however many recipients it goes to.
        let frameTail: String
        /// The CAP message, read once, for the acknowledgements that refer to it.
        let cap: CAPMessage?
    }

    let store: S
    let configuration: ServerConfiguration
    let logger: Logger
    private var tracker: DeliveryTracker<String>
    private var deliveries: [String: Delivery] = [:]
    /// Delivery ids by alert, and by alert and recipient: answers without scanning every outbox.
    private var deliveriesByAlert: [AlertID: [String]] = [:]
    private var deliveryByAlertAndRecipient: [String: String] = [:]
    private var pending: [PendingWrite] = []
    private var isCommitting = false
    private var connections: [String: Connection] = [:]
    private var listeners: [UUID: AsyncStream<Frame>.Continuation] = [:]
    private var composed: [AlertID: Composed] = [:]
    private var isComposing = false
    private var composeWaiters: [CheckedContinuation<Void, Never>] = []
    private var loop: Task<Void, Never>?
    /// The revoked credential ids, and the same as a JSON array, sent with every alert frame to a
    /// checkpoint.
    private var revokedCredentialIDs: Set<String> = []
    private var revokedCredentials = "[]"

    /// Creates the center; ``start()`` restores the outboxes and starts the timer.
    public init(store: S, configuration: ServerConfiguration, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.tracker = DeliveryTracker(configuration: configuration.delivery)
    }

    // MARK: Life

    /// Rebuilds every outbox from the store and starts re-sending and escalating.
    public func start() async throws {
        let stored = try await store.allEntities(Delivery.self)
        let ordered = stored.sorted {
            ($0.queuedAt, $0.recipient, $0.sequence) < ($1.queuedAt, $1.recipient, $1.sequence)
        }
        for delivery in ordered {
            _ = tracker.event(.enqueued(delivery.alert, recipients: [delivery.recipient], at: delivery.queuedAt))
            index(delivery)
        }
        let byRecipient = Dictionary(grouping: stored, by: \.recipient)
        let now = configuration.now()
        for (recipient, items) in byRecipient {
            let seen = items.filter { $0.state != .queued }.map(\.sequence).max() ?? 0
            guard seen > 0 else { continue }
            _ = tracker.event(.reconnected(recipient, lastSeenSequence: seen, at: now))
            _ = tracker.event(.disconnected(recipient, at: now))
            for item in items where item.state == .acknowledged {
                _ = tracker.event(.acknowledged(recipient, alert: item.alert, at: item.acknowledgedAt ?? now))
            }
        }
        loop?.cancel()
        loop = Task { [weak self] in await self?.runTimer() }
    }

    /// Stops the timer and closes every connection.
    public func stop() {
        loop?.cancel()
        loop = nil
        for connection in connections.values { connection.continuation.finish() }
        connections.removeAll()
        for listener in listeners.values { listener.finish() }
        listeners.removeAll()
    }

    private func runTimer() async {
        while !Task.isCancelled {
            let now = configuration.now()
            // Wake at the tracker's next deadline, and at least once a second of server time.
            let wake = min(tracker.nextDeadline ?? .distantFuture, now.addingTimeInterval(1))
            do { try await configuration.sleep(until: wake) } catch { return }
            await perform(tracker.event(.tick(at: configuration.now())))
        }
    }

    // MARK: Composing

    /// What the commander asks for.
    public struct Composition: Sendable {
        public var kind: Alert.Kind
        public var headline: String?
        public var targeting: AlertTargeting
        public var radiusKM: Double

        public init(kind: Alert.Kind, headline: String? = nil, targeting: AlertTargeting, radiusKM: Double = 50) {
            self.kind = kind
            self.headline = headline
            self.targeting = targeting
            self.radiusKM = radiusKM
        }
    }

    /// An alert as the API shows it: the alert, its CAP identifier and where it stands per recipient.
    public struct Summary: Sendable, Encodable {
        public let alert: Alert
        public let capIdentifier: String
        public let messageType: String
        public let references: [String]
        public let recipients: [String]
        public let tally: [String: Int]

        enum CodingKeys: String, CodingKey {
            case alert
            case capIdentifier = "cap_identifier"
            case messageType = "message_type"
            case references, recipients, tally
        }
    }

    /// Composes an alert from an incident and puts it in every target's outbox.
    ///
    /// A be-on-the-lookout goes to the checkpoints the targeting chooses, nearest first, and names the
    /// incident's fugitives and vehicles (the incident must be confirmed); a lockdown goes to the
    /// posts of the incident's facility.
    public func compose(
        _ composition: Composition,
        from incidentID: IncidentID,
        by identity: Identity,
        address: String?
    ) async throws -> Summary {
        await lock()
        defer { unlock() }
        guard let incident = try await store.entity(Incident.self, id: incidentID.rawValue)?.entity else {
            throw Problem.notFound("no incidents '\(incidentID)'")
        }
        guard let facilityID = incident.facility,
            let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity
        else {
            throw Problem.validation(
                ValidationFailure(
                    path: "incident",
                    reason: .notAllowed,
                    message: "incident '\(incidentID)' names no facility to send the alert from"
                )
            )
        }
        let recipients: [String]
        var targets: [CheckpointID] = []
        switch composition.kind {
        case .beOnLookout:
            guard incident.status == .confirmed else {
                throw Problem.conflict(
                    "incident '\(incidentID)' is \(incident.status.rawValue): confirm it (declare the escape) first"
                )
            }
            let checkpoints = try await store.allEntities(Checkpoint.self)
            targets = composition.targeting.select(from: checkpoints, around: facility.location).map(\.checkpoint.id)
            recipients = targets.map { "checkpoints/\($0.rawValue)" }
        case .lockdown:
            recipients = facility.posts.map { "posts/\($0.id.rawValue)" }
        case .update, .cancel:
            throw Problem.validation(
                ValidationFailure(
                    path: "kind",
                    reason: .notAllowed,
                    message: "updates and cancellations are made from the alert they change"
                )
            )
        }
        guard !recipients.isEmpty else {
            throw Problem.validation(
                ValidationFailure(path: "targets", reason: .empty, message: "the targeting chooses no recipient")
            )
        }
        let now = configuration.now()
        let alert = try Alert(
            id: try Self.newAlertID(),
            incident: incident.id,
            kind: composition.kind,
            sentAt: now,
            headline: composition.headline ?? Self.defaultHeadline(composition.kind, incident: incident),
            persons: composition.kind == .beOnLookout ? incident.persons : [],
            vehicles: composition.kind == .beOnLookout ? incident.vehicles : [],
            checkpoints: targets
        )
        let cap = try await makeCAP(
            alert,
            incident: incident,
            facility: facility,
            earlier: [],
            radiusKM: composition.radiusKM
        )
        return try await record(
            alert,
            cap: cap,
            recipients: recipients,
            identity: identity,
            address: address,
            action: "alerts.compose"
        )
    }

    /// Sends an update or a cancellation of an alert to the same recipients, referring to it.
    public func follow(
        _ alertID: AlertID,
        kind: Alert.Kind,
        headline: String?,
        by identity: Identity,
        address: String?
    ) async throws -> Summary {
        await lock()
        defer { unlock() }
        guard let original = try await store.entity(Alert.self, id: alertID.rawValue)?.entity else {
            throw Problem.notFound("no alerts '\(alertID)'")
        }
        guard original.kind != .cancel else { throw Problem.conflict("alert '\(alertID)' is a cancellation") }
        guard let incident = try await store.entity(Incident.self, id: original.incident.rawValue)?.entity,
            let facilityID = incident.facility,
            let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity
        else {
            throw Problem.conflict("alert '\(alertID)' has no incident with a facility any more")
        }
        guard let earlier = try await store.entity(AlertMessage.self, id: Self.capIdentifier(alertID))?.entity else {
            throw Problem.conflict("alert '\(alertID)' was not sent by this server and cannot be followed")
        }
        let recipients = deliveries(of: alertID).map(\.recipient)
        guard !recipients.isEmpty else { throw Problem.conflict("alert '\(alertID)' went to nobody") }
        let now = configuration.now()
        let alert = try Alert(
            id: try Self.newAlertID(),
            incident: original.incident,
            kind: kind,
            sentAt: now,
            headline: headline ?? (kind == .cancel ? "Cancelled: \(original.headline)" : original.headline),
            persons: kind == .update ? incident.persons : [],
            vehicles: kind == .update ? incident.vehicles : [],
            checkpoints: original.checkpoints
        )
        let earlierMessage = try CAPMessage(xml: earlier.xml)
        let cap = try await makeCAP(
            alert,
            incident: incident,
            facility: facility,
            earlier: [earlierMessage],
            radiusKM: 50
        )
        return try await record(
            alert,
            cap: cap,
            recipients: recipients,
            identity: identity,
            address: address,
            action: kind == .cancel ? "alerts.cancel" : "alerts.update"
        )
    }

    private func makeCAP(
        _ alert: Alert,
        incident: Incident,
        facility: Facility,
        earlier: [CAPMessage],
        radiusKM: Double
    ) async throws -> CAPMessage {
        var fugitives: [Person] = []
        for id in alert.persons {
            guard let person = try await store.entity(Person.self, id: id.rawValue)?.entity else {
                throw Problem.conflict("incident '\(incident.id)' names person '\(id)', who is not on the list")
            }
            fugitives.append(person)
        }
        var vehicles: [Vehicle] = []
        for id in alert.vehicles {
            guard let vehicle = try await store.entity(Vehicle.self, id: id.rawValue)?.entity else {
                throw Problem.conflict("incident '\(incident.id)' names vehicle '\(id)', which is not on the list")
            }
            vehicles.append(vehicle)
        }
        let origin = CAPMessage.Origin(
            sender: configuration.alertSender,
            senderName: "Cordon duty officer",
            zone: configuration.zone,
            status: CAPMessage.Status(rawValue: configuration.alertStatus) ?? .actual
        )
        do {
            return try CAPMessage.make(
                from: alert,
                incident: incident,
                facility: facility,
                fugitives: fugitives,
                vehicles: vehicles,
                referencing: earlier,
                radiusKM: radiusKM,
                origin: origin
            )
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure)
        }
    }

    private func record(
        _ alert: Alert,
        cap: CAPMessage,
        recipients: [String],
        identity: Identity,
        address: String?,
        action: String
    ) async throws -> Summary {
        let now = alert.sentAt
        let message = AlertMessage(
            id: cap.identifier,
            alert: alert.id,
            messageType: cap.messageType.rawValue,
            sent: alert.sentAt,
            references: cap.references.map(\.identifier),
            sender: cap.sender,
            headline: alert.headline,
            xml: cap.xmlDocument()
        )
        var planned: [Delivery] = []
        for recipient in recipients {
            planned.append(
                Delivery(
                    recipient: recipient,
                    sequence: tracker.lastSequence(of: recipient) + 1,
                    alert: alert.id,
                    queuedAt: now
                )
            )
        }
        var writes = [try S.write(alert, operation: .create), try S.write(message, operation: .create)]
        for delivery in planned { writes.append(try S.write(delivery, operation: .create)) }
        _ = try await store.apply(
            writes,
            audit: .init(
                actor: identity.username,
                role: identity.role,
                action: action,
                target: "alerts/\(alert.id.rawValue)",
                address: address,
                details: .object([
                    "incident": .string(alert.incident.rawValue),
                    "kind": .string(alert.kind.rawValue),
                    "cap_identifier": .string(message.id),
                    "references": .array(message.references.map(JSONValue.string)),
                    "recipients": .number(Double(recipients.count)),
                ])
            )
        )
        for delivery in planned { index(delivery) }
        try remember(alert, message: message, cap: cap)
        await perform(tracker.event(.enqueued(alert.id, recipients: recipients, at: now)))
        publish([
            "type": .string("alert_sent"), "alert": .string(alert.id.rawValue),
            "recipients": .number(Double(recipients.count)),
        ])
        return summary(alert, message: message)
    }

    /// Keeps what sending and acknowledging an alert need; `cap` is the message when it is at hand,
    /// read back from its XML otherwise.
    private func remember(_ alert: Alert, message: AlertMessage, cap: CAPMessage? = nil) throws {
        let data = try JSONEncoder.cordon().encode(alert)
        var json = try JSONDecoder().decode(JSONValue.self, from: data)
        // A recipient needs the alert, not the list of every other recipient.
        if case .object(var object) = json {
            object["checkpoints"] = nil
            json = .object(object)
        }
        let body = Self.frame([
            "alert": json,
            "cap": .object([
                "identifier": .string(message.id),
                "message_type": .string(message.messageType),
                "references": .array(message.references.map(JSONValue.string)),
                "xml": .string(message.xml),
            ]),
        ])
        composed[alert.id] = Composed(
            alert: alert,
            message: message,
            frameTail: String(body.dropFirst()),
            cap: cap ?? (try? CAPMessage(xml: message.xml))
        )
    }

    private func summary(_ alert: Alert, message: AlertMessage) -> Summary {
        Summary(
            alert: alert,
            capIdentifier: message.id,
            messageType: message.messageType,
            references: message.references,
            recipients: deliveries(of: alert.id).map(\.recipient),
            tally: tally(of: alert.id)
        )
    }

    private func tally(of alertID: AlertID) -> [String: Int] {
        let mine = deliveries(of: alertID)
        var tally = Dictionary(uniqueKeysWithValues: Delivery.State.allCases.map { ($0.rawValue, 0) })
        for delivery in mine { tally[delivery.state.rawValue, default: 0] += 1 }
        tally["escalated"] = mine.filter { $0.escalatedAt != nil }.count
        return tally
    }

    /// An alert with its tally, or nil when the store has none.
    public func summary(of alertID: AlertID) async throws -> Summary? {
        guard let alert = try await store.entity(Alert.self, id: alertID.rawValue)?.entity else { return nil }
        let message = try await store.entity(AlertMessage.self, id: Self.capIdentifier(alertID))?.entity
        return Summary(
            alert: alert,
            capIdentifier: message?.id ?? Self.capIdentifier(alertID),
            messageType: message?.messageType ?? "",
            references: message?.references ?? [],
            recipients: deliveries(of: alertID).map(\.recipient),
            tally: tally(of: alertID)
        )
    }

    /// Every recipient's delivery of an alert, in recipient order.
    public func deliveries(of alertID: AlertID) -> [Delivery] {
        (deliveriesByAlert[alertID] ?? []).compactMap { deliveries[$0] }.sorted { $0.recipient < $1.recipient }
    }

    // MARK: Connections

    /// Errors a client's frame can earn; the connection stays open.
    public struct FrameError: Error, Sendable {
        public let message: String
        public let field: String?
    }

    /// Connects a recipient that has seen everything up to `lastSeen`; returns the stream of frames to
    /// send it. A second connection of the same recipient replaces the first.
    public func connect(recipient: String, lastSeen: Int) throws -> (UUID, AsyncStream<Frame>) {
        let last = tracker.lastSequence(of: recipient)
        guard (0...last).contains(lastSeen) else {
            throw FrameError(
                message: "last_sequence \(lastSeen) is beyond the last one issued to \(recipient), \(last)",
                field: "last_sequence"
            )
        }
        let (stream, continuation) = AsyncStream<Frame>.makeStream(bufferingPolicy: .unbounded)
        let id = UUID()
        connections[recipient]?.continuation.finish()
        connections[recipient] = Connection(id: id, continuation: continuation)
        continuation.yield(
            Self.frame([
                "type": .string("welcome"), "recipient": .string(recipient), "last_sequence": .number(Double(last)),
            ])
        )
        let now = configuration.now()
        // Whatever the client saw before it counts as delivered.
        for sequence in stride(from: 1, through: lastSeen, by: 1) {
            let key = Delivery.id(recipient: recipient, sequence: sequence)
            guard var delivery = deliveries[key], delivery.state == .queued else { continue }
            delivery.state = .delivered
            delivery.deliveredAt = now
            deliveries[key] = delivery
            schedule(
                [try S.write(delivery, operation: .upsert)],
                actor: recipient,
                role: nil,
                change: [
                    "action": .string("alerts.delivered"), "alert": .string(delivery.alert.rawValue),
                    "recipient": .string(recipient), "sequence": .number(Double(sequence)),
                ]
            )
        }
        let action = tracker.event(.reconnected(recipient, lastSeenSequence: lastSeen, at: now))
        Task { await self.perform(action) }
        return (id, stream)
    }

    /// Forgets a connection when it closes.
    public func disconnect(recipient: String, id: UUID) {
        guard connections[recipient]?.id == id else { return }
        connections[recipient]?.continuation.finish()
        connections[recipient] = nil
        _ = tracker.event(.disconnected(recipient, at: configuration.now()))
    }

    /// A client confirms it received a sequence number.
    public func received(recipient: String, sequence: Int) async throws {
        let action = tracker.event(.delivered(recipient, sequence: sequence, at: configuration.now()))
        if let refusal = action.refusal { throw FrameError(message: refusal, field: "sequence") }
        let key = Delivery.id(recipient: recipient, sequence: sequence)
        guard var delivery = deliveries[key], delivery.state == .queued else { return }
        delivery.state = .delivered
        delivery.deliveredAt = configuration.now()
        deliveries[key] = delivery
        // Nobody is answered for a confirmation: it goes into the next group commit without waiting,
        // so the client's next frame (its acknowledgement) is read at once.
        schedule(
            [try S.write(delivery, operation: .upsert)],
            actor: recipient,
            role: nil,
            change: [
                "action": .string("alerts.delivered"), "alert": .string(delivery.alert.rawValue),
                "recipient": .string(delivery.recipient), "sequence": .number(Double(delivery.sequence)),
            ]
        )
        publish([
            "type": .string("delivered"), "alert": .string(delivery.alert.rawValue),
            "recipient": .string(delivery.recipient),
        ])
    }

    /// A recipient acknowledges an alert; records a CAP `Ack` referring to it.
    ///
    /// - Returns: the acknowledgement's CAP identifier.
    public func acknowledge(
        recipient: String,
        alert alertID: AlertID,
        note: String?,
        by identity: Identity
    ) async throws -> String {
        guard let key = deliveryByAlertAndRecipient["\(alertID.rawValue)|\(recipient)"], let entry = deliveries[key],
            entry.sentAt != nil || entry.state != .queued
        else {
            throw FrameError(message: "\(recipient) was never sent alert '\(alertID)'", field: "alert")
        }
        if entry.state == .acknowledged, let ack = entry.ackIdentifier { return ack }
        let action = tracker.event(.acknowledged(recipient, alert: alertID, at: configuration.now()))
        if let refusal = action.refusal { throw FrameError(message: refusal, field: "alert") }
        let now = configuration.now()
        var delivery = entry
        let ackIdentifier = "cordon-ack-\(alertID.rawValue)-\(recipient.replacingOccurrences(of: "/", with: "-"))"
        var writes: [DocumentWrite] = []
        if composed[alertID] == nil { await load(alertID) }
        if let original = composed[alertID]?.cap {
            let ack = try CAPMessage.makeAck(
                of: original,
                sender: "\(recipient.replacingOccurrences(of: "/", with: "."))@cordon.example",
                identifier: ackIdentifier,
                at: now,
                in: configuration.zone,
                note: "received and read by \(identity.username)" + (note.map { ": \($0)" } ?? "")
            )
            let record = AlertMessage(
                id: ack.identifier,
                alert: alertID,
                messageType: ack.messageType.rawValue,
                sent: now,
                references: ack.references.map(\.identifier),
                sender: ack.sender,
                headline: "Acknowledged by \(recipient)",
                xml: ack.xmlDocument()
            )
            writes.append(try S.write(record, operation: .upsert))
        }
        delivery.state = .acknowledged
        delivery.deliveredAt = delivery.deliveredAt ?? now
        delivery.acknowledgedAt = now
        delivery.acknowledgedBy = identity.username
        delivery.ackIdentifier = ackIdentifier
        writes.append(try S.write(delivery, operation: .upsert))
        // In memory first, so that a confirmation arriving meanwhile cannot write an older state after it.
        deliveries[delivery.id] = delivery
        try await commit(
            writes,
            actor: identity.username,
            role: identity.role,
            change: [
                "action": .string("alerts.acknowledge"), "alert": .string(alertID.rawValue),
                "recipient": .string(recipient), "ack_identifier": .string(ackIdentifier),
            ]
        )
        publish([
            "type": .string("acknowledged"), "alert": .string(alertID.rawValue), "recipient": .string(recipient),
            "by": .string(identity.username),
        ])
        return ackIdentifier
    }

    /// Listens to what headquarters must see at once: incidents raised and escalated, alerts sent,
    /// acknowledgements, silent recipients escalated.
    public func listen() -> (UUID, AsyncStream<Frame>) {
        let (stream, continuation) = AsyncStream<Frame>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        let id = UUID()
        listeners[id] = continuation
        return (id, stream)
    }

    /// Stops listening.
    public func stopListening(_ id: UUID) {
        listeners[id]?.finish()
        listeners[id] = nil
    }

    /// Sends an event to every operations listener.
    public func publish(_ event: [String: JSONValue]) {
        var event = event
        event["at"] = .string(Instant.format(configuration.now(), in: configuration.zone))
        let frame = Self.frame(event)
        for listener in listeners.values { listener.yield(frame) }
    }

    // MARK: Revoked credentials

    /// Adds to the revoked credential ids that go out with the next alert to each checkpoint. A
    /// revocation is never withdrawn, so ids are only ever added: a list read before a concurrent
    /// revocation cannot take that revocation back.
    public func addRevokedCredentials(_ ids: some Sequence<String>) {
        let count = revokedCredentialIDs.count
        revokedCredentialIDs.formUnion(ids)
        guard revokedCredentialIDs.count != count else { return }
        let sorted = revokedCredentialIDs.sorted()
        let data = try? JSONEncoder.cordon().encode(JSONValue.array(sorted.map(JSONValue.string)))
        revokedCredentials = data.map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    // MARK: Carrying out the tracker's actions

    private func perform(_ action: DeliveryTracker<String>.Action) async {
        let now = configuration.now()
        for message in action.send {
            await push(recipient: message.recipient, sequence: message.sequence, alert: message.alert)
        }
        for escalation in action.escalate {
            let key = deliveryByAlertAndRecipient["\(escalation.alert.rawValue)|\(escalation.recipient)"]
            guard let key, var delivery = deliveries[key], delivery.escalatedAt == nil else { continue }
            delivery.escalatedAt = now
            deliveries[key] = delivery
            do {
                try await commit(delivery, action: "alerts.escalate", actor: "system", role: nil)
            } catch {
                logger.error("could not record an escalation", metadata: ["error": "\(error)"])
            }
            publish([
                "type": .string("escalation"), "alert": .string(escalation.alert.rawValue),
                "recipient": .string(escalation.recipient), "state": .string(escalation.state.rawValue),
                "since": .string(Instant.format(escalation.since, in: configuration.zone)),
            ])
            logger.warning(
                "recipient silent, escalated to the commander",
                metadata: ["alert": "\(escalation.alert)", "recipient": "\(escalation.recipient)"]
            )
        }
    }

    /// Writes an alert to a connected recipient's stream; false when it is not connected.
    @discardableResult
    private func push(recipient: String, sequence: Int, alert: AlertID) async -> Bool {
        guard let connection = connections[recipient] else { return false }
        let key = Delivery.id(recipient: recipient, sequence: sequence)
        guard var delivery = deliveries[key] else { return false }
        if composed[alert] == nil { await load(alert) }
        guard let content = composed[alert] else { return false }
        delivery.sends += 1
        delivery.sentAt = delivery.sentAt ?? configuration.now()
        deliveries[key] = delivery
        // Checkpoints also get the current list of revoked credentials, for checking officers offline.
        let revocations = recipient.hasPrefix("checkpoints/") ? "\"revoked_credentials\":\(revokedCredentials)," : ""
        connection.continuation.yield(
            "{\"type\":\"alert\",\"sequence\":\(sequence),\"resend\":\(delivery.sends > 1)," + revocations
                + content.frameTail
        )
        return true
    }

    /// What a re-send did for one recipient.
    public struct Resent: Sendable, Encodable {
        public let recipient: String
        /// `sent` (written to its open stream again) or `waiting` (not connected: it gets the alert
        /// as soon as it connects, as always).
        public let outcome: String
    }

    /// Sends an alert again, at once, to every recipient that has not acknowledged it (or to those
    /// named), and audits the request. Recipients that are not connected cannot be reached now; they
    /// receive the alert when they connect.
    ///
    /// - Throws: ``FrameError`` naming `recipients` for a recipient the alert was not sent to.
    public func resend(
        _ alertID: AlertID,
        to recipients: Set<String>?,
        by identity: Identity,
        address: String?
    ) async throws -> [Resent] {
        let open = deliveries(of: alertID).filter { $0.state != .acknowledged }
        if let recipients {
            let known = Set(deliveries(of: alertID).map(\.recipient))
            if let unknown = recipients.subtracting(known).sorted().first {
                throw FrameError(message: "alert \(alertID) was not sent to '\(unknown)'", field: "recipients")
            }
        }
        var results: [Resent] = []
        for delivery in open where recipients?.contains(delivery.recipient) ?? true {
            let sent = await push(recipient: delivery.recipient, sequence: delivery.sequence, alert: alertID)
            results.append(Resent(recipient: delivery.recipient, outcome: sent ? "sent" : "waiting"))
        }
        _ = try await store.appendAudit(
            .init(
                actor: identity.username,
                role: identity.role,
                action: "alerts.resend",
                target: "alerts/\(alertID.rawValue)",
                address: address,
                details: .object([
                    "sent": .array(results.filter { $0.outcome == "sent" }.map { .string($0.recipient) }),
                    "waiting": .array(results.filter { $0.outcome == "waiting" }.map { .string($0.recipient) }),
                ])
            )
        )
        return results
    }

    private func load(_ alertID: AlertID) async {
        guard let alert = try? await store.entity(Alert.self, id: alertID.rawValue)?.entity,
            let message = try? await store.entity(AlertMessage.self, id: Self.capIdentifier(alertID))?.entity
        else { return }
        try? remember(alert, message: message)
    }

    private func index(_ delivery: Delivery) {
        if deliveries[delivery.id] == nil { deliveriesByAlert[delivery.alert, default: []].append(delivery.id) }
        deliveries[delivery.id] = delivery
        deliveryByAlertAndRecipient["\(delivery.alert.rawValue)|\(delivery.recipient)"] = delivery.id
    }

    private func commit(_ delivery: Delivery, action: String, actor: String, role: Role?) async throws {
        try await commit(
            [try S.write(delivery, operation: .upsert)],
            actor: actor,
            role: role,
            change: [
                "action": .string(action), "alert": .string(delivery.alert.rawValue),
                "recipient": .string(delivery.recipient), "sequence": .number(Double(delivery.sequence)),
            ]
        )
        publish([
            "type": .string("delivered"), "alert": .string(delivery.alert.rawValue),
            "recipient": .string(delivery.recipient),
        ])
    }

    /// Writes in group commits: whatever arrives while one transaction commits goes into the next,
    /// with one audit record listing every change. Returns once the change is on disk.
    private func commit(
        _ writes: [DocumentWrite],
        actor: String,
        role: Role?,
        change: [String: JSONValue]
    ) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append(
                PendingWrite(writes: writes, actor: actor, role: role, change: change, continuation: continuation)
            )
            if !isCommitting {
                isCommitting = true
                Task { await self.commitPending() }
            }
        }
    }

    /// Puts writes in the next group commit without waiting for it.
    private func schedule(_ writes: [DocumentWrite], actor: String, role: Role?, change: [String: JSONValue]) {
        pending.append(PendingWrite(writes: writes, actor: actor, role: role, change: change, continuation: nil))
        if !isCommitting {
            isCommitting = true
            Task { await self.commitPending() }
        }
    }

    private func commitPending() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll()
            let actors = Set(batch.map(\.actor))
            let actions = Set(
                batch.compactMap { item -> String? in
                    if case .string(let action)? = item.change["action"] { return action }
                    return nil
                }
            )
            let alerts = Set(
                batch.compactMap { item -> String? in
                    if case .string(let alert)? = item.change["alert"] { return alert }
                    return nil
                }
            )
            do {
                _ = try await store.apply(
                    batch.flatMap(\.writes),
                    audit: .init(
                        actor: actors.count == 1 ? batch[0].actor : "system",
                        role: actors.count == 1 ? batch[0].role : nil,
                        action: actions.count == 1 ? actions.first! : "alerts.deliveries",
                        target: alerts.count == 1 ? "alerts/\(alerts.first!)" : "alerts",
                        details: .object([
                            "changes": .array(
                                batch.map { item in
                                    var change = item.change
                                    change["by"] = .string(item.actor)
                                    return .object(change)
                                }
                            )
                        ])
                    )
                )
                for item in batch { item.continuation?.resume() }
            } catch {
                logger.error(
                    "could not record deliveries",
                    metadata: ["error": "\(error)", "changes": "\(batch.count)"]
                )
                for item in batch { item.continuation?.resume(throwing: error) }
            }
        }
        isCommitting = false
    }

    // MARK: Helpers

    private func lock() async {
        if !isComposing {
            isComposing = true
            return
        }
        await withCheckedContinuation { composeWaiters.append($0) }
    }

    private func unlock() {
        if composeWaiters.isEmpty {
            isComposing = false
        } else {
            composeWaiters.removeFirst().resume()
        }
    }

    /// The CAP identifier of an alert's message.
    public static func capIdentifier(_ alert: AlertID) -> String { AlertMessage.identifier(of: alert) }

    static func newAlertID() throws -> AlertID {
        try AlertID("al-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))
    }

    static func defaultHeadline(_ kind: Alert.Kind, incident: Incident) -> String {
        switch kind {
        case .lockdown: return "Lockdown: \(incident.summary.prefix(200))"
        case .beOnLookout:
            return "Be on the lookout: \(incident.persons.count) fugitives, \(incident.vehicles.count) vehicles"
        case .update: return "Update: \(incident.summary.prefix(200))"
        case .cancel: return "Cancelled"
        }
    }

    static func frame(_ object: [String: JSONValue]) -> Frame {
        let data = (try? JSONEncoder.cordon().encode(JSONValue.object(object))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

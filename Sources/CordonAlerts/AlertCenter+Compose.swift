public import CordonCore
import CordonDocuments
import CordonEvents
import CordonStore
import Foundation
import Logging

extension AlertCenter {

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
            throw OperationError.notFound("no incidents '\(incidentID)'")
        }
        guard let facilityID = incident.facility,
            let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity
        else {
            throw ValidationFailure(
                path: "incident",
                reason: .notAllowed,
                message: "incident '\(incidentID)' names no facility to send the alert from"
            )
        }
        let recipients: [String]
        var targets: [CheckpointID] = []
        switch composition.kind {
        case .beOnLookout:
            guard incident.status == .confirmed else {
                throw OperationError.conflict(
                    "incident '\(incidentID)' is \(incident.status.rawValue): confirm it (declare the escape) first"
                )
            }
            let checkpoints = try await allCheckpoints()
            targets = composition.targeting.select(from: checkpoints, around: facility.location).map(\.checkpoint.id)
            recipients = targets.map { "checkpoints/\($0.rawValue)" }
        case .lockdown:
            recipients = facility.posts.map { "posts/\($0.id.rawValue)" }
        case .update, .cancel:
            throw ValidationFailure(
                path: "kind",
                reason: .notAllowed,
                message: "updates and cancellations are made from the alert they change"
            )
        }
        guard !recipients.isEmpty else {
            throw ValidationFailure(path: "targets", reason: .empty, message: "the targeting chooses no recipient")
        }
        let now = clock.now()
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

    /// Every checkpoint, read again only when the collection changed since the last alert: a national
    /// list of thousands is decoded once, not for every alert.
    func allCheckpoints() async throws -> [Checkpoint] {
        let version = try await store.collectionVersion(kind: .checkpoint)
        if let cached = checkpointCache, cached.version == version { return cached.checkpoints }
        let checkpoints = try await store.allEntities(Checkpoint.self)
        checkpointCache = (version, checkpoints)
        return checkpoints
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
            throw OperationError.notFound("no alerts '\(alertID)'")
        }
        guard original.kind != .cancel else { throw OperationError.conflict("alert '\(alertID)' is a cancellation") }
        // Composed on another node, it may not have reached this one yet.
        try await catchUp(alert: alertID)
        guard let incident = try await store.entity(Incident.self, id: original.incident.rawValue)?.entity,
            let facilityID = incident.facility,
            let facility = try await store.entity(Facility.self, id: facilityID.rawValue)?.entity
        else {
            throw OperationError.conflict("alert '\(alertID)' has no incident with a facility any more")
        }
        guard let earlier = try await store.entity(AlertMessage.self, id: Self.capIdentifier(alertID))?.entity else {
            throw OperationError.conflict("alert '\(alertID)' was not sent by this server and cannot be followed")
        }
        let recipients = deliveries(of: alertID).map(\.recipient)
        guard !recipients.isEmpty else { throw OperationError.conflict("alert '\(alertID)' went to nobody") }
        let now = clock.now()
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

    func makeCAP(
        _ alert: Alert,
        incident: Incident,
        facility: Facility,
        earlier: [CAPMessage],
        radiusKM: Double
    ) async throws -> CAPMessage {
        var fugitives: [Person] = []
        for id in alert.persons {
            guard let person = try await store.entity(Person.self, id: id.rawValue)?.entity else {
                throw OperationError.conflict("incident '\(incident.id)' names person '\(id)', who is not on the list")
            }
            fugitives.append(person)
        }
        var vehicles: [Vehicle] = []
        for id in alert.vehicles {
            guard let vehicle = try await store.entity(Vehicle.self, id: id.rawValue)?.entity else {
                throw OperationError.conflict(
                    "incident '\(incident.id)' names vehicle '\(id)', which is not on the list"
                )
            }
            vehicles.append(vehicle)
        }
        let origin = CAPMessage.Origin(
            sender: configuration.sender,
            senderName: "Cordon duty officer",
            zone: configuration.zone,
            status: CAPMessage.Status(rawValue: configuration.status) ?? .actual
        )
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
    }

    func record(
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
        // Sequences are taken from this node's view of each outbox; when another node took one of them
        // meanwhile, the create fails as a conflict, the outboxes are read back, and the write is tried
        // again with the next free numbers.
        var attempt = 0
        var planned: [Delivery] = []
        while true {
            attempt += 1
            planned = recipients.map { recipient in
                Delivery(
                    recipient: recipient,
                    sequence: tracker.lastSequence(of: recipient) + 1,
                    alert: alert.id,
                    queuedAt: now
                )
            }
            var writes = [try S.write(alert, operation: .create), try S.write(message, operation: .create)]
            for delivery in planned { writes.append(try S.write(delivery, operation: .create)) }
            do {
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
                break
            } catch let error as StoreError where error.code == .conflict && attempt < 5 {
                logger.notice("an outbox moved on another node; composing again", metadata: ["attempt": "\(attempt)"])
                for recipient in recipients { try await catchUp(recipient) }
            }
        }
        for delivery in planned { index(delivery) }
        link.send(.outbox(alert: alert.id))
        remember(alert, message: message, cap: cap)
        await perform(tracker.event(.enqueued(alert.id, recipients: recipients, at: now)))
        await bus.publish(.alertSent(alert: alert.id.rawValue, recipients: recipients.count))
        return summary(alert, message: message)
    }

    /// Keeps what sending and acknowledging an alert need; `cap` is the message when it is at hand,
    /// read back from its XML otherwise.
    func remember(_ alert: Alert, message: AlertMessage, cap: CAPMessage? = nil) {
        let reference = CAPReference(
            identifier: message.id,
            messageType: message.messageType,
            references: message.references,
            xml: message.xml
        )
        composed[alert.id] = Composed(
            alert: alert,
            message: message,
            content: AlertContent(alert: alert, cap: reference),
            cap: cap ?? (try? CAPMessage(xml: message.xml))
        )
    }

    func summary(_ alert: Alert, message: AlertMessage) -> Summary {
        Summary(
            alert: alert,
            capIdentifier: message.id,
            messageType: message.messageType,
            references: message.references,
            recipients: deliveries(of: alert.id).map(\.recipient),
            tally: tally(of: alert.id)
        )
    }

    func tally(of alertID: AlertID) -> [String: Int] {
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

    // MARK: Helpers

    func lock() async {
        if !isComposing {
            isComposing = true
            return
        }
        await withCheckedContinuation { composeWaiters.append($0) }
    }

    func unlock() {
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
}

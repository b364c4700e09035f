public import CordonCore
import CordonDocuments
public import CordonEvents
import CordonStore
public import Foundation
import Logging

extension AlertCenter {
    // MARK: Revoked credentials

    /// Adds to the revoked credential ids that go out with the next alert to each checkpoint. A
    /// revocation is never withdrawn, so ids are only ever added: a list read before a concurrent
    /// revocation cannot take that revocation back.
    public func addRevokedCredentials(_ ids: some Sequence<String>) {
        let all = Set(revokedCredentials.ids).union(ids)
        guard all.count != revokedCredentials.ids.count else { return }
        revokedCredentials = RevocationList(all.sorted())
    }

    /// The audit log's latest signed tree head, which goes out with the next alert to each checkpoint.
    public func setTreeHead(_ head: SignedTreeHead) {
        if let current = treeHead?.head, current.treeSize > head.treeSize { return }
        treeHead = EncodedTreeHead(head)
    }

    // MARK: Carrying out the tracker's actions

    /// Carries out what the tracker decided; sends go to every device of a recipient, or to `only` one.
    func perform(_ action: DeliveryTracker<String>.Action, only device: UUID? = nil) async {
        let now = clock.now()
        for message in action.send {
            await push(recipient: message.recipient, sequence: message.sequence, alert: message.alert, only: device)
        }
        // Escalating happens once in a deployment: on the leader. The others' trackers note it and wait
        // for the leader's record; a node that begins to lead reads back which were recorded.
        for escalation in action.escalate where isLeading() {
            let key = deliveryByAlertAndRecipient["\(escalation.alert.rawValue)|\(escalation.recipient)"]
            guard let key, var delivery = deliveries[key], delivery.escalatedAt == nil else { continue }
            delivery.escalatedAt = now
            deliveries[key] = delivery
            do {
                try await commit(delivery, action: "alerts.escalate", actor: "system", role: nil)
            } catch {
                logger.error("could not record an escalation", metadata: ["error": "\(error)"])
            }
            await bus.publish(
                .escalated(
                    alert: escalation.alert.rawValue,
                    recipient: escalation.recipient,
                    state: escalation.state.rawValue,
                    since: escalation.since
                )
            )
            logger.warning(
                "recipient silent, escalated to the commander",
                metadata: ["alert": "\(escalation.alert)", "recipient": "\(escalation.recipient)"]
            )
        }
    }

    /// Writes an alert to every device connected for a recipient (or to `only` one); false when none is.
    @discardableResult
    func push(recipient: String, sequence: Int, alert: AlertID, only device: UUID? = nil) async -> Bool {
        guard connections[recipient]?.isEmpty == false else { return false }
        let key = Delivery.id(recipient: recipient, sequence: sequence)
        if composed[alert] == nil { await load(alert) }
        // Read after the wait: a confirmation or acknowledgement taken meanwhile is kept, and devices
        // that left meanwhile are not written to.
        guard let devices = connections[recipient], !devices.isEmpty, var delivery = deliveries[key],
            let content = composed[alert]
        else { return false }
        let targets = device.map { id in devices.filter { $0.key == id } } ?? devices
        guard !targets.isEmpty else { return false }
        delivery.sends += 1
        delivery.sentAt = delivery.sentAt ?? clock.now()
        deliveries[key] = delivery
        // Checkpoints also get the current list of revoked credentials, for checking officers offline.
        let frame = AlertFrame(
            sequence: sequence,
            resend: delivery.sends > 1,
            revocations: recipient.hasPrefix("checkpoints/") ? revokedCredentials : nil,
            treeHead: recipient.hasPrefix("checkpoints/") ? treeHead : nil,
            content: content.content
        )
        var behind: [UUID] = []
        for (id, connection) in targets {
            if case .dropped = connection.continuation.yield(.alert(frame)) { behind.append(id) }
        }
        for id in behind { await fellBehind(recipient, id) }
        return true
    }

    /// Puts a frame on one device's stream: an answer to what the device sent.
    public func reply(_ frame: ServerFrame, to recipient: String, connection id: UUID) async {
        guard let connection = connections[recipient]?[id] else { return }
        if case .dropped = connection.continuation.yield(frame) { await fellBehind(recipient, id) }
    }

    /// A device whose stream holds ``AlertCenterConfiguration/streamBacklog`` frames not yet written is
    /// dropped: its stream ends (the server then closes the connection), nothing it was sent is marked
    /// delivered by that, and it is sent everything after its last sequence when it reconnects.
    func fellBehind(_ recipient: String, _ id: UUID) async {
        logger.warning(
            "a device fell behind its alert stream and was dropped; it catches up when it reconnects",
            metadata: ["recipient": "\(recipient)", "backlog": "\(configuration.streamBacklog)"]
        )
        await disconnect(recipient: recipient, id: id)
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
        try await catchUp(alert: alertID)
        let open = deliveries(of: alertID).filter { $0.state != .acknowledged }
        if let recipients {
            let known = Set(deliveries(of: alertID).map(\.recipient))
            if let unknown = recipients.subtracting(known).sorted().first {
                throw FrameError("alert \(alertID) was not sent to '\(unknown)'", field: "recipients")
            }
        }
        // Recipients whose streams other nodes hold are sent it there.
        link.send(.resend(alert: alertID, recipients: recipients.map { $0.sorted() }))
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

    func load(_ alertID: AlertID) async {
        guard let alert = try? await store.entity(Alert.self, id: alertID.rawValue)?.entity,
            let message = try? await store.entity(AlertMessage.self, id: Self.capIdentifier(alertID))?.entity
        else { return }
        remember(alert, message: message)
    }

    func index(_ delivery: Delivery) {
        if deliveries[delivery.id] == nil { deliveriesByAlert[delivery.alert, default: []].append(delivery.id) }
        deliveries[delivery.id] = delivery
        deliveryByAlertAndRecipient["\(delivery.alert.rawValue)|\(delivery.recipient)"] = delivery.id
    }

    func commit(_ delivery: Delivery, action: String, actor: String, role: Role?) async throws {
        try await commit(
            [],
            deliveries: [delivery],
            actor: actor,
            role: role,
            change: [
                "action": .string(action), "alert": .string(delivery.alert.rawValue),
                "recipient": .string(delivery.recipient), "sequence": .number(Double(delivery.sequence)),
            ]
        )
        await bus.publish(.delivered(alert: delivery.alert.rawValue, recipient: delivery.recipient))
    }

    /// Writes in group commits: whatever arrives while one transaction commits goes into the next,
    /// with one audit record listing every change. Returns once the change is on disk. The commits are
    /// made by ``AlertDeliveryService`` while it runs; before it starts and after it stops, each change
    /// is committed at once, on its own.
    func commit(
        _ writes: [DocumentWrite],
        deliveries: [Delivery],
        actor: String,
        role: Role?,
        change: [String: JSONValue]
    ) async throws {
        let write = PendingWrite(writes: writes, actor: actor, role: role, change: change, deliveries: deliveries)
        guard isCommitterRunning else {
            try await apply([write])
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append(write.awaited(by: continuation))
            commitSignal.yield()
        }
    }

    /// Puts writes in the next group commit without waiting for it (committed at once, awaited, when no
    /// committer runs).
    func schedule(
        _ writes: [DocumentWrite],
        deliveries: [Delivery],
        actor: String,
        role: Role?,
        change: [String: JSONValue]
    ) async {
        let write = PendingWrite(writes: writes, actor: actor, role: role, change: change, deliveries: deliveries)
        guard isCommitterRunning else {
            try? await apply([write])
            return
        }
        pending.append(write)
        commitSignal.yield()
    }

    /// Commits everything pending, batch after batch, until nothing is left.
    func commitPending() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll()
            do {
                try await apply(batch)
                for item in batch { item.continuation?.resume() }
            } catch {
                for item in batch { item.continuation?.resume(throwing: error) }
            }
        }
    }

    /// Applies one batch in one transaction, with one audit record listing every change. A delivery
    /// changed more than once in the batch (confirmed, then acknowledged) is written once, in its last
    /// state: each change was made in memory before it was scheduled, so the last carries the others.
    func apply(_ batch: [PendingWrite]) async throws {
        var latest: [String: Delivery] = [:]
        var order: [String] = []
        for delivery in batch.lazy.flatMap(\.deliveries) {
            if latest.updateValue(delivery, forKey: delivery.id) == nil { order.append(delivery.id) }
        }
        var writes = batch.flatMap(\.writes)
        for id in order {
            if let delivery = latest[id] { writes.append(try S.write(delivery, operation: .upsert)) }
        }
        let actors = Set(batch.map(\.actor))
        let actions = Set(batch.compactMap { $0.change["action"]?.stringValue })
        let alerts = Set(batch.compactMap { $0.change["alert"]?.stringValue })
        do {
            _ = try await store.apply(
                writes,
                audit: .init(
                    actor: actors.count == 1 ? batch[0].actor : "system",
                    role: actors.count == 1 ? batch[0].role : nil,
                    action: actions.count == 1 ? actions.first ?? "alerts.deliveries" : "alerts.deliveries",
                    target: alerts.count == 1 ? "alerts/\(alerts.first ?? "")" : "alerts",
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
        } catch {
            logger.error("could not record deliveries", metadata: ["error": "\(error)", "changes": "\(batch.count)"])
            throw error
        }
        let written = batch.flatMap(\.deliveries)
        if !written.isEmpty { link.send(.deliveries(written)) }
    }

    /// Group commits go through ``AlertDeliveryService`` from now on.
    func startCommitter() {
        isCommitterRunning = true
    }

    /// No more group commits: the committer drains what is signalled and ends; later changes are
    /// committed at once.
    func stopCommitter() {
        isCommitterRunning = false
        commitSignal.finish()
    }

    // MARK: Timer and commits, run by the service

    /// Re-sends and escalates at the tracker's deadlines until the task is cancelled.
    func runTimer() async {
        while !Task.isCancelled {
            let now = clock.now()
            // Wake at the tracker's next deadline, and at least once a second of server time.
            let wake = min(tracker.nextDeadline ?? .distantFuture, now.addingTimeInterval(1))
            do { try await clock.sleep(until: wake) } catch { return }
            await perform(tracker.event(.tick(at: clock.now())))
        }
    }
}

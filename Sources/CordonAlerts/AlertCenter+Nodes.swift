public import CordonCore
public import CordonEvents
import CordonStore
import Foundation
import Logging

// Several nodes on one database: each holds its own recipients' streams. What one node writes (an alert
// put in outboxes, a delivery confirmed or acknowledged, an escalation) it tells the others through the
// `NodeLink` once committed; the others bring their trackers in step and send to the streams they hold.
// The store stays the truth: a node reads back what it may have missed when its link comes back, when a
// recipient connects to it, and whenever the deliveries changed without a word reaching it.
extension AlertCenter {
    /// Takes a signal from another node.
    public func hear(_ signal: NodeSignal) async {
        do {
            switch signal {
            case .outbox(let alert):
                try await catchUp(alert: alert)
            case .deliveries(let changed):
                for delivery in changed.sorted(by: { ($0.recipient, $0.sequence) < ($1.recipient, $1.sequence) }) {
                    if deliveries[delivery.id] == nil {
                        try await catchUp(delivery.recipient)
                    }
                    merge(delivery)
                }
            case .resend(let alert, let recipients):
                for delivery in deliveries(of: alert) where delivery.state != .acknowledged {
                    guard recipients.map({ $0.contains(delivery.recipient) }) ?? true else { continue }
                    await push(recipient: delivery.recipient, sequence: delivery.sequence, alert: alert)
                }
            case .resync:
                try await reconcile()
            case .event:
                break
            }
        } catch {
            logger.warning(
                "could not follow another node; the store will be read again",
                metadata: ["error": "\(error)"]
            )
            reconciledVersion = -1
        }
    }

    /// Reads every delivery back from the store when the collection changed since the last reading, and
    /// takes what this node missed: new alerts are sent to the streams it holds, and states move on.
    ///
    /// - Returns: whether the store held anything this node had not heard of.
    @discardableResult
    public func reconcile() async throws -> Bool {
        let version = try await store.collectionVersion(kind: .delivery)
        guard version != reconciledVersion else { return false }
        let stored = try await store.allEntities(Delivery.self)
        var missed = false
        for delivery in stored.sorted(by: { ($0.recipient, $0.sequence) < ($1.recipient, $1.sequence) }) {
            if deliveries[delivery.id] == nil {
                try await take([delivery])
                missed = true
            } else if merge(delivery) {
                missed = true
            }
        }
        reconciledVersion = version
        return missed
    }

    /// Reads the recipients of an alert composed elsewhere, and what else each has in its outbox that this
    /// node has not seen.
    ///
    /// One page of the alert's deliveries serves a thousand recipients: each delivery that is next in its
    /// outbox here is taken as it is, and only a recipient with a gap before it is read on its own.
    func catchUp(alert: AlertID) async throws {
        var after: String?
        repeat {
            let page = try await store.entities(
                Delivery.self,
                query: DocumentQuery(after: after, limit: 1000, filters: [DocumentTag("alert", alert.rawValue)])
            )
            try await take(page.items.map(\.entity))
            after = page.nextCursor
        } while after != nil
    }

    /// Reads a recipient's outbox beyond the last sequence this node knows, and takes it in order.
    func catchUp(_ recipient: String) async throws {
        var after = Delivery.id(recipient: recipient, sequence: tracker.lastSequence(of: recipient))
        while true {
            let page = try await store.entities(
                Delivery.self,
                query: DocumentQuery(after: after, limit: 1000, filters: [DocumentTag("recipient", recipient)])
            )
            try await take(page.items.map(\.entity), readingGaps: false)
            guard let next = page.nextCursor else { return }
            after = next
        }
    }

    /// Enqueues deliveries another node wrote, each one next in its recipient's outbox, and sends them to
    /// the devices connected here.
    private func take(_ stored: [Delivery], readingGaps: Bool = true) async throws {
        let ordered = stored.sorted { ($0.recipient, $0.sequence) < ($1.recipient, $1.sequence) }
        for delivery in ordered where deliveries[delivery.id] == nil {
            guard delivery.sequence == tracker.lastSequence(of: delivery.recipient) + 1 else {
                // An earlier one is missing here: read the recipient's outbox in order instead.
                if readingGaps, delivery.sequence > tracker.lastSequence(of: delivery.recipient) + 1 {
                    try await catchUp(delivery.recipient)
                }
                continue
            }
            index(delivery)
            let action = tracker.event(
                .enqueued(delivery.alert, recipients: [delivery.recipient], at: delivery.queuedAt)
            )
            settle(delivery)
            if delivery.state != .acknowledged { await perform(action) }
        }
    }

    /// Takes how far a delivery got as another node stored it, never moving it back.
    ///
    /// - Returns: whether this node learnt something (a state moved on, an escalation).
    @discardableResult
    func merge(_ stored: Delivery) -> Bool {
        guard var delivery = deliveries[stored.id] else { return false }
        let learnt =
            DeliveryTracker<String>.State(stored.state) > DeliveryTracker<String>.State(delivery.state)
            || (delivery.escalatedAt == nil && stored.escalatedAt != nil)
        if DeliveryTracker<String>.State(stored.state) > DeliveryTracker<String>.State(delivery.state) {
            delivery.state = stored.state
            delivery.deliveredAt = delivery.deliveredAt ?? stored.deliveredAt
            delivery.acknowledgedAt = stored.acknowledgedAt
            delivery.acknowledgedBy = stored.acknowledgedBy
            delivery.acknowledgedOfficer = stored.acknowledgedOfficer
            delivery.ackIdentifier = stored.ackIdentifier
        }
        delivery.sentAt = delivery.sentAt ?? stored.sentAt
        delivery.escalatedAt = delivery.escalatedAt ?? stored.escalatedAt
        deliveries[stored.id] = delivery
        settle(stored)
        return learnt
    }

    /// Tells the tracker how far a delivery got elsewhere, when it got anywhere.
    private func settle(_ delivery: Delivery) {
        guard delivery.state != .queued || delivery.escalatedAt != nil else { return }
        _ = tracker.event(
            .settled(
                delivery.recipient,
                alert: delivery.alert,
                state: .init(delivery.state),
                escalated: delivery.escalatedAt != nil,
                at: clock.now()
            )
        )
    }

    /// Reads the store back while the deliveries change, only on a node that has others: every
    /// `interval` at first; each reading that finds nothing the link had not told doubles the wait, up to
    /// `longest`, and one that finds something missed brings it back to `interval`.
    func runFollower(every interval: Duration, atMost longest: Duration = .seconds(60)) async {
        guard !(link is LoneNode) else { return }
        var wait = interval
        while !Task.isCancelled {
            do { try await Task.sleep(for: wait) } catch { return }
            do {
                if try await reconcile() {
                    logger.notice("the store held deliveries the link had not told; reading back more often")
                    wait = interval
                } else {
                    wait = min(wait * 2, longest)
                }
            } catch {
                logger.warning("could not read the deliveries back", metadata: ["error": "\(error)"])
                wait = interval
            }
        }
    }
}

extension DeliveryTracker.State {
    /// The tracker's state of a stored delivery.
    public init(_ state: Delivery.State) {
        switch state {
        case .queued: self = .queued
        case .delivered: self = .delivered
        case .acknowledged: self = .acknowledged
        }
    }
}

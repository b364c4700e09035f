import CordonAlerts
import CordonCore
import CordonEvents
import CordonStore
import CordonStoreSQLite
import CordonTesting
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// Two nodes' alert engines on one store, each holding its own recipients' streams, joined by a link
/// the test can cut: what one composes the other sends, acknowledgements taken on either reach both,
/// outboxes never fork, a lost signal costs only time, and only the leader escalates.
@Suite(.timeLimit(.minutes(5))) struct AlertNodesTests {
    static let commander = Identity(username: "commander", role: .commander, tokenHash: "t")

    /// Two ends of a link in memory; cut, it loses what is sent (as a dropped notification would).
    final class LinkEnd: NodeLink {
        let node: String
        let isCut = Mutex(false)
        let peer = Mutex<LinkEnd?>(nil)
        let stream: AsyncStream<NodeSignal>
        let continuation: AsyncStream<NodeSignal>.Continuation

        init(node: String) {
            self.node = node
            (stream, continuation) = AsyncStream<NodeSignal>.makeStream()
        }

        func send(_ signal: NodeSignal) {
            guard !isCut.withLock({ $0 }) else { return }
            peer.withLock { $0 }?.continuation.yield(signal)
        }

        func signals() -> AsyncStream<NodeSignal> { stream }

        static func pair() -> (LinkEnd, LinkEnd) {
            let (north, south) = (LinkEnd(node: "north"), LinkEnd(node: "south"))
            north.peer.withLock { $0 = south }
            south.peer.withLock { $0 = north }
            return (north, south)
        }
    }

    struct Node {
        let center: AlertCenter<SQLiteStore>
        let bus: InProcessEventBus
        let link: LinkEnd
    }

    /// Two nodes on one store, the first leading; both engines' services and relays run during `body`.
    static func withTwoNodes(_ body: @Sendable (Node, Node, ManualClock, SQLiteStore) async throws -> Void) async throws
    {
        let clock = ManualClock()
        let (store, folder) = try await AlertEngineTests.makeStore(clock: clock)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var logger = Logger(label: "cordon-alert-nodes-test")
        logger.logLevel = .critical
        let (northLink, southLink) = LinkEnd.pair()
        var nodes: [Node] = []
        for (link, leads) in [(northLink, true), (southLink, false)] {
            let bus = InProcessEventBus(now: clock.now)
            let center = AlertCenter(
                store: store,
                configuration: .init(delivery: .init(resendInterval: .seconds(30), escalateAfter: .seconds(120))),
                clock: EngineClock(now: clock.now, rate: 1, pollInterval: .milliseconds(5)),
                bus: bus,
                logger: logger,
                link: link,
                isLeading: { leads }
            )
            try await center.restore()
            nodes.append(Node(center: center, bus: bus, link: link))
        }
        let relays = nodes.map { node in
            Task { for await signal in node.link.signals() { await node.center.hear(signal) } }
        }
        defer { for relay in relays { relay.cancel() } }
        try await withRunningServices(nodes.map { AlertDeliveryService(center: $0.center) }) {
            try await body(nodes[0], nodes[1], clock, store)
        }
    }

    static func compose(on node: Node, to checkpoints: [String]) async throws -> AlertCenter<SQLiteStore>.Summary {
        try await node.center.compose(
            .init(
                kind: .beOnLookout,
                targeting: try AlertTargeting(checkpoints: try checkpoints.map { try CheckpointID($0) })
            ),
            from: try IncidentID("inc-escape-2010-08-22"),
            by: commander,
            address: nil
        )
    }

    /// Waits (real time) until `condition` holds.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func anAlertComposedOnOneNodeIsSentByTheNodeHoldingTheStreamAndAcknowledgedForBoth() async throws {
        try await Self.withTwoNodes { north, south, _, store in
            let (_, stream) = try await south.center.connect(
                recipient: AlertEngineTests.airport,
                lastSeen: 0,
                by: AlertEngineTests.officer
            )
            var frames = stream.makeAsyncIterator()
            #expect(await frames.next() == .welcome(recipient: AlertEngineTests.airport, lastSequence: 0))
            let summary = try await Self.compose(on: north, to: ["cp-air-dushanbe"])
            let frame = try AlertEngineTests.alert(try await frames.next(where: AlertEngineTests.isAlert))
            #expect(frame.sequence == 1 && frame.content.alert.id == summary.alert.id)

            try await south.center.received(recipient: AlertEngineTests.airport, sequence: 1)
            _ = try await south.center.acknowledge(
                recipient: AlertEngineTests.airport,
                alert: summary.alert.id,
                note: nil,
                by: AlertEngineTests.officer
            )
            // The composing node learns it without reading the store.
            #expect(
                try await Self.eventually {
                    await north.center.deliveries(of: summary.alert.id).first?.state == .acknowledged
                }
            )
            let stored = try await store.allEntities(Delivery.self).filter { $0.alert == summary.alert.id }
            #expect(stored.map(\.state) == [.acknowledged])
            #expect(stored.first?.acknowledgedBy == "officer")
        }
    }

    @Test func twoNodesComposingWithoutHearingEachOtherNeverForkAnOutbox() async throws {
        try await Self.withTwoNodes { north, south, _, store in
            north.link.isCut.withLock { $0 = true }
            south.link.isCut.withLock { $0 = true }
            let first = try await Self.compose(on: north, to: ["cp-road-dushanbe-north", "cp-air-dushanbe"])
            // The south node believes both outboxes empty: its numbers are taken, it reads them back and
            // takes the next ones.
            let second = try await Self.compose(on: south, to: ["cp-air-dushanbe"])
            let third = try await Self.compose(on: north, to: ["cp-air-dushanbe"])
            let airport = try await store.allEntities(Delivery.self)
                .filter { $0.recipient == AlertEngineTests.airport }
                .sorted { $0.sequence < $1.sequence }
            #expect(airport.map(\.sequence) == [1, 2, 3])
            #expect(airport.map(\.alert) == [first.alert.id, second.alert.id, third.alert.id])
        }
    }

    @Test func aLostSignalCostsTimeNotTheAlert() async throws {
        try await Self.withTwoNodes { north, south, _, _ in
            let (_, stream) = try await south.center.connect(
                recipient: AlertEngineTests.north,
                lastSeen: 0,
                by: AlertEngineTests.officer
            )
            var frames = stream.makeAsyncIterator()
            _ = await frames.next()
            north.link.isCut.withLock { $0 = true }
            let summary = try await Self.compose(on: north, to: ["cp-road-dushanbe-north"])
            #expect(await south.center.deliveries(of: summary.alert.id).isEmpty, "nothing reached the south node")
            // The read-back comes round (or the link comes back): the store says what was missed, and
            // that something was (the read-back then comes round sooner).
            #expect(try await south.center.reconcile())
            let frame = try AlertEngineTests.alert(try await frames.next(where: AlertEngineTests.isAlert))
            #expect(frame.sequence == 1 && frame.content.alert.id == summary.alert.id)
            // Nothing changed since: nothing to read.
            #expect(try await !south.center.reconcile())
            // With the link up again, what the link told leaves nothing for the read-back to find.
            north.link.isCut.withLock { $0 = false }
            try await south.center.received(recipient: AlertEngineTests.north, sequence: 1)
            #expect(
                try await Self.eventually {
                    await north.center.deliveries(of: summary.alert.id).first?.state == .delivered
                }
            )
            #expect(try await !north.center.reconcile())
        }
    }

    @Test func onlyTheLeaderEscalatesASilentRecipient() async throws {
        try await Self.withTwoNodes { north, south, clock, store in
            var northEvents = north.bus.subscribe().events.makeAsyncIterator()
            let southEvents = south.bus.subscribe()
            let summary = try await Self.compose(on: south, to: ["cp-road-dushanbe-east"])
            #expect(try await Self.eventually { await !north.center.deliveries(of: summary.alert.id).isEmpty })
            clock.advance(by: 121)
            let escalated = try await northEvents.next(where: {
                if case .escalated = $0.event { true } else { false }
            })
            guard case .escalated(let alert, _, _, _) = escalated.event else { return }
            #expect(alert == summary.alert.id.rawValue)
            // The standby published none of its own, and the store has the leader's one record.
            clock.advance(by: 10)
            try await Task.sleep(for: .milliseconds(100))
            south.bus.unsubscribe(southEvents.id)
            var southSaw: [EventRecord] = []
            for await record in southEvents.events { southSaw.append(record) }
            #expect(!southSaw.contains { if case .escalated = $0.event { true } else { false } })
            let stored = try await store.allEntities(Delivery.self).filter { $0.alert == summary.alert.id }
            #expect(stored.allSatisfy { $0.escalatedAt != nil })
            #expect(
                try await Self.eventually {
                    await south.center.deliveries(of: summary.alert.id).allSatisfy { $0.escalatedAt != nil }
                }
            )
        }
    }
}

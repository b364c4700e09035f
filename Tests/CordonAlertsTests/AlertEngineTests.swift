import CordonAlerts
import CordonCore
import CordonDemo
import CordonEvents
import CordonStore
import CordonStoreSQLite
import CordonTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The alert engine on its own, without HTTP: a real SQLite store, the in-process bus, recipients held
/// as plain streams, and a clock that moves only when the test moves it.
@Suite(.timeLimit(.minutes(5))) struct AlertEngineTests {
    static let north = "checkpoints/cp-road-dushanbe-north"
    static let airport = "checkpoints/cp-air-dushanbe"
    static let officer = Identity(username: "officer", role: .checkpointOfficer, tokenHash: "o")

    /// A store loaded with the demo scenario's entities (no accounts).
    static func makeStore(clock: ManualClock) async throws -> (SQLiteStore, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("alerts.sqlite").path, now: clock.now)
        try await store.migrate()
        let scenario = try DemoScenario.load()
        let writes = try scenario.documentWrites(for: SQLiteStore.self)
        _ = try await store.apply(writes, audit: .init(actor: "test", action: "fixtures.load", target: "scenario"))
        return (store, folder.path)
    }

    /// Runs the engine's service while `body` runs, then shuts it down gracefully.
    static func withEngine(
        _ body: @Sendable (AlertCenter<SQLiteStore>, InProcessEventBus, ManualClock, SQLiteStore) async throws -> Void
    ) async throws {
        let clock = ManualClock()
        let (store, folder) = try await makeStore(clock: clock)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bus = InProcessEventBus(now: clock.now)
        var logger = Logger(label: "cordon-alerts-test")
        logger.logLevel = .critical
        let center = AlertCenter(
            store: store,
            configuration: .init(delivery: .init(resendInterval: .seconds(30), escalateAfter: .seconds(120))),
            clock: EngineClock(now: clock.now, rate: 1, pollInterval: .milliseconds(5)),
            bus: bus,
            logger: logger
        )
        try await center.restore()
        try await withRunningServices([AlertDeliveryService(center: center)]) {
            try await body(center, bus, clock, store)
        }
    }

    /// The next alert frame of a recipient's stream.
    static func isAlert(_ frame: ServerFrame) -> Bool {
        if case .alert = frame { return true }
        return false
    }

    static func alert(_ frame: ServerFrame) throws -> AlertFrame {
        guard case .alert(let alert) = frame else { throw CancellationError() }
        return alert
    }

    @Test func anAlertReachesTwoRecipientsOneAcknowledgesTheSilentOneIsResentThenEscalated() async throws {
        try await Self.withEngine { center, bus, clock, store in
            var events = bus.subscribe().events.makeAsyncIterator()
            let (_, northStream) = try await center.connect(recipient: Self.north, lastSeen: 0, by: Self.officer)
            let (_, airportStream) = try await center.connect(recipient: Self.airport, lastSeen: 0, by: Self.officer)
            var north = northStream.makeAsyncIterator()
            var airport = airportStream.makeAsyncIterator()
            #expect(await north.next() == .welcome(recipient: Self.north, lastSequence: 0))
            #expect(await airport.next() == .welcome(recipient: Self.airport, lastSequence: 0))

            let commander = Identity(username: "commander", role: .commander, tokenHash: "t")
            let summary = try await center.compose(
                .init(
                    kind: .beOnLookout,
                    targeting: try AlertTargeting(
                        checkpoints: [CheckpointID("cp-road-dushanbe-north"), CheckpointID("cp-air-dushanbe")]
                    )
                ),
                from: IncidentID("inc-escape-2010-08-22"),
                by: commander,
                address: nil
            )
            #expect(Set(summary.recipients) == [Self.north, Self.airport])
            let sent = try await events.next(where: { if case .alertSent = $0.event { true } else { false } }).event
            #expect(sent == .alertSent(alert: summary.alert.id.rawValue, recipients: 2))

            // Both receive the same content, each at sequence 1 of its own outbox.
            let toNorth = try Self.alert(try await north.next(where: Self.isAlert))
            let toAirport = try Self.alert(try await airport.next(where: Self.isAlert))
            #expect(toNorth.sequence == 1 && toAirport.sequence == 1)
            #expect(toNorth.content == toAirport.content)
            #expect(!toNorth.resend)
            #expect(toNorth.revocations == RevocationList([]))

            // The north road confirms and a person acknowledges; the airport confirms and says nothing more.
            try await center.received(recipient: Self.north, sequence: 1)
            try await center.received(recipient: Self.airport, sequence: 1)
            let officer = Identity(username: "officer-north", role: .checkpointOfficer, tokenHash: "u")
            let ack = try await center.acknowledge(
                recipient: Self.north,
                alert: summary.alert.id,
                note: "read",
                by: officer
            )
            let acknowledged = try await events.next(where: { if case .acknowledged = $0.event { true } else { false } }
            ).event
            #expect(
                acknowledged
                    == .acknowledged(alert: summary.alert.id.rawValue, recipient: Self.north, by: "officer-north")
            )
            // Acknowledging again changes nothing and answers the same identifier.
            #expect(
                try await center.acknowledge(recipient: Self.north, alert: summary.alert.id, note: nil, by: officer)
                    == ack
            )

            // 31 s later the silent airport gets it again; the north road does not.
            clock.advance(by: 31)
            let again = try Self.alert(try await airport.next(where: Self.isAlert))
            #expect(again.sequence == 1 && again.resend)

            // Past 120 s the airport is escalated to the commander, once.
            clock.advance(by: 90)
            let escalated = try await events.next(where: { if case .escalated = $0.event { true } else { false } })
                .event
            guard case .escalated(let alert, let recipient, let state, _) = escalated else { return }
            #expect(alert == summary.alert.id.rawValue && recipient == Self.airport && state == "delivered")

            // What the engine says is what the store holds.
            let deliveries = await center.deliveries(of: summary.alert.id)
            let byRecipient = Dictionary(uniqueKeysWithValues: deliveries.map { ($0.recipient, $0) })
            #expect(byRecipient[Self.north]?.state == .acknowledged)
            #expect(byRecipient[Self.north]?.acknowledgedBy == "officer-north")
            #expect(byRecipient[Self.north]?.escalatedAt == nil)
            #expect(byRecipient[Self.airport]?.state == .delivered)
            #expect(byRecipient[Self.airport]?.escalatedAt != nil)
            let stored = try await store.allEntities(Delivery.self).filter { $0.alert == summary.alert.id }
            #expect(Set(stored.map(\.recipient)) == [Self.north, Self.airport])
            #expect(stored.first { $0.recipient == Self.north }?.state == .acknowledged)
            #expect(stored.first { $0.recipient == Self.airport }?.escalatedAt != nil)
            let acks = try await store.allEntities(AlertMessage.self).filter { $0.messageType == "Ack" }
            #expect(acks.map(\.id) == [ack])
        }
    }

    @Test func aRecipientThatReconnectsGetsWhatItMissedInOrderAndOnlyThat() async throws {
        try await Self.withEngine { center, _, _, _ in
            let commander = Identity(username: "commander", role: .commander, tokenHash: "t")
            let targeting = try AlertTargeting(checkpoints: [CheckpointID("cp-road-dushanbe-north")])
            let first = try await center.compose(
                .init(kind: .beOnLookout, targeting: targeting),
                from: IncidentID("inc-escape-2010-08-22"),
                by: commander,
                address: nil
            )
            let second = try await center.follow(
                first.alert.id,
                kind: .update,
                headline: nil,
                by: commander,
                address: nil
            )
            // Saw the first before the link dropped; connects again with last_sequence 1.
            let (_, stream) = try await center.connect(recipient: Self.north, lastSeen: 1, by: Self.officer)
            var frames = stream.makeAsyncIterator()
            #expect(await frames.next() == .welcome(recipient: Self.north, lastSequence: 2))
            let missed = try Self.alert(try await frames.next(where: Self.isAlert))
            #expect(missed.sequence == 2)
            #expect(missed.content.alert.id == second.alert.id)
            await #expect(throws: FrameError.self) {
                try await center.connect(recipient: Self.north, lastSeen: 3, by: Self.officer)
            }
        }
    }

    @Test func withoutItsServiceTheEngineCommitsEachChangeAtOnce() async throws {
        let clock = ManualClock()
        let (store, folder) = try await Self.makeStore(clock: clock)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let center = AlertCenter(
            store: store,
            configuration: .init(),
            clock: EngineClock(now: clock.now, rate: 1, pollInterval: .milliseconds(5)),
            bus: InProcessEventBus(now: clock.now),
            logger: Logger(label: "cordon-alerts-test")
        )
        try await center.restore()
        let commander = Identity(username: "commander", role: .commander, tokenHash: "t")
        let summary = try await center.compose(
            .init(
                kind: .beOnLookout,
                targeting: try AlertTargeting(checkpoints: [CheckpointID("cp-road-dushanbe-north")])
            ),
            from: IncidentID("inc-escape-2010-08-22"),
            by: commander,
            address: nil
        )
        let (_, stream) = try await center.connect(recipient: Self.north, lastSeen: 0, by: Self.officer)
        var frames = stream.makeAsyncIterator()
        _ = try Self.alert(try await frames.next(where: Self.isAlert))
        try await center.received(recipient: Self.north, sequence: 1)
        let officer = Identity(username: "officer-north", role: .checkpointOfficer, tokenHash: "u")
        _ = try await center.acknowledge(recipient: Self.north, alert: summary.alert.id, note: nil, by: officer)
        let stored = try await store.allEntities(Delivery.self).filter { $0.alert == summary.alert.id }
        #expect(stored.map(\.state) == [.acknowledged])
        #expect(stored.first?.acknowledgedBy == "officer-north")
    }

    @Test func twoDevicesOfOneCheckpointEachGetEveryAlertAndHeadquartersSeesThemComeAndGo() async throws {
        try await Self.withEngine { center, bus, _, _ in
            var events = bus.subscribe().events.makeAsyncIterator()
            let (first, firstStream) = try await center.connect(
                recipient: Self.airport,
                lastSeen: 0,
                by: Self.officer,
                device: "desk 1"
            )
            let (_, secondStream) = try await center.connect(
                recipient: Self.airport,
                lastSeen: 0,
                by: Identity(username: "officer-two", role: .checkpointOfficer, tokenHash: "p"),
                device: "desk 2"
            )
            let joined = try await events.next(where: { $0.event.type == "recipient_connected" }).event
            #expect(joined == .recipientConnected(recipient: Self.airport, by: "officer", device: "desk 1", devices: 1))
            let second = try await events.next(where: { $0.event.type == "recipient_connected" }).event
            #expect(
                second == .recipientConnected(recipient: Self.airport, by: "officer-two", device: "desk 2", devices: 2)
            )
            var one = firstStream.makeAsyncIterator()
            var two = secondStream.makeAsyncIterator()
            let commander = Identity(username: "commander", role: .commander, tokenHash: "t")
            let summary = try await center.compose(
                .init(
                    kind: .beOnLookout,
                    targeting: try AlertTargeting(checkpoints: [CheckpointID("cp-air-dushanbe")])
                ),
                from: IncidentID("inc-escape-2010-08-22"),
                by: commander,
                address: nil
            )
            #expect(try Self.alert(try await one.next(where: Self.isAlert)).content.alert.id == summary.alert.id)
            #expect(try Self.alert(try await two.next(where: Self.isAlert)).content.alert.id == summary.alert.id)

            // One desk closes: the other still holds the stream, and headquarters knows.
            await center.disconnect(recipient: Self.airport, id: first)
            let left = try await events.next(where: { $0.event.type == "recipient_disconnected" }).event
            #expect(
                left == .recipientDisconnected(recipient: Self.airport, by: "officer", device: "desk 1", devices: 1)
            )
            #expect(await center.connectionCount == 1)
            let update = try await center.follow(
                summary.alert.id,
                kind: .update,
                headline: nil,
                by: commander,
                address: nil
            )
            #expect(try Self.alert(try await two.next(where: Self.isAlert)).content.alert.id == update.alert.id)
        }
    }
}

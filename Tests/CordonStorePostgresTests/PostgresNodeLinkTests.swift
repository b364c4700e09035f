import CordonCore
import CordonEvents
import CordonStore
import CordonTesting
import Foundation
import Logging
import Synchronization
import Testing

@testable import CordonStorePostgres

@Suite(.enabled(if: TestDatabase.url != nil, "\(TestDatabase.missing)"), .timeLimit(.minutes(5)))
struct PostgresNodeLinkTests {
    static func link(_ store: PostgresStore, node: String) -> PostgresNodeLink {
        var logger = Logger(label: "cordon-link-test")
        logger.logLevel = .critical
        // Checked seldom: a check that times out under load starts listening again, and what was sent meanwhile
        // is lost to the link (the store has it), which this test would take for a fault.
        return PostgresNodeLink(store: store, node: node, checkInterval: .seconds(10), logger: logger)
    }

    static func delivery(_ recipient: String, _ sequence: Int) throws -> Delivery {
        var delivery = Delivery(
            recipient: recipient,
            sequence: sequence,
            alert: try AlertID("al-\(sequence)"),
            queuedAt: Date(timeIntervalSince1970: 1_282_500_000)
        )
        delivery.state = .acknowledged
        delivery.acknowledgedBy = "officer-\(sequence)"
        return delivery
    }

    /// Collects what a link hears, except its own `resync`s.
    final class Heard: Sendable {
        let signals = Mutex<[NodeSignal]>([])
        let resyncs = Mutex(0)

        func listen(to link: PostgresNodeLink) -> Task<Void, Never> {
            Task {
                for await signal in link.signals() {
                    if case .resync = signal {
                        resyncs.withLock { $0 += 1 }
                    } else {
                        signals.withLock { $0.append(signal) }
                    }
                }
            }
        }

        var count: Int { signals.withLock { $0.count } }
    }

    @Test func whatOneNodeSendsTheOthersHearInOrderAndItDoesNot() async throws {
        let configuration = try TestDatabase.freshConfiguration()
        let otherStore = PostgresStore(configuration: configuration)
        try await TestDatabase.withStore(configuration: configuration) { store in
            let north = Self.link(store, node: "north")
            let south = Self.link(otherStore, node: "south")
            let northHeard = Heard()
            let southHeard = Heard()
            let listeners = [northHeard.listen(to: north), southHeard.listen(to: south)]
            defer { for listener in listeners { listener.cancel() } }
            try await withRunningServices([otherStore, north, south]) {
                // Each hears `resync` once it listens: what was sent before may have been missed.
                #expect(
                    try await PostgresLeadershipTests.eventually(within: .seconds(10)) {
                        northHeard.resyncs.withLock { $0 } >= 1 && southHeard.resyncs.withLock { $0 } >= 1
                    }
                )
                let alert = try AlertID("al-linked")
                let event = EventRecord(
                    .alertSent(alert: "al-linked", recipients: 3),
                    at: Date(timeIntervalSince1970: 1_282_500_000)
                )
                // Forty deliveries: more than one notification holds.
                let deliveries = try (1...40).map { try Self.delivery("checkpoints/cp-\($0 % 3)", $0) }
                north.send(.outbox(alert: alert))
                north.send(.event(event))
                north.send(.deliveries(deliveries))
                north.send(.resend(alert: alert, recipients: ["checkpoints/cp-1"]))
                north.send(.resync)
                #expect(try await PostgresLeadershipTests.eventually(within: .seconds(10)) { southHeard.count >= 8 })
                let heard = southHeard.signals.withLock { $0 }
                #expect(heard.first == .outbox(alert: alert))
                #expect(heard.dropFirst().first == .event(event))
                let carried = heard.flatMap { signal -> [Delivery] in
                    if case .deliveries(let batch) = signal { return batch }
                    return []
                }
                #expect(carried == deliveries, "every delivery, in order, as it was sent")
                #expect(heard.last == .resend(alert: alert, recipients: ["checkpoints/cp-1"]))
                #expect(heard.count == 8, "outbox, event, five batches of deliveries, resend: \(heard.count)")
                // A node never hears itself, and `resync` is never sent.
                try await Task.sleep(for: .milliseconds(300))
                #expect(northHeard.count == 0)
            }
        }
    }

    @Test func payloadsStayUnderTheLimit() throws {
        let logger = Logger(label: "cordon-link-test")
        let many = try (1...500).map { try Self.delivery("checkpoints/cp-road-number-\($0)", $0) }
        let payloads = PostgresNodeLink.payloads(of: [.deliveries(many)], from: "n1", logger: logger)
        #expect(payloads.count > 1)
        #expect(payloads.allSatisfy { $0.utf8.count < 8000 })
        let decoded = try payloads.flatMap {
            try JSONDecoder().decode(PostgresNodeLink.Envelope.self, from: Data($0.utf8)).signals
        }
        let carried = decoded.flatMap { signal -> [Delivery] in
            if case .deliveries(let batch) = signal { return batch }
            return []
        }
        #expect(carried == many)
        // Every kind together, as one flush gathers them.
        let alert = try AlertID("al-linked")
        let mixed: [NodeSignal] = [
            .outbox(alert: alert), .event(EventRecord(.alertSent(alert: "al-linked", recipients: 3), at: Date())),
            .deliveries(Array(many.prefix(40))), .resend(alert: alert, recipients: ["checkpoints/cp-1"]),
        ]
        let gathered = PostgresNodeLink.payloads(of: mixed, from: "n1", logger: logger)
        #expect(gathered.allSatisfy { $0.utf8.count < 8000 }, "\(gathered.map(\.utf8.count))")
        let signals = try gathered.flatMap {
            try JSONDecoder().decode(PostgresNodeLink.Envelope.self, from: Data($0.utf8)).signals
        }
        #expect(signals.count == 8)
        #expect(signals.last == .resend(alert: alert, recipients: ["checkpoints/cp-1"]))
    }
}

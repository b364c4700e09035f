import CordonCore
import CordonCustody
import CordonDemo
import CordonEvents
import CordonStore
import CordonStoreSQLite
import CordonTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// Codes compared as they are: the engine's tests need no bcrypt.
struct PlainHasher: SecretHasher {
    func hash(_ secret: String) async throws -> String { "plain:" + secret }
    func verify(_ secret: String, hash: String) async throws -> Bool { hash == "plain:" + secret }
}

/// The custody watch on its own, without HTTP: a real SQLite store, the in-process bus, and a clock that
/// moves only when the test moves it.
@Suite(.timeLimit(.minutes(5))) struct CustodyEngineTests {
    static let post = try! GuardPostID("post-ward-corridor-a")  // every 30 minutes, 5 minutes' grace
    static let officer = Identity(username: "custody", role: .custodyOfficer, tokenHash: "t")

    static func withWatch(
        _ body: @Sendable (CustodyWatch<SQLiteStore>, InProcessEventBus, ManualClock, SQLiteStore) async throws -> Void
    ) async throws {
        let clock = ManualClock()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cordon-custody-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("custody.sqlite").path, now: clock.now)
        try await store.migrate()
        let writes = try DemoScenario.load().documentWrites(for: SQLiteStore.self)
        _ = try await store.apply(writes, audit: .init(actor: "test", action: "fixtures.load", target: "scenario"))
        let bus = InProcessEventBus(now: clock.now)
        var logger = Logger(label: "cordon-custody-test")
        logger.logLevel = .critical
        let watch = CustodyWatch(
            store: store,
            clock: EngineClock(now: clock.now, rate: 1, pollInterval: .milliseconds(5)),
            zone: TimeZone(identifier: "Asia/Dushanbe")!,
            hasher: PlainHasher(),
            bus: bus,
            logger: logger
        )
        try await watch.restore()
        try await withRunningServices([CustodyWatchService(watch: watch)]) {
            try await body(watch, bus, clock, store)
        }
    }

    @Test func aMissedCheckInRaisesAnIncidentAtTheInstantTheGraceRunsOutAndACheckInResumesTheWatch() async throws {
        try await Self.withWatch { watch, bus, clock, store in
            var events = bus.subscribe().events.makeAsyncIterator()
            let set = try await watch.setCodes(post: Self.post, code: "4471", duressCode: "4417", by: Self.officer)
            #expect(set.nextDue.timeIntervalSince(set.onWatchFrom) == 35 * 60)

            clock.set(set.nextDue)
            let raised = try await events.next(where: { if case .incidentRaised = $0.event { true } else { false } })
                .event
            guard case .incidentRaised(let incident) = raised else { return }
            #expect(incident.kind == "missed_check_in")
            #expect(incident.post == Self.post.rawValue)
            #expect(incident.raisedAt == set.nextDue)
            let stored = try #require(try await store.entity(Incident.self, id: incident.incident)?.entity)
            #expect(stored.raisedAt == set.nextDue)

            // The post checks in late with its own code: the watch resumes.
            clock.advance(by: 60)
            let receipt = try await watch.checkIn(post: Self.post, code: "4471", by: Self.officer, address: nil)
            #expect(receipt.nextDue > clock.now())
            let resumed = try await events.next(where: { if case .checkInResumed = $0.event { true } else { false } })
                .event
            #expect(resumed == .checkInResumed(post: Self.post.rawValue, missed: 1))
        }
    }

    /// A node that begins to lead after another raised a miss reads it back: the miss is not raised
    /// twice, and the post's second miss escalates the incident already raised.
    @Test func aMissRaisedByTheLeaderBeforeIsNotRaisedAgainAfterARestore() async throws {
        try await Self.withWatch { watch, bus, clock, store in
            var events = bus.subscribe().events.makeAsyncIterator()
            let set = try await watch.setCodes(post: Self.post, code: "4471", duressCode: "4417", by: Self.officer)
            clock.set(set.nextDue)
            let raised = try await events.next(where: { if case .incidentRaised = $0.event { true } else { false } })
            guard case .incidentRaised(let first) = raised.event else { return }
            // The next leader restores from the store, a minute after the miss.
            clock.advance(by: 60)
            try await watch.restore()
            clock.advance(by: 30 * 60)
            // The post's next incident or escalation (the block's "every post unmanned" is another matter).
            let next = try await events.next(where: {
                switch $0.event {
                case .incidentRaised(let raised): raised.post == Self.post.rawValue
                case .incidentEscalated: true
                default: false
                }
            })
            #expect(
                next.event
                    == .incidentEscalated(
                        incident: first.incident,
                        post: Self.post.rawValue,
                        reason: "second_miss",
                        summary: "Corridor post, Block A missed 2 check-ins in a row"
                    ),
                "\(next.event)"
            )
            let missed = try await store.allEntities(Incident.self).filter {
                $0.kind == .missedCheckIn && $0.id.rawValue.hasSuffix(Self.post.rawValue)
            }
            #expect(missed.map(\.id.rawValue) == [first.incident])
        }
    }

    /// A miss a commander confirmed as an escape keeps its id (and its post in it): a restart reads it
    /// back as the post's open miss instead of raising the same miss again under the same id.
    @Test func aMissConfirmedAsAnEscapeIsNotRaisedAgainAfterARestore() async throws {
        try await Self.withWatch { watch, bus, clock, store in
            var events = bus.subscribe().events.makeAsyncIterator()
            let set = try await watch.setCodes(post: Self.post, code: "4471", duressCode: "4417", by: Self.officer)
            clock.set(set.nextDue)
            let raised = try await events.next(where: { if case .incidentRaised = $0.event { true } else { false } })
            guard case .incidentRaised(let first) = raised.event else { return }
            let stored = try #require(try await store.entity(Incident.self, id: first.incident))
            let escape = try Incident(
                id: stored.entity.id,
                kind: .escape,
                facility: stored.entity.facility,
                raisedAt: stored.entity.raisedAt,
                status: .confirmed,
                summary: "Escape"
            )
            _ = try await store.save(
                escape,
                operation: .replace(expectedRevision: stored.revision),
                audit: .init(actor: "commander", action: "incidents.confirm", target: "incidents/\(first.incident)")
            )
            clock.advance(by: 60)
            try await watch.restore()
            clock.advance(by: 30 * 60)
            let next = try await events.next(where: {
                switch $0.event {
                case .incidentRaised(let raised): raised.post == Self.post.rawValue
                case .incidentEscalated: true
                default: false
                }
            })
            guard case .incidentEscalated(let incident, _, _, _) = next.event else {
                Issue.record("expected the escape to be escalated, got \(next.event)")
                return
            }
            #expect(incident == first.incident)
        }
    }

    @Test func aWrongCodeIsRefusedAndTheDuressCodeRaisesASilentAlarm() async throws {
        try await Self.withWatch { watch, bus, clock, _ in
            var events = bus.subscribe().events.makeAsyncIterator()
            await #expect(throws: OperationError.self) {
                try await watch.checkIn(post: Self.post, code: "4471", by: Self.officer, address: nil)
            }
            _ = try await watch.setCodes(post: Self.post, code: "4471", duressCode: "4417", by: Self.officer)
            await #expect(throws: ValidationFailure.self) {
                try await watch.setCodes(post: Self.post, code: "1111", duressCode: "1111", by: Self.officer)
            }
            clock.advance(by: 600)
            await #expect(throws: ValidationFailure.self) {
                try await watch.checkIn(post: Self.post, code: "0000", by: Self.officer, address: nil)
            }
            _ = try await watch.checkIn(post: Self.post, code: "4417", by: Self.officer, address: nil)
            let alarm = try await events.next(where: { if case .incidentRaised = $0.event { true } else { false } })
                .event
            guard case .incidentRaised(let incident) = alarm else { return }
            #expect(incident.kind == "duress")
            #expect(incident.escalated == "duress")
        }
    }
}

import CordonEvents
import CordonStore
import CordonTesting
import Foundation
import Logging
import Testing

@testable import CordonStorePostgres

@Suite(.enabled(if: TestDatabase.url != nil, "\(TestDatabase.missing)"), .timeLimit(.minutes(5)))
struct PostgresLeadershipTests {
    static func election(_ store: PostgresStore) -> PostgresLeadership {
        var logger = Logger(label: "cordon-leadership-test")
        logger.logLevel = .critical
        return PostgresLeadership(store: store, checkInterval: .milliseconds(100), logger: logger)
    }

    /// Waits until `condition` holds, checking every 20 ms, for at most `limit`.
    static func eventually(within limit: Duration, _ condition: () -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while clock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test func oneOfTwoNodesLeadsAndTheOtherTakesOverWhenItStops() async throws {
        let configuration = try TestDatabase.freshConfiguration()
        let otherStore = PostgresStore(configuration: configuration)
        try await TestDatabase.withStore(configuration: configuration) { store in
            let first = Self.election(store)
            let second = Self.election(otherStore)
            try await withRunningServices([otherStore, second]) {
                try await withRunningServices([first]) {
                    #expect(try await Self.eventually(within: .seconds(10)) { first.isLeader || second.isLeader })
                    // Several checks later, still exactly one.
                    try await Task.sleep(for: .milliseconds(350))
                    #expect(first.isLeader != second.isLeader, "exactly one node leads")
                }
                // The first node has stopped (and stepped down, if it led): the second leads.
                #expect(!first.isLeader)
                #expect(try await Self.eventually(within: .seconds(10)) { second.isLeader })
            }
        }
    }

    /// A node stopped gracefully while its store stays open (the demo plays its night on a server of its
    /// own, then serves on the same store) lets the lock go: the next election on that store leads,
    /// however many pooled connections the store holds.
    @Test func aGracefulStopLetsTheLockGoOnTheSameStore() async throws {
        let configuration = try TestDatabase.freshConfiguration()
        try await TestDatabase.withStore(configuration: configuration) { store in
            // Busy the pool so that the next election may well get another connection than the first.
            async let busy: Void = {
                for _ in 0..<20 { _ = try? await store.listVersion() }
            }()
            let first = Self.election(store)
            try await withRunningServices([first]) {
                let led = try await Self.eventually(within: .seconds(10)) { first.isLeader }
                #expect(led)
            }
            #expect(!first.isLeader)
            await busy
            let second = Self.election(store)
            try await withRunningServices([second]) {
                let led = try await Self.eventually(within: .seconds(5)) { second.isLeader }
                #expect(led, "the stopped node's lock still held on a pooled connection")
            }
        }
    }

    @Test func eachDeploymentElectsItsOwnLeader() throws {
        var north = try TestDatabase.freshConfiguration()
        north.schema = "region_north"
        var south = north
        south.schema = "region_south"
        let a = PostgresLeadership.lockKey(for: north)
        #expect(a != PostgresLeadership.lockKey(for: south))
        #expect(a == PostgresLeadership.lockKey(for: north))
    }

    @Test func watchersHearEachChangeOnce() async throws {
        let state = LeadershipState()
        var changes = state.changes().makeAsyncIterator()
        #expect(await changes.next() == false)
        state.set(true)
        state.set(true)
        state.set(false)
        #expect(await changes.next() == true)
        #expect(await changes.next() == false)
        state.finish()
        #expect(await changes.next() == nil)
    }

    @Test func workRunsForEachTermAndIsCancelledWhenItEnds() async throws {
        let state = LeadershipState()
        let leading = SteadyLeadership(state: state)
        let (happenings, record) = AsyncStream<String>.makeStream()
        var next = happenings.makeAsyncIterator()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await leading.whileLeading {
                    record.yield("began")
                    try? await Task.sleep(for: .seconds(3600))
                    record.yield("ended")
                }
                record.yield("stopped watching")
            }
            state.set(true)
            #expect(await next.next() == "began")
            state.set(false)
            #expect(await next.next() == "ended")
            state.set(true)
            #expect(await next.next() == "began")
            group.cancelAll()
            #expect(await next.next() == "ended")
            #expect(await next.next() == "stopped watching")
        }
    }
}

/// A leadership driven by hand.
struct SteadyLeadership: Leadership {
    let state: LeadershipState
    var isLeader: Bool { state.isLeader }
    func changes() -> AsyncStream<Bool> { state.changes() }
}

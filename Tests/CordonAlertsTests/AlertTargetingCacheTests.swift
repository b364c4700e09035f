import CordonAlerts
import CordonCore
import CordonStore
import CordonStoreSQLite
import Testing

/// The checkpoints an alert may go to are read once and kept until the collection changes: a checkpoint
/// added or removed between two alerts is seen by the second.
@Suite struct AlertTargetingCacheTests {
    static let commander = Identity(username: "commander", role: .commander, tokenHash: "t")

    static func composeToAll(_ center: AlertCenter<SQLiteStore>) async throws -> Set<String> {
        let summary = try await center.compose(
            .init(kind: .beOnLookout, targeting: try AlertTargeting()),
            from: IncidentID("inc-escape-2010-08-22"),
            by: commander,
            address: nil
        )
        return Set(summary.recipients)
    }

    @Test func aCheckpointAddedOrRemovedBetweenTwoAlertsIsSeenByTheSecond() async throws {
        try await AlertEngineTests.withEngine { center, _, _, store in
            let first = try await Self.composeToAll(center)
            #expect(first.count > 10)
            let added = try Checkpoint(
                id: CheckpointID("cp-road-test-new"),
                name: "A post set up tonight",
                kind: .road,
                location: try Coordinates(latitude: 38.6, longitude: 68.9),
                region: "Dushanbe"
            )
            _ = try await store.apply(
                [try SQLiteStore.write(added, operation: .create)],
                audit: .init(actor: "test", action: "checkpoints.create", target: "checkpoints/cp-road-test-new")
            )
            let second = try await Self.composeToAll(center)
            #expect(second == first.union(["checkpoints/cp-road-test-new"]))

            let gone = try #require(first.sorted().first)
            let id = String(gone.dropFirst("checkpoints/".count))
            _ = try await store.apply(
                [DocumentWrite(kind: .checkpoint, id: id, operation: .delete(expectedRevision: nil))],
                audit: .init(actor: "test", action: "checkpoints.delete", target: gone)
            )
            let third = try await Self.composeToAll(center)
            #expect(third == second.subtracting([gone]))
        }
    }
}

import CordonCore
import CordonDemo
import CordonMatch
import CordonScreening
import CordonStore
import CordonStoreSQLite
import CordonTesting
import Foundation
import Testing

/// Screening on its own, without HTTP: the index built from a real store, kept in step by writes, and
/// answered with the threshold a query asks for.
struct ScreeningEngineTests {
    static func makeStore() async throws -> (SQLiteStore, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-screen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("screen.sqlite").path, now: ManualClock().now)
        try await store.migrate()
        let writes = try DemoScenario.load().documentWrites(for: SQLiteStore.self)
        _ = try await store.apply(writes, audit: .init(actor: "test", action: "fixtures.load", target: "scenario"))
        return (store, folder)
    }

    @Test func theIndexFollowsTheStoreAndAnswersAtTheThresholdAsked() async throws {
        let (store, folder) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let screening = ScreeningService(policy: try ScreeningPolicy(threshold: 0.9))
        #expect(screening.policy.threshold == 0.9)
        try await screening.rebuild(from: store)
        #expect(screening.count > 0)
        #expect(screening.listVersion == (try await store.listVersion()))

        let query = ScreeningQuery(name: "Мирзоев Абдурасул")
        let (results, _) = try screening.screen([query], limit: 3)
        let (hit, entry) = try #require(results.first?.first)
        #expect(entry.id == "p-mirzoyev-abdurasul")
        let report = HitReport(hit, entry: entry, threshold: try screening.policy.threshold(requested: nil))
        #expect(report.alert)
        #expect(!report.explanation.parts.isEmpty)
        #expect(!HitReport(hit, entry: entry, threshold: min(1, hit.score + 0.0001)).alert || hit.score >= 1)

        // Captured: no longer screened once the write is followed.
        let person = try #require(try await store.entity(Person.self, id: entry.id)?.entity)
        #expect(ScreeningService.isScreened(person))
        let captured = try person.changingStatus(to: .captured, at: Date())
        #expect(!ScreeningService.isScreened(captured))
        screening.update(captured, listVersion: screening.listVersion + 1)
        let after = try screening.screen([query], limit: 3).results[0]
        #expect(!after.contains { $0.entry.id == entry.id })
    }
}

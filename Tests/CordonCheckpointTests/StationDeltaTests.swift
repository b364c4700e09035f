import CordonMatch
import Foundation
import GRDB
import Testing

@testable import CordonCheckpoint
@testable import CordonStation

/// A station takes a sync's deltas into the index it holds, entry by entry, and reloads nothing when
/// the list did not change; a whole list, or a copy it did not load, is read again whole.
@Suite struct StationDeltaTests {
    let start = Date(timeIntervalSince1970: 1_282_500_000)

    @Test func deltasChangeOnlyTheirEntriesAndAnUnchangedListReloadsNothing() async throws {
        let repository = try TestRepository(now: start)
        try repository.publish(sampleList(version: 1), now: start)
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try CheckpointStore(folder: folder)
        try store.setRoot(repository.rootData)
        let sync = CheckpointSync(store: store, fetcher: repository)
        _ = try await sync.run(now: start + 60)
        let station = Station(
            configuration: StationConfiguration(
                servers: [URL(string: "http://127.0.0.1:1")!],
                token: "t",
                checkpoint: "cp-air-dushanbe"
            ),
            copy: store,
            now: { [start] in start + 120 }
        )
        await station.reloadList()
        #expect(await station.index?.count == 2)

        // Release 2 adds one man and drops another: a delta.
        var next = sampleList(
            version: 2,
            extra: [WatchlistEntry(id: "p-rahimov-sherali", name: "Рахимов Шерали", aliases: ["Sherali Rahimov"])]
        )
        next.entries.removeAll { $0.id == "p-karimov-davron" }
        try repository.publish(next, now: start + 100)
        let outcome = try await sync.run(now: start + 160)
        // An entry the delta does not name is not read again: marked here behind the station's back, it
        // keeps the name the station loaded.
        try await store.queue.write { db in
            try db.execute(
                sql: "UPDATE entries SET body = replace(body, 'Зиёев', 'Marked') WHERE id = 'p-ziyoev-mirzo'"
            )
        }
        #expect(!outcome.fullList && outcome.deltas.count == 1)
        #expect(outcome.changedEntries == ["p-rahimov-sherali", "p-karimov-davron"])
        await station.synced("list 2: 1 update", failed: false, outcome: outcome)
        #expect(await station.status?.listVersion == 2)
        #expect(await station.index?.count == 2)
        #expect(await station.entries["p-rahimov-sherali"]?.name == "Рахимов Шерали")
        #expect(await station.entries["p-karimov-davron"] == nil)
        #expect(await station.entries["p-ziyoev-mirzo"]?.name == "Зиёев Мирзо")
        let hits = try #require(await station.index).screen(ScreeningQuery(name: "Sherali Rakhimov"))
        #expect(hits.first?.entryID == "p-rahimov-sherali")

        // Nothing new: the index held is kept as it is.
        let quiet = try await sync.run(now: start + 220)
        #expect(quiet.changedEntries == [])
        await station.synced("list 2: up to date", failed: false, outcome: quiet)
        #expect(await station.index?.count == 2)
        #expect(await station.status?.listVersion == 2)
    }
}

import CordonCheckpoint
import CordonCore
import CordonDocuments
import CordonMatch
import Crypto
import Foundation
import Testing

@Suite("A checkpoint's sync from the signed repository")
struct CheckpointSyncTests {
    let start = Date(timeIntervalSince1970: 1_282_500_000)  // 22 August 2010, evening in Dushanbe

    /// A store that trusts the repository's root and holds release 1.
    func synced() async throws -> (TestRepository, CheckpointStore, CheckpointSync, String) {
        let repository = try TestRepository(now: start)
        try repository.publish(sampleList(version: 1), now: start)
        let folder = temporaryFolder()
        let store = try CheckpointStore(folder: folder)
        try store.setRoot(repository.rootData)
        let sync = CheckpointSync(store: store, fetcher: repository)
        let outcome = try await sync.run(now: start + 60)
        #expect(outcome.fullList && outcome.after == 1)
        return (repository, store, sync, folder)
    }

    /// What must not change when a sync is refused.
    func snapshot(_ store: CheckpointStore) throws -> [String] {
        let status = try store.status()
        return [
            "\(status.listVersion ?? -1)", "\(status.entries)", "\(status.checkedAt?.timeIntervalSince1970 ?? 0)",
            try store.metadata("timestamp").map { TUFFileInfo(of: $0).sha256 } ?? "",
            try store.metadata("targets").map { TUFFileInfo(of: $0).sha256 } ?? "",
        ]
    }

    @Test func firstSyncTakesTheWholeListThenDeltas() async throws {
        let (repository, store, sync, folder) = try await synced()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try store.entries().map(\.id) == ["p-karimov-davron", "p-ziyoev-mirzo"])

        let newcomer = WatchlistEntry(id: "p-juraev-sherali", name: "Ҷӯраев Шерали", nationalities: ["TJ"])
        try repository.publish(sampleList(version: 2, extra: [newcomer]), now: start + 120)
        try repository.publish(sampleList(version: 3, extra: [newcomer]).removing("p-karimov-davron"), now: start + 180)
        let outcome = try await sync.run(now: start + 240)
        #expect(outcome.deltas == ["wanted-list-delta-1-2.json", "wanted-list-delta-2-3.json"])
        #expect(!outcome.fullList && outcome.before == 1 && outcome.after == 3)
        #expect(try store.entries().map(\.id) == ["p-juraev-sherali", "p-ziyoev-mirzo"])

        // Nothing new: only the check time moves.
        let again = try await sync.run(now: start + 300)
        #expect(again.deltas.isEmpty && !again.fullList && again.after == 3)
        #expect(try store.status().checkedAt == start + 300)
    }

    @Test func aStoreTooFarBehindTakesTheWholeList() async throws {
        let repository = try TestRepository(now: start)
        try repository.publish(sampleList(version: 1), now: start)
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try CheckpointStore(folder: folder)
        try store.setRoot(repository.rootData)
        // Version 1 is published but the store starts at nothing: the whole list.
        try repository.publish(sampleList(version: 5), now: start + 10)
        let outcome = try await CheckpointSync(store: store, fetcher: repository).run(now: start + 20)
        #expect(outcome.fullList && outcome.after == 5)
    }

    @Test func theFirstSyncNeedsARoot() async throws {
        let repository = try TestRepository(now: start)
        try repository.publish(sampleList(version: 1), now: start)
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try CheckpointStore(folder: folder)
        await #expect(throws: CheckpointSync.Failure.self) {
            _ = try await CheckpointSync(store: store, fetcher: repository).run(now: start)
        }
        #expect(try store.listVersion() == nil)
    }

    @Test func aBadSignatureIsRefusedAndChangesNothing() async throws {
        let (repository, store, sync, folder) = try await synced()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try snapshot(store)
        try repository.publish(sampleList(version: 2), now: start + 120, timestampKey: Curve25519.Signing.PrivateKey())
        let error = await #expect(throws: CheckpointSync.Failure.self) { _ = try await sync.run(now: start + 180) }
        #expect(error?.description.contains("timestamp metadata has 0 valid signatures") == true)
        #expect(try snapshot(store) == before)
    }

    @Test func anOlderTimestampIsRefusedAsARollback() async throws {
        let (repository, store, sync, folder) = try await synced()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let old = repository.file("timestamp.json")!
        try repository.publish(sampleList(version: 2), now: start + 120)
        _ = try await sync.run(now: start + 180)
        let before = try snapshot(store)
        repository.replace("timestamp.json", with: old)
        let error = await #expect(throws: CheckpointSync.Failure.self) { _ = try await sync.run(now: start + 240) }
        #expect(error?.description.contains("rollback refused") == true)
        #expect(try snapshot(store) == before)
        #expect(try store.listVersion() == 2)
    }

    @Test func anExpiredTimestampIsRefusedAsAFreeze() async throws {
        let (repository, store, sync, folder) = try await synced()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try snapshot(store)
        try repository.publish(sampleList(version: 2), now: start + 120, timestampLifetime: 600)
        // The same timestamp, an hour later: frozen.
        let error = await #expect(throws: CheckpointSync.Failure.self) { _ = try await sync.run(now: start + 3600) }
        #expect(error?.description.contains("expired") == true)
        #expect(try snapshot(store) == before)
    }

    @Test func aTargetWithAnotherHashOrLengthIsRefused() async throws {
        let (repository, store, sync, folder) = try await synced()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try snapshot(store)
        let newcomer = WatchlistEntry(id: "p-juraev-sherali", name: "Ҷӯраев Шерали")
        let name = try repository.publish(sampleList(version: 2, extra: [newcomer]), now: start + 120)!
        let path = repository.targetPath(name)!
        let good = repository.file(path)!
        var flipped = good
        flipped[flipped.count / 2] ^= 0x01
        repository.replace(path, with: flipped)
        var error = await #expect(throws: CheckpointSync.Failure.self) { _ = try await sync.run(now: start + 180) }
        #expect(error?.description.contains("does not have the SHA-256") == true)
        #expect(try snapshot(store) == before)

        repository.replace(path, with: good + Data(" ".utf8))
        error = await #expect(throws: CheckpointSync.Failure.self) { _ = try await sync.run(now: start + 180) }
        #expect(error?.description.contains("bytes, the signed metadata says") == true)
        #expect(try snapshot(store) == before)

        repository.replace(path, with: good)
        #expect(try await sync.run(now: start + 180).after == 2)
    }

    @Test func aDeltaFromAnotherBaseIsRefused() async throws {
        let (repository, store, _, folder) = try await synced()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try snapshot(store)
        // A signed delta whose metadata says base 1 but whose content starts from version 7.
        let lying = WantedListDelta(
            base: 7,
            listVersion: 2,
            upsertEntries: [WatchlistEntry(id: "p-x", name: "X Y")],
            removeEntries: [],
            upsertVehicles: [],
            removeVehicles: [],
            revocations: nil,
            credentialKeys: nil
        )
        let forged = try ForgedRepository(base: repository, delta: lying, now: start + 120)
        let error = await #expect(throws: CheckpointSync.Failure.self) {
            _ = try await CheckpointSync(store: store, fetcher: forged).run(now: start + 180)
        }
        #expect(error?.description.contains("starts from list version 7, not 1") == true)
        #expect(try snapshot(store) == before)
    }

    @Test func offlineScreeningFindsTheNewFugitiveAndSaysHowOldTheListIs() async throws {
        let (repository, store, sync, folder) = try await synced()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let newcomer = WatchlistEntry(id: "p-juraev-sherali", name: "Ҷӯраев Шерали", nationalities: ["TJ"])
        try repository.publish(sampleList(version: 2, extra: [newcomer]), now: start + 120)
        _ = try await sync.run(now: start + 180)
        repository.reachable = false
        await #expect(throws: (any Error).self) { _ = try await sync.run(now: start + 240) }

        let list = try OfflineList(store: store)
        let hits = try list.index.screen(ScreeningQuery(name: "Juraev Sherali"), limit: 3)
        #expect(hits.first?.entryID == "p-juraev-sherali" && hits.first?.isAlert == true)
        let zone = TimeZone(identifier: "Asia/Dushanbe")!
        // Checked at 23:03 in Dushanbe (18:03 UTC), screened three minutes later.
        #expect(list.age(now: start + 180 + 180, zone: zone) == "list 2 of 23:03, 3 min old")
    }

    @Test func reportsWaitInTheQueueUntilMarked() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try CheckpointStore(folder: folder)
        let hit = CheckpointReport(kind: .hit, observedAt: start, person: "p-ziyoev-mirzo", score: 0.97, query: "ZIEEV")
        let sighting = CheckpointReport(kind: .sighting, observedAt: start + 5, vehicle: "v-niva", note: "white Niva")
        try store.enqueue(hit)
        try store.enqueue(sighting)
        #expect(try store.pendingReports().map(\.id) == [hit.id, sighting.id])
        try store.markReports(uploaded: [hit.id], refused: [sighting.id: "no vehicle"], at: start + 60)
        #expect(try store.pendingReports().isEmpty)
        let status = try store.status()
        #expect(status.uploaded == 1 && status.refused == 1 && status.queued == 0)
        // The same id twice is a programming error the store refuses.
        #expect(throws: (any Error).self) { try store.enqueue(hit) }
    }
}

extension WantedList {
    func removing(_ id: String) -> WantedList {
        WantedList(
            listVersion: listVersion,
            entries: entries.filter { $0.id != id },
            vehicles: vehicles,
            revocations: revocations,
            credentialKeys: credentialKeys
        )
    }
}

/// The test repository with one more release whose delta lies about its base: its targets metadata is
/// correctly signed (an insider with the targets key, or a bug), so only the base check can catch it.
struct ForgedRepository: RepositoryFetcher {
    let files: [String: Data]

    init(base: TestRepository, delta: WantedListDelta, now: Date) throws {
        var files: [String: Data] = [:]
        for path in ["1.root.json"] { files[path] = base.file(path) }
        let deltaData = try delta.data()
        let info = TUFFileInfo(of: deltaData)
        let full = try sampleList(version: 2).data()
        let fullInfo = TUFFileInfo(of: full)
        files["targets/\(info.sha256).wanted-list-delta-1-2.json"] = deltaData
        files["targets/\(fullInfo.sha256).wanted-list.json"] = full
        let targets = TUFTargets(
            version: 2,
            expires: now + 86400,
            targets: [
                "wanted-list-delta-1-2.json": .init(
                    info: info,
                    custom: .object(["base": .number(1), "list_version": .number(2)])
                ),
                "wanted-list.json": .init(info: fullInfo, custom: .object(["list_version": .number(2)])),
            ]
        )
        files["2.targets.json"] = try TUFEnvelope(signing: targets.signed, with: [base.keys["targets"]!]).data
        let snapshot = TUFSnapshot(version: 2, expires: now + 86400, targetsVersion: 2)
        let snapshotData = try TUFEnvelope(signing: snapshot.signed, with: [base.keys["snapshot"]!]).data
        files["2.snapshot.json"] = snapshotData
        let timestamp = TUFTimestamp(
            version: 2,
            expires: now + 3600,
            snapshotVersion: 2,
            snapshotInfo: TUFFileInfo(of: snapshotData)
        )
        files["timestamp.json"] = try TUFEnvelope(signing: timestamp.signed, with: [base.keys["timestamp"]!]).data
        self.files = files
    }

    func fetch(_ path: String) async throws -> Data? { files[path] }
}

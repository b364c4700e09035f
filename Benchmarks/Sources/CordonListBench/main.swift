// cordon-list-bench: the signed wanted list at scale.
//
// Makes a synthetic list of N entries (default 100,000: persons with names in Latin and Cyrillic,
// aliases, birth dates, nationalities and document numbers; some organisations), then measures:
// - the whole list file: size, time to encode it, to hash it and sign the metadata (targets, snapshot,
//   timestamp), and the time a checkpoint takes to verify it (metadata signatures + the file's hash);
// - a delta of one changed entry: size, and time to compute it from two lists;
// - the checkpoint: first sync of the whole list into its SQLite copy, a sync of a one-entry delta,
//   loading the copy into a screening index, one screening, and the changed entry applied to that index.
// The repository is served from memory: network time is not included.
//
// Usage: cordon-list-bench [--entries N] [--runs R]

import BenchSupport
import CordonCheckpoint
import CordonCore
import CordonDocuments
import CordonMatch
import Crypto
import Foundation

func word(_ g: inout Generator) -> String { Syllables.word(&g, syllables: 2 + g.int(2)) }

func entry(_ i: Int, _ g: inout Generator) -> WatchlistEntry {
    if g.chance(0.05) {
        return WatchlistEntry(id: "o\(i)", kind: .organization, name: word(&g) + " " + word(&g) + " LLC")
    }
    let name = "\(word(&g) + g.pick(["ov", "ev", "zoda", ""])) \(word(&g))"
    var aliases: [String] = [Syllables.toCyrillic(name)]
    if g.chance(0.3) { aliases.append(word(&g) + " " + word(&g)) }
    return WatchlistEntry(
        id: "p\(i)",
        name: name,
        aliases: aliases,
        birthDates: g.chance(0.8)
            ? [ScreeningDate(year: 1950 + g.int(50), month: 1 + g.int(12), day: 1 + g.int(28))!] : [],
        nationalities: [g.pick(["TJ", "UZ", "RU", "AF", "KG"])],
        gender: g.chance(0.9) ? .male : .female,
        documentNumbers: g.chance(0.5) ? ["\(g.pick(["A", "N", "P"]))\(1_000_000 + g.int(8_999_999))"] : []
    )
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func asyncSeconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// A repository in memory.
final class MemoryRepository: RepositoryFetcher, @unchecked Sendable {
    var files: [String: Data] = [:]
    func fetch(_ path: String) async throws -> Data? { files[path] }
}

var count = 100_000
var runs = 3
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--entries": count = Int(arguments.next() ?? "") ?? count
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    default:
        FileHandle.standardError.write(Data("usage: cordon-list-bench [--entries N] [--runs R]\n".utf8))
        exit(2)
    }
}

let loadBefore = loadAverage()
var g = Generator(state: 20_100_822)
let entries = (0..<count).map { entry($0, &g) }
let list = WantedList(listVersion: 1, entries: entries, vehicles: [], revocations: [], credentialKeys: [])
var changed = entries
changed[count / 2].aliases.append("Qodirov Nozim")
let next = WantedList(listVersion: 2, entries: changed, vehicles: [], revocations: [], credentialKeys: [])

let keys = ["root", "targets", "snapshot", "timestamp"].reduce(into: [String: Curve25519.Signing.PrivateKey]()) {
    $0[$1] = Curve25519.Signing.PrivateKey()
}
let now = Date()

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

var encodeTimes: [Double] = []
var signTimes: [Double] = []
var verifyTimes: [Double] = []
var deltaTimes: [Double] = []
var listData = Data()
var deltaData = Data()
var repository = MemoryRepository()
var rootData = Data()

/// Publishes `targets` (name → data, custom) as release `version` into `repository`.
@MainActor func publish(_ files: [(String, Data, JSONValue)], version: Int, into repository: MemoryRepository) throws {
    var targets: [String: TUFTargets.Target] = [:]
    for (name, data, custom) in files {
        let info = TUFFileInfo(of: data)
        targets[name] = .init(info: info, custom: custom)
        repository.files["targets/\(info.sha256).\(name)"] = data
    }
    let targetsMeta = TUFTargets(version: version, expires: now + 86400, targets: targets)
    repository.files["\(version).targets.json"] = try TUFEnvelope(signing: targetsMeta.signed, with: [keys["targets"]!])
        .data
    let snapshot = TUFSnapshot(version: version, expires: now + 86400, targetsVersion: version)
    let snapshotData = try TUFEnvelope(signing: snapshot.signed, with: [keys["snapshot"]!]).data
    repository.files["\(version).snapshot.json"] = snapshotData
    let timestamp = TUFTimestamp(
        version: version,
        expires: now + 3600,
        snapshotVersion: version,
        snapshotInfo: TUFFileInfo(of: snapshotData)
    )
    repository.files["timestamp.json"] = try TUFEnvelope(signing: timestamp.signed, with: [keys["timestamp"]!]).data
}

for _ in 0..<runs {
    encodeTimes.append(try seconds { listData = try list.data() })
    repository = MemoryRepository()
    let root = TUFRoot(version: 1, expires: now + 86400 * 365, roleKeys: keys.mapValues { TUFKey($0.publicKey) })
    rootData = try TUFEnvelope(signing: root.signed, with: [keys["root"]!]).data
    repository.files["1.root.json"] = rootData
    signTimes.append(
        try seconds {
            try publish(
                [("wanted-list.json", listData, .object(["list_version": .number(1)]))],
                version: 1,
                into: repository
            )
        }
    )
    verifyTimes.append(
        try seconds {
            var trusted = try TUFTrustedSet(root: rootData)
            try trusted.updateTimestamp(repository.files["timestamp.json"]!, now: now)
            try trusted.updateSnapshot(repository.files["1.snapshot.json"]!, now: now)
            try trusted.updateTargets(repository.files["1.targets.json"]!, now: now)
            try trusted.verifyTarget("wanted-list.json", data: listData)
        }
    )
    deltaTimes.append(try seconds { deltaData = try next.delta(from: list).data() })
}

// The checkpoint side, on a real SQLite copy in a temporary folder.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-list-bench-\(UUID().uuidString)")
    .path
defer { try? FileManager.default.removeItem(atPath: folder) }
let store = try CheckpointStore(folder: folder)
try store.setRoot(rootData)
let sync = CheckpointSync(store: store, fetcher: repository)
let firstSync = try await asyncSeconds { _ = try await sync.run(now: now) }
let nextData = try next.data()
try publish(
    [
        ("wanted-list.json", nextData, .object(["list_version": .number(2)])),
        ("wanted-list-delta-1-2.json", deltaData, .object(["base": .number(1), "list_version": .number(2)])),
    ],
    version: 2,
    into: repository
)
var deltaOutcome: CheckpointSync.Outcome?
let deltaSync = try await asyncSeconds { deltaOutcome = try await sync.run(now: now + 60) }
var held: [WatchlistEntry] = []
let readCPU0 = cpuSeconds()
let read = try seconds { held = try store.entries() }
let readCPU = cpuSeconds() - readCPU0
var offline: OfflineList?
let loadCPU0 = cpuSeconds()
let load = try seconds { offline = try OfflineList(store: store) }
let loadCPU = cpuSeconds() - loadCPU0
var hits: [ScreeningHit] = []
let screen = try seconds { hits = try offline!.index.screen(ScreeningQuery(name: "Qodirov Nozim"), limit: 5) }
var index = offline!.index
offline = nil
let upsert = seconds { index.upsert(changed[count / 2]) }
let metadataBytes = ["timestamp.json", "2.snapshot.json", "2.targets.json"].reduce(0) {
    $0 + (repository.files[$1]?.count ?? 0)
}

func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
print("entries: \(count) (runs: \(runs), medians); load average \(loadBefore) at the start")
print(
    "whole list: \(listData.count) bytes (\(String(format: "%.1f", Double(listData.count) / 1_048_576)) MiB), encode \(ms(median(encodeTimes)))"
)
print("publish (hash the list, sign targets + snapshot + timestamp): \(ms(median(signTimes)))")
print("verify (root, timestamp, snapshot, targets signatures + the list's SHA-256): \(ms(median(verifyTimes)))")
print("delta of one changed entry: \(deltaData.count) bytes, computed in \(ms(median(deltaTimes)))")
print("metadata fetched per sync after a change (timestamp + snapshot + targets): \(metadataBytes) bytes")
print("checkpoint first sync (whole list into SQLite): \(ms(firstSync))")
print(
    "checkpoint sync of the one-entry delta: \(ms(deltaSync)) (\(deltaOutcome?.bytes ?? 0) bytes of targets, deltas \(deltaOutcome?.deltas ?? []))"
)
print("read the copy's \(held.count) entries: \(ms(read)) (\(String(format: "%.1f", readCPU)) CPU-s)")
print(
    "load the copy into a screening index: \(ms(load)) (\(String(format: "%.1f", loadCPU)) CPU-s); one screening: \(ms(screen)); found: \(hits.first?.entryID ?? "nothing") (\(changed[count / 2].id))"
)
print("apply the changed entry to the loaded index: \(ms(upsert))")
print("load average at the end: \(loadAverage())")

import CordonCheckpoint
import CordonCore
import CordonDocuments
import CordonMatch
import Crypto
import Foundation
import Synchronization

/// A TUF repository of wanted lists made in memory, served through the checkpoint's fetcher protocol,
/// with the knobs an attacker (or a broken server) would turn.
final class TestRepository: RepositoryFetcher, Sendable {
    private struct State {
        var files: [String: Data] = [:]
        var list: WantedList?
        var targets: [String: TUFTargets.Target] = [:]
        var versions = (targets: 0, snapshot: 0, timestamp: 0)
        var reachable = true
    }

    private let seeds: [String: Data]
    var keys: [String: Curve25519.Signing.PrivateKey] {
        seeds.mapValues { try! Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
    }
    private let state = Mutex(State())
    let rootData: Data

    init(now: Date) throws {
        var keys: [String: Curve25519.Signing.PrivateKey] = [:]
        for role in ["root", "targets", "snapshot", "timestamp"] { keys[role] = Curve25519.Signing.PrivateKey() }
        seeds = keys.mapValues(\.rawRepresentation)
        let root = TUFRoot(
            version: 1,
            expires: now + 365 * 86400,
            roleKeys: keys.mapValues { TUFKey($0.publicKey) }
        )
        rootData = try TUFEnvelope(signing: root.signed, with: [keys["root"]!]).data
        state.withLock { $0.files["1.root.json"] = rootData }
    }

    func fetch(_ path: String) async throws -> Data? {
        try state.withLock { state in
            guard state.reachable else { throw URLError(.cannotConnectToHost) }
            return state.files[path]
        }
    }

    var reachable: Bool {
        get { state.withLock { $0.reachable } }
        set { state.withLock { $0.reachable = newValue } }
    }

    func file(_ path: String) -> Data? { state.withLock { $0.files[path] } }

    func replace(_ path: String, with data: Data) { state.withLock { $0.files[path] = data } }

    /// Publishes `list` as the next release (with a delta from the previous one).
    @discardableResult
    func publish(
        _ list: WantedList,
        now: Date,
        timestampLifetime: TimeInterval = 3600,
        timestampKey: Curve25519.Signing.PrivateKey? = nil
    ) throws -> String? {
        let keys = self.keys
        return try state.withLock { state in
            var deltaName: String?
            if let previous = state.list {
                let delta = try list.delta(from: previous).data()
                let name = "wanted-list-delta-\(previous.listVersion)-\(list.listVersion).json"
                let info = TUFFileInfo(of: delta)
                state.targets[name] = .init(
                    info: info,
                    custom: .object([
                        "base": .number(Double(previous.listVersion)),
                        "list_version": .number(Double(list.listVersion)),
                    ])
                )
                state.files["targets/\(info.sha256).\(name)"] = delta
                deltaName = name
            }
            let data = try list.data()
            let info = TUFFileInfo(of: data)
            state.targets["wanted-list.json"] = .init(
                info: info,
                custom: .object(["list_version": .number(Double(list.listVersion))])
            )
            state.files["targets/\(info.sha256).wanted-list.json"] = data
            state.list = list
            state.versions.targets += 1
            state.versions.snapshot += 1
            state.versions.timestamp += 1
            let targets = TUFTargets(version: state.versions.targets, expires: now + 7 * 86400, targets: state.targets)
            state.files["\(state.versions.targets).targets.json"] =
                try TUFEnvelope(signing: targets.signed, with: [keys["targets"]!]).data
            let snapshot = TUFSnapshot(
                version: state.versions.snapshot,
                expires: now + 7 * 86400,
                targetsVersion: state.versions.targets
            )
            let snapshotData = try TUFEnvelope(signing: snapshot.signed, with: [keys["snapshot"]!]).data
            state.files["\(state.versions.snapshot).snapshot.json"] = snapshotData
            let timestamp = TUFTimestamp(
                version: state.versions.timestamp,
                expires: now + timestampLifetime,
                snapshotVersion: state.versions.snapshot,
                snapshotInfo: TUFFileInfo(of: snapshotData)
            )
            state.files["timestamp.json"] =
                try TUFEnvelope(signing: timestamp.signed, with: [timestampKey ?? keys["timestamp"]!]).data
            return deltaName
        }
    }

    /// The served path of a target.
    func targetPath(_ name: String) -> String? {
        state.withLock { state in state.targets[name].map { "targets/\($0.info.sha256).\(name)" } }
    }
}

/// A small wanted list.
func sampleList(version: Int64, extra: [WatchlistEntry] = []) -> WantedList {
    WantedList(
        listVersion: version,
        entries: [
            WatchlistEntry(
                id: "p-ziyoev-mirzo",
                name: "Зиёев Мирзо",
                aliases: ["Mirzo Ziyoyev"],
                birthDates: [ScreeningDate(year: 1973)!],
                nationalities: ["TJ"],
                gender: .male
            ),
            WatchlistEntry(id: "p-karimov-davron", name: "Каримов Даврон", aliases: ["Davron Karimov"]),
        ] + extra,
        vehicles: [],
        revocations: [],
        credentialKeys: []
    )
}

/// A fresh folder, removed by the caller.
func temporaryFolder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-checkpoint-\(UUID().uuidString)")
        .path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

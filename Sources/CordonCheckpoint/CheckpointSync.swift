import CordonCore
public import CordonDocuments
import CordonMatch
public import Foundation

/// Brings a checkpoint's copy of the wanted list up to date from the signed repository, the way a TUF
/// client does: newer roots first, then the timestamp, the snapshot and the targets metadata, each
/// checked for its signatures, its version (no rollback) and its expiry (no freeze); then the deltas
/// from the version held to the newest (or the whole list when no chain of deltas leads there), each
/// checked for its length and hash and its base version.
///
/// Everything is downloaded and checked before anything is written; the store then takes the metadata
/// and the list changes in one transaction. A refusal changes nothing.
public struct CheckpointSync: Sendable {
    /// Why a sync was refused.
    public enum Failure: Error, CustomStringConvertible {
        /// No trusted root yet: the first sync needs headquarters' root metadata.
        case noRoot
        /// A file the metadata names is missing on the server.
        case missing(String)
        /// The repository's metadata or a target was refused.
        case refused(TUFError)
        /// A delta does not start from the version it should.
        case deltaBase(name: String, expected: Int64, found: Int64)
        /// A target is not a wanted-list file.
        case unreadable(name: String, detail: String)

        public var description: String {
            switch self {
            case .noRoot:
                "no trusted root yet: give headquarters' root metadata (--root ROOT.json) on the first sync"
            case .missing(let name): "the server has no \(name), which the signed metadata names"
            case .refused(let error): "refused: \(error.description)"
            case .deltaBase(let name, let expected, let found):
                "refused: \(name) starts from list version \(found), not \(expected) as its signed metadata says"
            case .unreadable(let name, let detail): "refused: \(name) is not a wanted-list file (\(detail))"
            }
        }
    }

    /// What a sync did.
    public struct Outcome: Sendable, Hashable {
        /// The list version held before and after.
        public let before: Int64?
        public let after: Int64
        /// How the list changed: nothing, deltas applied (their names), or a whole list.
        public let deltas: [String]
        public let fullList: Bool
        /// Bytes of targets downloaded.
        public let bytes: Int
        /// The ids of the entries the deltas added, changed or removed (none when nothing changed); nil
        /// when a whole list replaced the copy.
        public let changedEntries: Set<String>?

        init(before: Int64?, after: Int64, deltas: [String], fullList: Bool, bytes: Int, changedEntries: Set<String>?) {
            self.before = before
            self.after = after
            self.deltas = deltas
            self.fullList = fullList
            self.bytes = bytes
            self.changedEntries = changedEntries
        }
    }

    public let store: CheckpointStore
    public let fetcher: any RepositoryFetcher

    public init(store: CheckpointStore, fetcher: any RepositoryFetcher) {
        self.store = store
        self.fetcher = fetcher
    }

    /// Runs one update at `now`.
    public func run(now: Date) async throws -> Outcome {
        guard let rootData = try store.metadata("root") else { throw Failure.noRoot }
        var trusted: TUFTrustedSet
        var metadata: [String: Data] = [:]
        let held = (try store.metadata("timestamp"), try store.metadata("snapshot"), try store.metadata("targets"))
        do throws(TUFError) {
            trusted = try TUFTrustedSet(root: rootData)
            // Earlier timestamp, snapshot and targets, so that rollbacks are seen.
            if let data = held.0 { try trusted.updateTimestamp(data, now: .distantPast) }
            if let data = held.1 { try trusted.updateSnapshot(data, now: .distantPast) }
            if let data = held.2 { try trusted.updateTargets(data, now: .distantPast) }
        } catch {
            throw Failure.refused(error)
        }
        do {
            // Newer roots, one version at a time.
            for _ in 0..<64 {
                guard let next = try await fetcher.fetch("\(trusted.root.common.version + 1).root.json") else { break }
                try trusted.updateRoot(next)
                metadata["root"] = next
            }
            try trusted.checkRoot(now: now)

            guard let timestampData = try await fetcher.fetch("timestamp.json") else {
                throw Failure.missing("timestamp.json")
            }
            let before = try store.listVersion()
            let isNew = try trusted.updateTimestamp(timestampData, now: now)
            metadata["timestamp"] = timestampData
            if !isNew && metadata["root"] == nil {
                try store.apply(.init(metadata: metadata, checkedAt: now, full: nil, deltas: []))
                return Outcome(
                    before: before,
                    after: before ?? 0,
                    deltas: [],
                    fullList: false,
                    bytes: 0,
                    changedEntries: []
                )
            }
            let snapshotName = "\(trusted.timestamp!.snapshotVersion).snapshot.json"
            guard let snapshotData = try await fetcher.fetch(snapshotName) else { throw Failure.missing(snapshotName) }
            try trusted.updateSnapshot(snapshotData, now: now)
            metadata["snapshot"] = snapshotData
            let targetsName = "\(trusted.snapshot!.targetsVersion).targets.json"
            guard let targetsData = try await fetcher.fetch(targetsName) else { throw Failure.missing(targetsName) }
            try trusted.updateTargets(targetsData, now: now)
            metadata["targets"] = targetsData

            let targets = trusted.targets!.targets
            guard let full = targets[Self.fullName], let newest = full.custom?["list_version"]?.intValue else {
                throw Failure.missing(Self.fullName)
            }
            if let before, before == Int64(newest) {
                try store.apply(.init(metadata: metadata, checkedAt: now, full: nil, deltas: []))
                return Outcome(before: before, after: before, deltas: [], fullList: false, bytes: 0, changedEntries: [])
            }
            // A chain of deltas from the version held, when there is one.
            var byBase: [Int64: (name: String, version: Int64)] = [:]
            for (name, target) in targets where name != Self.fullName {
                guard let base = target.custom?["base"]?.intValue,
                    let version = target.custom?["list_version"]?.intValue
                else { continue }
                byBase[Int64(base)] = (name, Int64(version))
            }
            var chain: [(name: String, base: Int64)] = []
            if var at = before {
                while at != Int64(newest), let link = byBase[at], chain.count < 1000 {
                    chain.append((link.name, at))
                    at = link.version
                }
                if at != Int64(newest) { chain = [] }
            }
            var bytes = 0
            if !chain.isEmpty {
                var deltas: [WantedListDelta] = []
                for link in chain {
                    let data = try await target(link.name, trusted: trusted)
                    bytes += data.count
                    let delta: WantedListDelta
                    do {
                        delta = try WantedListDelta(data: data)
                    } catch {
                        throw Failure.unreadable(name: link.name, detail: String(describing: error))
                    }
                    guard delta.base == link.base else {
                        throw Failure.deltaBase(name: link.name, expected: link.base, found: delta.base)
                    }
                    deltas.append(delta)
                }
                try store.apply(.init(metadata: metadata, checkedAt: now, full: nil, deltas: deltas))
                return Outcome(
                    before: before,
                    after: Int64(newest),
                    deltas: chain.map(\.name),
                    fullList: false,
                    bytes: bytes,
                    changedEntries: Set(deltas.flatMap { $0.upsertEntries.map(\.id) + $0.removeEntries })
                )
            }
            let data = try await target(Self.fullName, trusted: trusted)
            let list: WantedList
            do {
                list = try WantedList(data: data)
            } catch {
                throw Failure.unreadable(name: Self.fullName, detail: String(describing: error))
            }
            try store.apply(.init(metadata: metadata, checkedAt: now, full: list, deltas: []))
            return Outcome(
                before: before,
                after: list.listVersion,
                deltas: [],
                fullList: true,
                bytes: data.count,
                changedEntries: nil
            )
        } catch let error as TUFError {
            throw Failure.refused(error)
        }
    }

    static let fullName = "wanted-list.json"

    private func target(_ name: String, trusted: TUFTrustedSet) async throws -> Data {
        guard let info = trusted.targets?.targets[name]?.info else { throw TUFError.unknownTarget(name) }
        let path = "targets/" + TUFTrustedSet.consistentName(name, sha256: info.sha256)
        guard let data = try await fetcher.fetch(path) else { throw Failure.missing(name) }
        try trusted.verifyTarget(name, data: data)
        return data
    }
}

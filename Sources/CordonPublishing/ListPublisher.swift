import CordonCore
import CordonDocuments
public import CordonMatch
public import CordonStore
import Crypto
public import Foundation
public import Logging

/// Publishes the wanted list as a TUF repository (The Update Framework 1.0) that checkpoints, and any
/// standard TUF client, verify before they trust a byte of it.
///
/// The repository has the four top-level roles, each signed with its own Ed25519 key from the key ring,
/// and consistent snapshots: metadata is served as `N.root.json`, `N.snapshot.json`, `N.targets.json` and
/// `timestamp.json`, targets as `HASH.NAME`. The targets are the whole list (`wanted-list.json`) and one
/// delta per release from the release before it (`wanted-list-delta-B-V.json`), the last
/// ``Options/deltasKept`` of them, so a checkpoint that syncs often downloads a few hundred bytes.
///
/// A release is made when the list (or the credential revocations) changed since the last one, at the
/// latest when a client asks for `timestamp.json` (``ListPublishingService`` also refreshes on a
/// schedule); an unchanged list only has its metadata re-signed when half of its life has passed. One
/// refresh runs at a time, so two never issue the same version with different bytes. Every release is written to the store in one transaction with its audit
/// record, so versions never go down across restarts.
public actor ListPublisher<S: Store> {
    /// Lifetimes and retention.
    public struct Options: Sendable {
        public var rootLifetime: TimeInterval = 365 * 86400
        public var targetsLifetime: TimeInterval = 7 * 86400
        public var snapshotLifetime: TimeInterval = 7 * 86400
        public var timestampLifetime: TimeInterval = 3600
        public var deltasKept = 30

        public init() {}
    }

    /// What the credential service contributes to a release.
    public struct CredentialState: Sendable {
        /// Changes whenever revocations or keys change.
        public var version: Int64
        public var revocations: [WantedList.Revocation]
        public var keys: [String]

        public init(version: Int64, revocations: [WantedList.Revocation], keys: [String]) {
            self.version = version
            self.revocations = revocations
            self.keys = keys
        }
    }

    static var fullName: String { "wanted-list.json" }
    static func deltaName(base: Int64, version: Int64) -> String { "wanted-list-delta-\(base)-\(version).json" }

    private let store: S
    private let keys: KeyRing
    private let now: @Sendable () -> Date
    private let options: Options
    private let credentials: @Sendable () async throws -> CredentialState
    private let logger: Logger

    /// Served path → bytes.
    private var files: [String: Data] = [:]
    private var rootVersion = 0
    private var timestamp: TUFTimestamp?
    private var snapshot: TUFSnapshot?
    private var targets: TUFTargets?
    private var list: WantedList?
    private var credentialVersion: Int64 = -1
    /// The store's list version the current release was made from.
    private var sourceVersion: Int64 = -1
    private var rootExpires: Date?
    /// The list version of the latest release and when it was signed.
    public private(set) var release: (listVersion: Int64, at: Date)?
    /// One refresh at a time; the others wait their turn.
    private var isRefreshing = false
    private var refreshWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        store: S,
        keys: KeyRing,
        now: @escaping @Sendable () -> Date,
        options: Options = Options(),
        logger: Logger,
        credentials: @escaping @Sendable () async throws -> CredentialState
    ) {
        self.store = store
        self.keys = keys
        self.now = now
        self.options = options
        self.logger = logger
        self.credentials = credentials
    }

    private func roleKey(_ role: String) throws -> Curve25519.Signing.PrivateKey {
        try keys.signingKey(named: "tuf-\(role)")
    }

    /// Loads the repository kept in the store.
    public func restore() async throws {
        let stored = try await store.allDocuments(kind: .listFile)
        files = [:]
        release = nil
        (timestamp, snapshot, targets, list, rootVersion, credentialVersion) = (nil, nil, nil, nil, 0, -1)
        (sourceVersion, rootExpires) = (-1, nil)
        for document in stored { files[document.id] = document.body }
        rootVersion =
            files.keys.compactMap { name in
                name.hasSuffix(".root.json") ? Int(name.dropLast(".root.json".count)) : nil
            }.max() ?? 0
        guard let data = files["timestamp.json"], let envelope = try? TUFEnvelope(data: data, file: "timestamp.json"),
            let timestamp = try? TUFTimestamp(envelope.signed),
            let snapshotData = files["\(timestamp.snapshotVersion).snapshot.json"],
            let snapshotEnvelope = try? TUFEnvelope(data: snapshotData, file: "snapshot.json"),
            let snapshot = try? TUFSnapshot(snapshotEnvelope.signed),
            let targetsData = files["\(snapshot.targetsVersion).targets.json"],
            let targetsEnvelope = try? TUFEnvelope(data: targetsData, file: "targets.json"),
            let targets = try? TUFTargets(targetsEnvelope.signed),
            let full = targets.targets[Self.fullName],
            let listData = files["targets/" + TUFTrustedSet.consistentName(Self.fullName, sha256: full.info.sha256)],
            let list = try? WantedList(data: listData)
        else { return }
        self.timestamp = timestamp
        self.snapshot = snapshot
        self.targets = targets
        self.list = list
        // The targets were signed one lifetime before they expire.
        release = (list.listVersion, targets.common.expires.addingTimeInterval(-options.targetsLifetime))
        credentialVersion = Int64(full.custom?["credentials_version"]?.intValue ?? -1)
        sourceVersion = Int64(full.custom?["source_version"]?.intValue ?? -1)
        // Keys rotated since (a new key folder): a new root, which clients holding the old one refuse.
        let roots = try currentRootKeys()
        if let rootData = files["\(rootVersion).root.json"],
            let root = try? TUFRoot(TUFEnvelope(data: rootData, file: "root.json").signed),
            Set(root.roles.compactMap { $0.value.keyIDs.first }) != Set(roots.values.map(\.keyID))
        {
            logger.warning("the repository's keys are not the key ring's: publishing a new root")
            rootVersion = 0
        } else if let rootData = files["\(rootVersion).root.json"],
            let root = try? TUFRoot(TUFEnvelope(data: rootData, file: "root.json").signed)
        {
            rootExpires = root.common.expires
        }
    }

    /// A served file: metadata by name (`timestamp.json`, `3.snapshot.json`), targets as `targets/HASH.NAME`.
    /// Asking for the timestamp brings the repository up to date first.
    public func file(_ path: String) async throws -> Data? {
        if path == "timestamp.json" || rootVersion == 0 || timestamp == nil { try await refresh() }
        return files[path]
    }

    /// The current root metadata (version 1 is what a checkpoint is given to start from).
    public func root(version: Int) async throws -> Data? {
        if rootVersion == 0 || timestamp == nil { try await refresh() }
        return files["\(version).root.json"]
    }

    /// Makes a release if the list changed, and re-signs metadata that is halfway to expiry.
    ///
    /// - Returns: the new release's list version, or nil when nothing was released.
    @discardableResult
    public func refresh() async throws -> Int64? {
        await beginRefresh()
        defer { endRefresh() }
        return try await refreshAlone()
    }

    private func beginRefresh() async {
        if !isRefreshing {
            isRefreshing = true
            return
        }
        await withCheckedContinuation { refreshWaiters.append($0) }
    }

    private func endRefresh() {
        if refreshWaiters.isEmpty {
            isRefreshing = false
        } else {
            refreshWaiters.removeFirst().resume()
        }
    }

    private func refreshAlone() async throws -> Int64? {
        let time = now()
        let listVersion = try await store.listVersion()
        let credentialState = try await credentials()
        var writes: [String: Data] = [:]
        var removed: [String] = []
        var released: (base: Int64?, version: Int64)?

        // A new root: the first, one for new keys, or the same keys again before the root expires
        // (signed by the same root key, so clients follow the chain).
        if rootVersion == 0 || rootExpires.map({ $0.timeIntervalSince(time) < options.rootLifetime / 2 }) ?? true {
            rootVersion =
                (files.keys.compactMap { $0.hasSuffix(".root.json") ? Int($0.dropLast(10)) : nil }.max() ?? 0)
                + 1
            let root = TUFRoot(
                version: rootVersion,
                expires: time + options.rootLifetime,
                roleKeys: try currentRootKeys()
            )
            writes["\(rootVersion).root.json"] = try TUFEnvelope(signing: root.signed, with: [roleKey("root")]).data
            rootExpires = root.common.expires
        }

        var targetsChanged = false
        let auditKeys = try auditKeys()
        if list == nil || sourceVersion != listVersion || credentialVersion != credentialState.version
            || list?.auditKeys != auditKeys || targets.map({ halfway($0.common, now: time) }) ?? true
        {
            // The release number goes up by one whenever the content changes, whatever changed it (a
            // person, a vehicle, or only a revocation, which the store's list version does not count).
            var next = try await makeList(listVersion: list?.listVersion ?? 1, credentials: credentialState)
            if let list, next != list { next.listVersion = list.listVersion + 1 }
            var entries = targets?.targets ?? [:]
            if let list, next != list {
                let delta = try next.delta(from: list).data()
                let name = Self.deltaName(base: list.listVersion, version: next.listVersion)
                let info = TUFFileInfo(of: delta)
                entries[name] = .init(
                    info: info,
                    custom: .object([
                        "base": .number(Double(list.listVersion)), "list_version": .number(Double(next.listVersion)),
                    ])
                )
                writes["targets/" + TUFTrustedSet.consistentName(name, sha256: info.sha256)] = delta
                released = (list.listVersion, next.listVersion)
            } else if list == nil {
                released = (nil, next.listVersion)
            }
            if list == nil || next != list {
                if let old = entries[Self.fullName] {
                    removed.append("targets/" + TUFTrustedSet.consistentName(Self.fullName, sha256: old.info.sha256))
                }
                let data = try next.data()
                let info = TUFFileInfo(of: data)
                entries[Self.fullName] = .init(
                    info: info,
                    custom: .object([
                        "list_version": .number(Double(next.listVersion)),
                        "source_version": .number(Double(listVersion)),
                        "credentials_version": .number(Double(credentialState.version)),
                    ])
                )
                writes["targets/" + TUFTrustedSet.consistentName(Self.fullName, sha256: info.sha256)] = data
            }
            // Keep the newest deltas only.
            let deltas = entries.filter { $0.key != Self.fullName }
                .sorted {
                    ($0.value.custom?["list_version"]?.intValue ?? 0)
                        > ($1.value.custom?["list_version"]?.intValue ?? 0)
                }
            for (name, target) in deltas.dropFirst(options.deltasKept) {
                entries[name] = nil
                removed.append("targets/" + TUFTrustedSet.consistentName(name, sha256: target.info.sha256))
            }
            let version = (targets?.common.version ?? 0) + 1
            if let targets { removed.append("\(targets.common.version).targets.json") }
            let nextTargets = TUFTargets(version: version, expires: time + options.targetsLifetime, targets: entries)
            writes["\(version).targets.json"] = try TUFEnvelope(signing: nextTargets.signed, with: [roleKey("targets")])
                .data
            targets = nextTargets
            list = next
            credentialVersion = credentialState.version
            sourceVersion = listVersion
            targetsChanged = true
        }

        var snapshotChanged = false
        if targetsChanged || snapshot.map({ halfway($0.common, now: time) }) ?? true {
            let version = (snapshot?.common.version ?? 0) + 1
            if let snapshot { removed.append("\(snapshot.common.version).snapshot.json") }
            let next = TUFSnapshot(
                version: version,
                expires: time + options.snapshotLifetime,
                targetsVersion: targets!.common.version
            )
            writes["\(version).snapshot.json"] = try TUFEnvelope(signing: next.signed, with: [roleKey("snapshot")]).data
            snapshot = next
            snapshotChanged = true
        }

        if snapshotChanged || timestamp.map({ halfway($0.common, now: time) }) ?? true {
            let snapshotData =
                writes["\(snapshot!.common.version).snapshot.json"]
                ?? files["\(snapshot!.common.version).snapshot.json"]!
            let next = TUFTimestamp(
                version: (timestamp?.common.version ?? 0) + 1,
                expires: time + options.timestampLifetime,
                snapshotVersion: snapshot!.common.version,
                snapshotInfo: TUFFileInfo(of: snapshotData)
            )
            writes["timestamp.json"] = try TUFEnvelope(signing: next.signed, with: [roleKey("timestamp")]).data
            timestamp = next
        }
        if writes.isEmpty { return nil }

        var details: [String: JSONValue] = [
            "timestamp_version": .number(Double(timestamp!.common.version)),
            "snapshot_version": .number(Double(snapshot!.common.version)),
            "targets_version": .number(Double(targets!.common.version)),
            "list_version": .number(Double(list!.listVersion)),
        ]
        if let released {
            details["base"] = released.base.map { .number(Double($0)) } ?? .null
            details["entries"] = .number(Double(list!.entries.count))
            details["vehicles"] = .number(Double(list!.vehicles.count))
            details["revocations"] = .number(Double(list!.revocations.count))
        }
        let documentWrites =
            writes.keys.sorted().map { name in
                // A file this node has not seen is created, never overwritten: if another node released
                // the same version meanwhile, the write fails and the repository is read back instead
                // of forking.
                DocumentWrite(
                    kind: .listFile,
                    id: name,
                    operation: files[name] == nil ? .create : .upsert,
                    body: writes[name]!
                )
            }
            + removed.filter { writes[$0] == nil && files[$0] != nil }.map {
                DocumentWrite(kind: .listFile, id: $0, operation: .delete(expectedRevision: nil))
            }
        do {
            _ = try await store.apply(
                documentWrites,
                audit: .init(
                    actor: "system",
                    action: released == nil ? "list.resign" : "list.publish",
                    target: "list/\(list!.listVersion)",
                    details: .object(details)
                )
            )
        } catch {
            // Nothing was written: forget what was made in memory and start again from the store.
            try await restore()
            throw error
        }
        for name in removed { files[name] = nil }
        for (name, data) in writes { files[name] = data }
        if let released { release = (released.version, now()) }
        if released != nil {
            logger.info(
                "wanted list published",
                metadata: ["list.version": "\(list!.listVersion)", "tuf.targets": "\(targets!.common.version)"]
            )
        }
        return released == nil ? nil : list?.listVersion
    }

    private func halfway(_ common: TUFCommon, now: Date) -> Bool {
        let lifetime: TimeInterval =
            switch common.type {
            case "timestamp": options.timestampLifetime
            case "snapshot": options.snapshotLifetime
            default: options.targetsLifetime
            }
        return common.expires.timeIntervalSince(now) < lifetime / 2
    }

    private func currentRootKeys() throws -> [String: TUFKey] {
        var keys: [String: TUFKey] = [:]
        for role in ["root", "targets", "snapshot", "timestamp"] { keys[role] = TUFKey(try roleKey(role).publicKey) }
        return keys
    }

    private func makeList(listVersion: Int64, credentials: CredentialState) async throws -> WantedList {
        let persons = try await store.allEntities(Person.self)
        let organizations = try await store.allEntities(Organization.self)
        let vehicles = try await store.allEntities(Vehicle.self)
        return WantedList(
            listVersion: listVersion,
            entries: WatchlistEntry.wantedList(persons: persons, organizations: organizations),
            vehicles: vehicles,
            revocations: credentials.revocations,
            credentialKeys: credentials.keys,
            auditKeys: try auditKeys()
        )
    }

    /// The key that signs the audit log's tree heads, which checkpoints check the heads they witness with.
    private func auditKeys() throws -> [String] {
        [Hex.encode(try keys.publicKey(named: SignedTreeHead.keyName).rawRepresentation)]
    }
}

public import Foundation

/// What a TUF client trusts, updated one file at a time in the order the specification prescribes:
/// root (each newer version), timestamp, snapshot, targets, then target files.
///
/// Each update either succeeds and replaces the trusted copy, or throws and changes nothing, so a client
/// that persists the set only after a whole update has a consistent copy whatever is refused. The time
/// is given by the caller.
public struct TUFTrustedSet: Sendable {
    public private(set) var root: TUFRoot
    public private(set) var rootEnvelope: TUFEnvelope
    public private(set) var timestamp: TUFTimestamp?
    public private(set) var snapshot: TUFSnapshot?
    public private(set) var targets: TUFTargets?

    /// Starts from a trusted root (shipped with the client, or held from an earlier update). Its
    /// signatures must be valid under its own keys.
    public init(root data: Data) throws(TUFError) {
        let envelope = try TUFEnvelope(data: data, file: "root.json")
        let root = try TUFRoot(envelope.signed)
        try root.verify(envelope, role: "root")
        self.root = root
        rootEnvelope = envelope
    }

    /// Accepts the next root version, signed by the current root's keys and by its own.
    public mutating func updateRoot(_ data: Data) throws(TUFError) {
        let envelope = try TUFEnvelope(data: data, file: "root.json")
        let next = try TUFRoot(envelope.signed)
        try root.verify(envelope, role: "root")
        try next.verify(envelope, role: "root")
        guard next.common.version == root.common.version + 1 else {
            throw .versionMismatch(role: "root", expected: root.common.version + 1, found: next.common.version)
        }
        root = next
        rootEnvelope = envelope
        // New keys may have been rotated in: what the old keys signed is fetched again.
        timestamp = nil
        snapshot = nil
        targets = nil
    }

    /// Checks that the final root has not expired.
    public func checkRoot(now: Date) throws(TUFError) {
        try root.common.checkExpiry(now: now)
    }

    /// Accepts a timestamp. Returns `false` when it is the version already held (nothing new).
    @discardableResult
    public mutating func updateTimestamp(_ data: Data, now: Date) throws(TUFError) -> Bool {
        let envelope = try TUFEnvelope(data: data, file: "timestamp.json")
        try root.verify(envelope, role: "timestamp")
        let next = try TUFTimestamp(envelope.signed)
        if let held = timestamp {
            if next.common.version < held.common.version {
                throw .rollback(role: "timestamp", held: held.common.version, offered: next.common.version)
            }
            if next.snapshotVersion < held.snapshotVersion {
                throw .rollback(role: "snapshot", held: held.snapshotVersion, offered: next.snapshotVersion)
            }
            if next.common.version == held.common.version {
                try held.common.checkExpiry(now: now)
                return false
            }
        }
        try next.common.checkExpiry(now: now)
        timestamp = next
        return true
    }

    /// Accepts the snapshot the timestamp names.
    public mutating func updateSnapshot(_ data: Data, now: Date) throws(TUFError) {
        guard let timestamp else { throw .malformed(file: "snapshot.json", detail: "no timestamp trusted yet") }
        if let info = timestamp.snapshotInfo { try info.check(data, file: "snapshot.json") }
        let envelope = try TUFEnvelope(data: data, file: "snapshot.json")
        try root.verify(envelope, role: "snapshot")
        let next = try TUFSnapshot(envelope.signed)
        guard next.common.version == timestamp.snapshotVersion else {
            throw .versionMismatch(role: "snapshot", expected: timestamp.snapshotVersion, found: next.common.version)
        }
        if let held = snapshot, next.targetsVersion < held.targetsVersion {
            throw .rollback(role: "targets", held: held.targetsVersion, offered: next.targetsVersion)
        }
        try next.common.checkExpiry(now: now)
        snapshot = next
    }

    /// Accepts the targets metadata the snapshot names.
    public mutating func updateTargets(_ data: Data, now: Date) throws(TUFError) {
        guard let snapshot else { throw .malformed(file: "targets.json", detail: "no snapshot trusted yet") }
        let envelope = try TUFEnvelope(data: data, file: "targets.json")
        try root.verify(envelope, role: "targets")
        let next = try TUFTargets(envelope.signed)
        guard next.common.version == snapshot.targetsVersion else {
            throw .versionMismatch(role: "targets", expected: snapshot.targetsVersion, found: next.common.version)
        }
        try next.common.checkExpiry(now: now)
        targets = next
    }

    /// Checks a downloaded target file against the trusted targets metadata.
    public func verifyTarget(_ name: String, data: Data) throws(TUFError) {
        guard let target = targets?.targets[name] else { throw .unknownTarget(name) }
        try target.info.check(data, file: name)
    }

    /// The path a consistent-snapshot repository serves a target under: `HASH.NAME`.
    public static func consistentName(_ name: String, sha256: String) -> String { "\(sha256).\(name)" }
}

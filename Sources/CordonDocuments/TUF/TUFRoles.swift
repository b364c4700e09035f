public import CordonCore
public import Foundation

/// The TUF specification version Cordon writes.
public let tufSpecVersion = "1.0.31"

/// The fields every role's `signed` part has.
public struct TUFCommon: Sendable, Hashable {
    /// `root`, `targets`, `snapshot` or `timestamp`.
    public let type: String
    public let version: Int
    public let expires: Date

    init(type: String, version: Int, expires: Date) {
        self.type = type
        self.version = version
        self.expires = expires
    }

    init(_ signed: JSONValue, type: String, file: String) throws(TUFError) {
        guard signed["_type"]?.stringValue == type else {
            throw .malformed(file: file, detail: "_type is not \"\(type)\"")
        }
        guard let spec = signed["spec_version"]?.stringValue, spec.split(separator: ".").first == "1" else {
            throw .malformed(file: file, detail: "spec_version is not 1.x")
        }
        guard let version = signed["version"]?.intValue, version >= 1 else {
            throw .malformed(file: file, detail: "version is not a positive integer")
        }
        guard let text = signed["expires"]?.stringValue, let expires = TUFTime.parse(text) else {
            throw .malformed(file: file, detail: "expires is not a UTC time like 2030-01-01T00:00:00Z")
        }
        self.init(type: type, version: version, expires: expires)
    }

    func members(_ extra: [String: JSONValue]) -> JSONValue {
        var object = extra
        object["_type"] = .string(type)
        object["spec_version"] = .string(tufSpecVersion)
        object["version"] = .number(Double(version))
        object["expires"] = .string(TUFTime.format(expires))
        return .object(object)
    }

    /// Throws when `now` is at or past the expiry.
    public func checkExpiry(now: Date) throws(TUFError) {
        if now >= expires { throw .expired(role: type, expires: TUFTime.format(expires)) }
    }
}

/// A file's length and SHA-256, as metadata records them.
public struct TUFFileInfo: Sendable, Hashable {
    public let length: Int
    /// The SHA-256 in hex.
    public let sha256: String

    /// The info of `data`.
    public init(of data: Data) {
        length = data.count
        sha256 = TUFFileInfo.digest(data)
    }

    init(length: Int, sha256: String) {
        self.length = length
        self.sha256 = sha256
    }

    static func digest(_ data: Data) -> String { Hex.encode(SHA256Digest.of(data)) }

    /// Checks `data` against the recorded length and hash.
    public func check(_ data: Data, file: String) throws(TUFError) {
        guard data.count == length else { throw .lengthMismatch(file: file, expected: length, found: data.count) }
        guard TUFFileInfo.digest(data) == sha256 else { throw .hashMismatch(file: file) }
    }
}

/// The root role: the keys of every role and how many signatures each needs.
public struct TUFRoot: Sendable {
    /// The keys allowed to sign a role, and how many must.
    public struct RoleKeys: Sendable, Hashable {
        public let keyIDs: [String]
        public let threshold: Int
    }

    public let common: TUFCommon
    public let keys: [String: TUFKey]
    public let roles: [String: RoleKeys]
    public let consistentSnapshot: Bool

    /// A root with one key per role and threshold 1.
    public init(version: Int, expires: Date, roleKeys: [String: TUFKey]) {
        common = TUFCommon(type: "root", version: version, expires: expires)
        var keys: [String: TUFKey] = [:]
        var roles: [String: RoleKeys] = [:]
        for (role, key) in roleKeys {
            keys[key.keyID] = key
            roles[role] = RoleKeys(keyIDs: [key.keyID], threshold: 1)
        }
        self.keys = keys
        self.roles = roles
        consistentSnapshot = true
    }

    /// Reads the root role from a verified or unverified envelope.
    public init(_ signed: JSONValue, file: String = "root.json") throws(TUFError) {
        common = try TUFCommon(signed, type: "root", file: file)
        guard case .object(let keyObjects)? = signed["keys"], case .object(let roleObjects)? = signed["roles"] else {
            throw .malformed(file: file, detail: "keys or roles missing")
        }
        var keys: [String: TUFKey] = [:]
        for (keyID, json) in keyObjects {
            // Keys of other types are allowed by the specification; Cordon cannot use them.
            if let key = TUFKey(json: json), key.keyID == keyID { keys[keyID] = key }
        }
        var roles: [String: RoleKeys] = [:]
        for name in ["root", "targets", "snapshot", "timestamp"] {
            guard let role = roleObjects[name], let threshold = role["threshold"]?.intValue, threshold >= 1 else {
                throw .malformed(file: file, detail: "role \(name) missing or without a threshold")
            }
            roles[name] = RoleKeys(
                keyIDs: role["keyids"]?.arrayValue.compactMap(\.stringValue) ?? [],
                threshold: threshold
            )
        }
        self.keys = keys
        self.roles = roles
        consistentSnapshot = signed["consistent_snapshot"]?.boolValue ?? false
    }

    /// The signed part.
    public var signed: JSONValue {
        common.members([
            "consistent_snapshot": .bool(consistentSnapshot),
            "keys": .object(keys.mapValues(\.json)),
            "roles": .object(
                roles.mapValues {
                    .object([
                        "keyids": .array($0.keyIDs.map(JSONValue.string)), "threshold": .number(Double($0.threshold)),
                    ])
                }
            ),
        ])
    }

    /// Checks that `envelope` carries enough signatures of `role`'s keys in this root.
    public func verify(_ envelope: TUFEnvelope, role: String) throws(TUFError) {
        guard let roleKeys = roles[role] else { throw .signatures(role: role, valid: 0, needed: 1) }
        try envelope.verify(role: role, keys: keys, keyIDs: roleKeys.keyIDs, threshold: roleKeys.threshold)
    }
}

/// The timestamp role: which snapshot is current.
public struct TUFTimestamp: Sendable {
    public let common: TUFCommon
    public let snapshotVersion: Int
    public let snapshotInfo: TUFFileInfo?

    public init(version: Int, expires: Date, snapshotVersion: Int, snapshotInfo: TUFFileInfo?) {
        common = TUFCommon(type: "timestamp", version: version, expires: expires)
        self.snapshotVersion = snapshotVersion
        self.snapshotInfo = snapshotInfo
    }

    public init(_ signed: JSONValue, file: String = "timestamp.json") throws(TUFError) {
        common = try TUFCommon(signed, type: "timestamp", file: file)
        guard let meta = signed["meta"]?["snapshot.json"], let version = meta["version"]?.intValue else {
            throw .malformed(file: file, detail: "meta has no snapshot.json version")
        }
        snapshotVersion = version
        snapshotInfo = fileInfo(meta)
    }

    public var signed: JSONValue {
        common.members(["meta": .object(["snapshot.json": metaJSON(version: snapshotVersion, info: snapshotInfo)])])
    }
}

/// The snapshot role: which targets metadata is current.
public struct TUFSnapshot: Sendable {
    public let common: TUFCommon
    public let targetsVersion: Int

    public init(version: Int, expires: Date, targetsVersion: Int) {
        common = TUFCommon(type: "snapshot", version: version, expires: expires)
        self.targetsVersion = targetsVersion
    }

    public init(_ signed: JSONValue, file: String = "snapshot.json") throws(TUFError) {
        common = try TUFCommon(signed, type: "snapshot", file: file)
        guard let version = signed["meta"]?["targets.json"]?["version"]?.intValue else {
            throw .malformed(file: file, detail: "meta has no targets.json version")
        }
        targetsVersion = version
    }

    public var signed: JSONValue {
        common.members(["meta": .object(["targets.json": metaJSON(version: targetsVersion, info: nil)])])
    }
}

/// The targets role: the files clients may download, with their lengths, hashes and custom data.
public struct TUFTargets: Sendable {
    /// One target file.
    public struct Target: Sendable, Hashable {
        public let info: TUFFileInfo
        /// Application data about the file (Cordon: list versions).
        public let custom: JSONValue?

        public init(info: TUFFileInfo, custom: JSONValue?) {
            self.info = info
            self.custom = custom
        }
    }

    public let common: TUFCommon
    public let targets: [String: Target]

    public init(version: Int, expires: Date, targets: [String: Target]) {
        common = TUFCommon(type: "targets", version: version, expires: expires)
        self.targets = targets
    }

    public init(_ signed: JSONValue, file: String = "targets.json") throws(TUFError) {
        common = try TUFCommon(signed, type: "targets", file: file)
        guard case .object(let objects)? = signed["targets"] else {
            throw .malformed(file: file, detail: "targets missing")
        }
        var targets: [String: Target] = [:]
        for (name, json) in objects {
            guard let info = fileInfo(json) else {
                throw .malformed(file: file, detail: "target \(name) has no length or sha256")
            }
            targets[name] = Target(info: info, custom: json["custom"])
        }
        self.targets = targets
    }

    public var signed: JSONValue {
        common.members([
            "targets": .object(
                targets.mapValues { target in
                    var object: [String: JSONValue] = [
                        "length": .number(Double(target.info.length)),
                        "hashes": .object(["sha256": .string(target.info.sha256)]),
                    ]
                    if let custom = target.custom { object["custom"] = custom }
                    return .object(object)
                }
            )
        ])
    }
}

private func fileInfo(_ json: JSONValue) -> TUFFileInfo? {
    guard let length = json["length"]?.intValue, length >= 0, let hash = json["hashes"]?["sha256"]?.stringValue else {
        return nil
    }
    return TUFFileInfo(length: length, sha256: hash.lowercased())
}

private func metaJSON(version: Int, info: TUFFileInfo?) -> JSONValue {
    var object: [String: JSONValue] = ["version": .number(Double(version))]
    if let info {
        object["length"] = .number(Double(info.length))
        object["hashes"] = .object(["sha256": .string(info.sha256)])
    }
    return .object(object)
}

public import CordonCore
public import Foundation

/// The wanted list as headquarters publishes it to checkpoints: screened persons and organisations,
/// vehicles of interest, revoked officers' credentials and the keys that sign credentials.
///
/// The file is JSON with sorted keys and items in id order, so the same list always gives the same
/// bytes (and the same hash in the signed metadata).
public struct WantedList: Sendable, Hashable, Codable {
    /// A revoked credential, as checkpoints need it.
    public struct Revocation: Sendable, Hashable, Codable {
        public var id: String
        public var reason: String?

        public init(id: String, reason: String? = nil) {
            self.id = id
            self.reason = reason
        }
    }

    /// The store's list version the file was made from.
    public var listVersion: Int64
    /// Persons and organisations to screen.
    public var entries: [WatchlistEntry]
    /// Vehicles of interest.
    public var vehicles: [Vehicle]
    /// Revoked credentials.
    public var revocations: [Revocation]
    /// Headquarters' credential public keys, hex.
    public var credentialKeys: [String]
    /// The public keys (hex) that sign the audit log's tree heads, for checkpoints to witness them.
    public var auditKeys: [String]

    enum CodingKeys: String, CodingKey {
        case format
        case listVersion = "list_version"
        case entries, vehicles, revocations
        case credentialKeys = "credential_keys"
        case auditKeys = "audit_keys"
    }

    static let format = "cordon-wanted-list/1"

    /// Creates a list, putting items in id order.
    public init(
        listVersion: Int64,
        entries: [WatchlistEntry],
        vehicles: [Vehicle],
        revocations: [Revocation],
        credentialKeys: [String],
        auditKeys: [String] = []
    ) {
        self.listVersion = listVersion
        self.entries = entries.sorted { $0.id < $1.id }
        self.vehicles = vehicles.sorted { $0.id.rawValue < $1.id.rawValue }
        self.revocations = revocations.sorted { $0.id < $1.id }
        self.credentialKeys = credentialKeys.sorted()
        self.auditKeys = auditKeys.sorted()
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(String.self, forKey: .format)
        guard format == Self.format else {
            throw DecodingError.dataCorruptedError(
                forKey: .format,
                in: container,
                debugDescription: "not a \(Self.format) file: \(format)"
            )
        }
        self.init(
            listVersion: try container.decode(Int64.self, forKey: .listVersion),
            entries: try container.decode([WatchlistEntry].self, forKey: .entries),
            vehicles: try container.decode([Vehicle].self, forKey: .vehicles),
            revocations: try container.decode([Revocation].self, forKey: .revocations),
            credentialKeys: try container.decode([String].self, forKey: .credentialKeys),
            auditKeys: try container.decodeIfPresent([String].self, forKey: .auditKeys) ?? []
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(listVersion, forKey: .listVersion)
        try container.encode(entries, forKey: .entries)
        try container.encode(vehicles, forKey: .vehicles)
        try container.encode(revocations, forKey: .revocations)
        try container.encode(credentialKeys, forKey: .credentialKeys)
        if !auditKeys.isEmpty { try container.encode(auditKeys, forKey: .auditKeys) }
    }

    /// The file's bytes.
    public func data() throws -> Data { try Self.encoder.encode(self) }

    /// Reads a file.
    public init(data: Data) throws { self = try JSONDecoder().decode(WantedList.self, from: data) }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The change from `base` to this list (empty when nothing changed).
    public func delta(from base: WantedList) -> WantedListDelta {
        func changes<T: Hashable>(_ old: [T], _ new: [T], id: (T) -> String) -> (upsert: [T], remove: [String]) {
            var before: [String: T] = [:]
            before.reserveCapacity(old.count)
            for item in old { before[id(item)] = item }
            var upsert: [T] = []
            var seen = Set<String>()
            seen.reserveCapacity(new.count)
            for item in new {
                let key = id(item)
                seen.insert(key)
                if before[key] != item { upsert.append(item) }
            }
            return (upsert, before.keys.filter { !seen.contains($0) }.sorted())
        }
        let entryChanges = changes(base.entries, entries, id: \.id)
        let vehicleChanges = changes(base.vehicles, vehicles, id: \.id.rawValue)
        return WantedListDelta(
            base: base.listVersion,
            listVersion: listVersion,
            upsertEntries: entryChanges.upsert,
            removeEntries: entryChanges.remove,
            upsertVehicles: vehicleChanges.upsert,
            removeVehicles: vehicleChanges.remove,
            revocations: revocations == base.revocations ? nil : revocations,
            credentialKeys: credentialKeys == base.credentialKeys ? nil : credentialKeys,
            auditKeys: auditKeys == base.auditKeys ? nil : auditKeys
        )
    }

    /// This list with `delta` applied.
    ///
    /// - Throws: ``WantedListDelta/BaseMismatch`` when the delta was made from another version.
    public func applying(_ delta: WantedListDelta) throws -> WantedList {
        guard delta.base == listVersion else {
            throw WantedListDelta.BaseMismatch(held: listVersion, base: delta.base)
        }
        var entries = Dictionary(self.entries.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for id in delta.removeEntries { entries[id] = nil }
        for entry in delta.upsertEntries { entries[entry.id] = entry }
        var vehicles = Dictionary(self.vehicles.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })
        for id in delta.removeVehicles { vehicles[id] = nil }
        for vehicle in delta.upsertVehicles { vehicles[vehicle.id.rawValue] = vehicle }
        return WantedList(
            listVersion: delta.listVersion,
            entries: Array(entries.values),
            vehicles: Array(vehicles.values),
            revocations: delta.revocations ?? revocations,
            credentialKeys: delta.credentialKeys ?? credentialKeys,
            auditKeys: delta.auditKeys ?? auditKeys
        )
    }
}

/// The change between two versions of the wanted list.
public struct WantedListDelta: Sendable, Hashable, Codable {
    /// A delta that does not start from the version held.
    public struct BaseMismatch: Error, Sendable, CustomStringConvertible {
        public let held: Int64
        public let base: Int64

        public init(held: Int64, base: Int64) {
            self.held = held
            self.base = base
        }

        public var description: String { "the delta starts from list version \(base), but version \(held) is held" }
    }

    public var base: Int64
    public var listVersion: Int64
    public var upsertEntries: [WatchlistEntry]
    public var removeEntries: [String]
    public var upsertVehicles: [Vehicle]
    public var removeVehicles: [String]
    /// The whole revocation list when it changed.
    public var revocations: [WantedList.Revocation]?
    /// The credential keys when they changed.
    public var credentialKeys: [String]?
    /// The audit log's keys when they changed.
    public var auditKeys: [String]?

    enum CodingKeys: String, CodingKey {
        case format, base
        case listVersion = "list_version"
        case upsertEntries = "upsert_entries"
        case removeEntries = "remove_entries"
        case upsertVehicles = "upsert_vehicles"
        case removeVehicles = "remove_vehicles"
        case revocations
        case credentialKeys = "credential_keys"
        case auditKeys = "audit_keys"
    }

    static let format = "cordon-wanted-list-delta/1"

    public init(
        base: Int64,
        listVersion: Int64,
        upsertEntries: [WatchlistEntry],
        removeEntries: [String],
        upsertVehicles: [Vehicle],
        removeVehicles: [String],
        revocations: [WantedList.Revocation]?,
        credentialKeys: [String]?,
        auditKeys: [String]? = nil
    ) {
        self.base = base
        self.listVersion = listVersion
        self.upsertEntries = upsertEntries
        self.removeEntries = removeEntries
        self.upsertVehicles = upsertVehicles
        self.removeVehicles = removeVehicles
        self.revocations = revocations
        self.credentialKeys = credentialKeys
        self.auditKeys = auditKeys
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(String.self, forKey: .format)
        guard format == Self.format else {
            throw DecodingError.dataCorruptedError(
                forKey: .format,
                in: container,
                debugDescription: "not a \(Self.format) file: \(format)"
            )
        }
        base = try container.decode(Int64.self, forKey: .base)
        listVersion = try container.decode(Int64.self, forKey: .listVersion)
        upsertEntries = try container.decode([WatchlistEntry].self, forKey: .upsertEntries)
        removeEntries = try container.decode([String].self, forKey: .removeEntries)
        upsertVehicles = try container.decode([Vehicle].self, forKey: .upsertVehicles)
        removeVehicles = try container.decode([String].self, forKey: .removeVehicles)
        revocations = try container.decodeIfPresent([WantedList.Revocation].self, forKey: .revocations)
        credentialKeys = try container.decodeIfPresent([String].self, forKey: .credentialKeys)
        auditKeys = try container.decodeIfPresent([String].self, forKey: .auditKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(base, forKey: .base)
        try container.encode(listVersion, forKey: .listVersion)
        try container.encode(upsertEntries, forKey: .upsertEntries)
        try container.encode(removeEntries, forKey: .removeEntries)
        try container.encode(upsertVehicles, forKey: .upsertVehicles)
        try container.encode(removeVehicles, forKey: .removeVehicles)
        try container.encodeIfPresent(revocations, forKey: .revocations)
        try container.encodeIfPresent(credentialKeys, forKey: .credentialKeys)
        try container.encodeIfPresent(auditKeys, forKey: .auditKeys)
    }

    /// The file's bytes.
    public func data() throws -> Data { try WantedList.encoder.encode(self) }

    /// Reads a file.
    public init(data: Data) throws { self = try JSONDecoder().decode(WantedListDelta.self, from: data) }

    /// Whether the delta changes nothing.
    public var isEmpty: Bool {
        upsertEntries.isEmpty && removeEntries.isEmpty && upsertVehicles.isEmpty && removeVehicles.isEmpty
            && revocations == nil && credentialKeys == nil && auditKeys == nil
    }
}

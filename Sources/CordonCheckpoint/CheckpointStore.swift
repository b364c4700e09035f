public import CordonCore
public import CordonMatch
public import Foundation
import GRDB
import Synchronization

/// A checkpoint's own copy of the wanted list, in one SQLite file: the TUF metadata it trusts, the list
/// it verified, and the reports (screening hits, sightings) waiting to be uploaded.
///
/// A sync writes the new metadata and the list changes in one transaction, so the copy is always a list
/// that verified, never half of one.
public final class CheckpointStore: Sendable {
    /// A report made at the checkpoint, waiting for (or past) its upload.
    public struct Report: Sendable, Hashable {
        /// The report's own id, sent with it so that the server keeps it once however often it is sent.
        public let id: String
        /// `hit` or `sighting`.
        public let kind: String
        /// The report's JSON as sent.
        public let body: Data
        public let createdAt: Date
        public let uploadedAt: Date?
        /// Why the server refused it, when it did.
        public let refusal: String?
    }

    /// What the copy holds.
    public struct Status: Sendable, Hashable {
        public let listVersion: Int64?
        /// When the list was last confirmed current by a verified timestamp.
        public let checkedAt: Date?
        public let entries: Int
        public let vehicles: Int
        public let revocations: Int
        public let queued: Int
        public let uploaded: Int
        public let refused: Int
        public let checkpoint: String?
    }

    let queue: DatabaseQueue

    /// Opens (or makes) the store in `folder` (`checkpoint.sqlite`).
    public init(folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: folder + "/checkpoint.sqlite", configuration: configuration)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS metadata (role TEXT PRIMARY KEY, body BLOB NOT NULL);
                    CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS entries (id TEXT PRIMARY KEY, body BLOB NOT NULL);
                    CREATE TABLE IF NOT EXISTS vehicles (id TEXT PRIMARY KEY, body BLOB NOT NULL);
                    CREATE TABLE IF NOT EXISTS revocations (id TEXT PRIMARY KEY, reason TEXT);
                    CREATE TABLE IF NOT EXISTS credential_keys (key TEXT PRIMARY KEY);
                    CREATE TABLE IF NOT EXISTS reports (
                        id TEXT PRIMARY KEY, kind TEXT NOT NULL, body BLOB NOT NULL,
                        created_at REAL NOT NULL, uploaded_at REAL, refusal TEXT
                    );
                    """
            )
            try db.execute(sql: Self.stationSchema)
            try db.execute(sql: Self.witnessSchema)
        }
    }

    // MARK: Metadata and state

    /// The trusted metadata of `role` (`root`, `timestamp`, `snapshot`, `targets`).
    public func metadata(_ role: String) throws -> Data? {
        try queue.read { db in try Data.fetchOne(db, sql: "SELECT body FROM metadata WHERE role = ?", arguments: [role])
        }
    }

    /// Stores the first trusted root.
    public func setRoot(_ data: Data) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO metadata (role, body) VALUES ('root', ?)", arguments: [data])
        }
    }

    func state(_ key: String) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = ?", arguments: [key]) }
    }

    /// The checkpoint this copy reports for.
    public func checkpoint() throws -> String? { try state("checkpoint") }

    /// Records the checkpoint this copy reports for.
    public func setCheckpoint(_ id: String) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('checkpoint', ?)", arguments: [id])
        }
    }

    /// The version of the list held, or nil before the first sync.
    public func listVersion() throws -> Int64? { try state("list_version").flatMap { Int64($0) } }

    /// Counts and times.
    public func status() throws -> Status {
        try queue.read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            func value(_ key: String) throws -> String? {
                try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = ?", arguments: [key])
            }
            return Status(
                listVersion: try value("list_version").flatMap { Int64($0) },
                checkedAt: try value("checked_at").flatMap(Double.init).map { Date(timeIntervalSince1970: $0) },
                entries: try count("SELECT COUNT(*) FROM entries"),
                vehicles: try count("SELECT COUNT(*) FROM vehicles"),
                revocations: try count("SELECT COUNT(*) FROM revocations"),
                queued: try count("SELECT COUNT(*) FROM reports WHERE uploaded_at IS NULL AND refusal IS NULL"),
                uploaded: try count("SELECT COUNT(*) FROM reports WHERE uploaded_at IS NOT NULL"),
                refused: try count("SELECT COUNT(*) FROM reports WHERE refusal IS NOT NULL"),
                checkpoint: try value("checkpoint")
            )
        }
    }

    /// One verified update: new metadata, and either a whole list or deltas to apply, in one transaction.
    struct Update {
        var metadata: [String: Data]
        var checkedAt: Date
        var full: WantedList?
        var deltas: [WantedListDelta]
    }

    func apply(_ update: Update) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try queue.write { db in
            for (role, data) in update.metadata {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO metadata (role, body) VALUES (?, ?)",
                    arguments: [role, data]
                )
            }
            func put(_ key: String, _ value: String) throws {
                try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", arguments: [key, value])
            }
            func replaceRevocations(_ revocations: [WantedList.Revocation]) throws {
                try db.execute(sql: "DELETE FROM revocations")
                for revocation in revocations {
                    try db.execute(
                        sql: "INSERT INTO revocations (id, reason) VALUES (?, ?)",
                        arguments: [revocation.id, revocation.reason]
                    )
                }
            }
            func replaceKeys(_ keys: [String]) throws {
                try db.execute(sql: "DELETE FROM credential_keys")
                for key in keys {
                    try db.execute(sql: "INSERT INTO credential_keys (key) VALUES (?)", arguments: [key])
                }
            }
            if let full = update.full {
                try db.execute(sql: "DELETE FROM entries")
                try db.execute(sql: "DELETE FROM vehicles")
                let entry = try db.makeStatement(sql: "INSERT INTO entries (id, body) VALUES (?, ?)")
                for item in full.entries { try entry.execute(arguments: [item.id, try encoder.encode(item)]) }
                let vehicle = try db.makeStatement(sql: "INSERT INTO vehicles (id, body) VALUES (?, ?)")
                for item in full.vehicles {
                    try vehicle.execute(arguments: [item.id.rawValue, try encoder.encode(item)])
                }
                try replaceRevocations(full.revocations)
                try replaceKeys(full.credentialKeys)
                try put("audit_keys", full.auditKeys.joined(separator: ","))
                try put("list_version", String(full.listVersion))
            }
            for delta in update.deltas {
                let held = try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'list_version'")
                    .flatMap { Int64($0) }
                guard held == delta.base else {
                    throw WantedListDelta.BaseMismatch(held: held ?? 0, base: delta.base)
                }
                for id in delta.removeEntries {
                    try db.execute(sql: "DELETE FROM entries WHERE id = ?", arguments: [id])
                }
                for item in delta.upsertEntries {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO entries (id, body) VALUES (?, ?)",
                        arguments: [item.id, try encoder.encode(item)]
                    )
                }
                for id in delta.removeVehicles {
                    try db.execute(sql: "DELETE FROM vehicles WHERE id = ?", arguments: [id])
                }
                for item in delta.upsertVehicles {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO vehicles (id, body) VALUES (?, ?)",
                        arguments: [item.id.rawValue, try encoder.encode(item)]
                    )
                }
                if let revocations = delta.revocations { try replaceRevocations(revocations) }
                if let keys = delta.credentialKeys { try replaceKeys(keys) }
                if let keys = delta.auditKeys { try put("audit_keys", keys.joined(separator: ",")) }
                try put("list_version", String(delta.listVersion))
            }
            try put("checked_at", String(update.checkedAt.timeIntervalSince1970))
        }
    }

    // MARK: The list

    /// Every entry held, in id order.
    public func entries() throws -> [WatchlistEntry] {
        let bodies = try queue.read { db in try Data.fetchAll(db, sql: "SELECT body FROM entries ORDER BY id") }
        // One decode of one array is several times faster than a decode per row; a large list is cut
        // into one array per core, decoded side by side.
        return try Self.decodeEntries(
            bodies,
            chunks: bodies.count < 20_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        )
    }

    /// The entries held among `ids`, in id order; an id the copy does not hold is left out.
    public func entries(ids: some Sequence<String>) throws -> [WatchlistEntry] {
        let wanted = Array(Set(ids)).sorted()
        var bodies: [Data] = []
        // SQLite takes a bounded number of parameters: the ids go in groups.
        for start in stride(from: 0, to: wanted.count, by: 500) {
            let group = Array(wanted[start..<min(wanted.count, start + 500)])
            let marks = Array(repeating: "?", count: group.count).joined(separator: ",")
            bodies += try queue.read { db in
                try Data.fetchAll(
                    db,
                    sql: "SELECT body FROM entries WHERE id IN (\(marks)) ORDER BY id",
                    arguments: StatementArguments(group)
                )
            }
        }
        return try Self.decodeEntries(bodies[...])
    }

    /// Decodes entries' bodies in `chunks` arrays side by side, keeping their order.
    static func decodeEntries(_ bodies: [Data], chunks: Int) throws -> [WatchlistEntry] {
        let chunks = max(1, chunks)
        let size = (bodies.count + chunks - 1) / chunks
        let results = Mutex<[Int: Result<[WatchlistEntry], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let part = bodies[min(bodies.count, chunk * size)..<min(bodies.count, (chunk + 1) * size)]
            let result = Result { try Self.decodeEntries(part) }
            results.withLock { $0[chunk] = result }
        }
        return try results.withLock { results in
            try (0..<chunks).flatMap { try results[$0]!.get() }
        }
    }

    static func decodeEntries(_ bodies: ArraySlice<Data>) throws -> [WatchlistEntry] {
        var array = Data()
        array.reserveCapacity(bodies.reduce(2) { $0 + $1.count + 1 })
        array.append(UInt8(ascii: "["))
        for (index, body) in bodies.enumerated() {
            if index > 0 { array.append(UInt8(ascii: ",")) }
            array.append(body)
        }
        array.append(UInt8(ascii: "]"))
        return try JSONDecoder().decode([WatchlistEntry].self, from: array)
    }

    /// Every vehicle held.
    public func vehicles() throws -> [Vehicle] {
        let decoder = JSONDecoder()
        return try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM vehicles ORDER BY id").map {
                try decoder.decode(Vehicle.self, from: $0)
            }
        }
    }

    /// Revoked credentials by id, with their reasons.
    public func revocations() throws -> [String: String?] {
        try queue.read { db in
            var result: [String: String?] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, reason FROM revocations") {
                result[row["id"]] = row["reason"] as String?
            }
            return result
        }
    }

    /// Headquarters' credential keys (hex).
    public func credentialKeys() throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "SELECT key FROM credential_keys ORDER BY key") }
    }

    // MARK: Reports

    /// Queues a report.
    public func enqueue(id: String, kind: String, body: Data, at time: Date) throws {
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO reports (id, kind, body, created_at) VALUES (?, ?, ?, ?)",
                arguments: [id, kind, body, time.timeIntervalSince1970]
            )
        }
    }

    /// Reports not yet uploaded nor refused, oldest first.
    public func pendingReports() throws -> [Report] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind, body, created_at, uploaded_at, refusal FROM reports
                    WHERE uploaded_at IS NULL AND refusal IS NULL ORDER BY created_at, id
                    """
            ).map { row in
                Report(
                    id: row["id"],
                    kind: row["kind"],
                    body: row["body"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    uploadedAt: (row["uploaded_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    refusal: row["refusal"]
                )
            }
        }
    }

    /// Marks reports uploaded (the server has them) or refused (it never will).
    public func markReports(uploaded: [String], refused: [String: String], at time: Date) throws {
        try queue.write { db in
            for id in uploaded {
                try db.execute(
                    sql: "UPDATE reports SET uploaded_at = ? WHERE id = ?",
                    arguments: [time.timeIntervalSince1970, id]
                )
            }
            for (id, reason) in refused {
                try db.execute(sql: "UPDATE reports SET refusal = ? WHERE id = ?", arguments: [reason, id])
            }
        }
    }
}

public import CordonCore
public import Foundation
import GRDB

/// The audit log's tree heads a checkpoint has seen: it is one of headquarters' witnesses. Each head
/// is kept with where it came from and whether it was shown consistent with the heads before it; a
/// rewritten or truncated log at headquarters then contradicts heads kept here, away from its database.
extension CheckpointStore {
    /// A head as the checkpoint keeps it.
    public struct WitnessedHead: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable {
            /// Signed by headquarters' audit key; not yet compared with the others.
            case unchecked
            /// Proved a prefix of (or equal to) a later head.
            case consistent
            /// Contradicted by a later head: headquarters' log was rewritten or cut.
            case inconsistent
        }

        public let head: SignedTreeHead
        /// `sync` or `alert`.
        public let source: String
        public let seenAt: Date
        public let status: Status
        /// Why it is inconsistent.
        public let detail: String?
    }

    static let witnessSchema = """
        CREATE TABLE IF NOT EXISTS tree_heads (
            tree_size INTEGER NOT NULL, timestamp INTEGER NOT NULL, body BLOB NOT NULL, source TEXT NOT NULL,
            seen_at REAL NOT NULL, status TEXT NOT NULL, detail TEXT, PRIMARY KEY (tree_size, timestamp)
        );
        """

    /// The public keys (hex) the list names for the audit log's heads.
    public func auditKeys() throws -> [String] {
        try state("audit_keys").map { $0.split(separator: ",").map(String.init) } ?? []
    }

    /// Keeps a head (once: a head seen again keeps its first record).
    public func recordTreeHead(
        _ head: SignedTreeHead,
        source: String,
        at time: Date,
        status: WitnessedHead.Status = .unchecked,
        detail: String? = nil
    ) throws {
        let body = try JSONEncoder().encode(head)
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO tree_heads (tree_size, timestamp, body, source, seen_at, status, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    head.treeSize, head.timestamp, body, source, time.timeIntervalSince1970, status.rawValue, detail,
                ]
            )
        }
    }

    /// Marks a head kept before.
    public func markTreeHead(_ head: SignedTreeHead, _ status: WitnessedHead.Status, detail: String? = nil) throws {
        try queue.write { db in
            try db.execute(
                sql: "UPDATE tree_heads SET status = ?, detail = ? WHERE tree_size = ? AND timestamp = ?",
                arguments: [status.rawValue, detail, head.treeSize, head.timestamp]
            )
        }
    }

    /// Every head kept, smallest tree first (then oldest).
    public func treeHeads() throws -> [WitnessedHead] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tree_heads ORDER BY tree_size, timestamp").compactMap { row in
                guard let head = try? JSONDecoder().decode(SignedTreeHead.self, from: row["body"] as Data) else {
                    return nil
                }
                return WitnessedHead(
                    head: head,
                    source: row["source"],
                    seenAt: Date(timeIntervalSince1970: row["seen_at"]),
                    status: WitnessedHead.Status(rawValue: row["status"]) ?? .unchecked,
                    detail: row["detail"]
                )
            }
        }
    }
}

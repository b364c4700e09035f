public import CordonCore
public import Foundation
import GRDB

/// What a station keeps beside the list: the officers' decisions on hits, remembered per document, and
/// its own hash-chained audit log of who signed in, screened, decided and acknowledged.
extension CheckpointStore {
    /// A decision an officer recorded about a screening hit.
    public struct Decision: Sendable, Hashable, Codable {
        public let id: String
        /// What the decision is remembered under: a document (`P TJK 4012345`), or the name screened.
        public let subject: String
        /// The list entry the hit named.
        public let entry: String
        /// `detained`, `released_after_check` or `not_him`.
        public let outcome: String
        public let reason: String?
        /// The officer, as their pass names them.
        public let officer: String
        public let decidedAt: Date

        public init(
            id: String = UUID().uuidString.lowercased(),
            subject: String,
            entry: String,
            outcome: String,
            reason: String?,
            officer: String,
            decidedAt: Date
        ) {
            self.id = id
            self.subject = subject
            self.entry = entry
            self.outcome = outcome
            self.reason = reason
            self.officer = officer
            self.decidedAt = decidedAt
        }
    }

    static let stationSchema = """
        CREATE TABLE IF NOT EXISTS decisions (
            id TEXT PRIMARY KEY, subject TEXT NOT NULL, entry TEXT NOT NULL, outcome TEXT NOT NULL,
            reason TEXT, officer TEXT NOT NULL, decided_at REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS decisions_subject ON decisions (subject, entry);
        CREATE TABLE IF NOT EXISTS station_audit (sequence INTEGER PRIMARY KEY, body BLOB NOT NULL);
        """

    /// Records a decision and queues its report for headquarters, in one transaction.
    public func record(_ decision: Decision, report: CheckpointReport) throws {
        let body = try CheckpointReport.encoder.encode(report)
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO decisions (id, subject, entry, outcome, reason, officer, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    decision.id, decision.subject, decision.entry, decision.outcome, decision.reason,
                    decision.officer, decision.decidedAt.timeIntervalSince1970,
                ]
            )
            try db.execute(
                sql: "INSERT INTO reports (id, kind, body, created_at) VALUES (?, ?, ?, ?)",
                arguments: [report.id, report.kind.rawValue, body, report.observedAt.timeIntervalSince1970]
            )
        }
    }

    /// The decisions recorded for a subject (a document or a name), newest first.
    public func decisions(subject: String) throws -> [Decision] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, subject, entry, outcome, reason, officer, decided_at FROM decisions
                    WHERE subject = ? ORDER BY decided_at DESC, id
                    """,
                arguments: [subject]
            ).map { row in
                Decision(
                    id: row["id"],
                    subject: row["subject"],
                    entry: row["entry"],
                    outcome: row["outcome"],
                    reason: row["reason"],
                    officer: row["officer"],
                    decidedAt: Date(timeIntervalSince1970: row["decided_at"])
                )
            }
        }
    }

    /// Appends a record to the station's own audit log, chained to the one before.
    @discardableResult
    public func appendAudit(_ draft: AuditRecord.Draft, at time: Date) throws -> AuditRecord {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try queue.write { db in
            let decoder = JSONDecoder()
            let last = try Data.fetchOne(db, sql: "SELECT body FROM station_audit ORDER BY sequence DESC LIMIT 1")
                .map { try decoder.decode(AuditRecord.self, from: $0) }
            let version = try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'list_version'")
                .flatMap { Int64($0) }
            let record = AuditRecord(
                draft: draft,
                sequence: (last?.sequence ?? 0) + 1,
                at: time,
                listVersion: version ?? 0,
                previousHash: last?.hash ?? AuditChain.genesisHash
            )
            try db.execute(
                sql: "INSERT INTO station_audit (sequence, body) VALUES (?, ?)",
                arguments: [record.sequence, try encoder.encode(record)]
            )
            return record
        }
    }

    /// The station's audit log, oldest first.
    public func auditRecords() throws -> [AuditRecord] {
        let decoder = JSONDecoder()
        return try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM station_audit ORDER BY sequence").map {
                try decoder.decode(AuditRecord.self, from: $0)
            }
        }
    }
}

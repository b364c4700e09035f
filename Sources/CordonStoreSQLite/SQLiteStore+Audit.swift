public import CordonCore
public import CordonStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Appends an audit record for something that wrote nothing else, stamped by the clock.
    ///
    /// - Returns: the record as stored, with its sequence, time, list version and hashes.
    public func appendAudit(_ draft: AuditRecord.Draft) async throws -> AuditRecord {
        let now = now
        return try await write("appending to the audit log") { db in
            try Self.appendAudit(draft, at: Milliseconds(clock: now()), in: db)
        }
    }

    /// Appends several records in one transaction, chained in the order given, all stamped with one
    /// reading of the clock.
    public func appendAudit(_ drafts: [AuditRecord.Draft]) async throws -> [AuditRecord] {
        guard !drafts.isEmpty else { return [] }
        let now = now
        return try await write("appending to the audit log") { db in
            let at = Milliseconds(clock: now())
            return try drafts.map { try Self.appendAudit($0, at: at, in: db) }
        }
    }

    /// Records with sequence numbers above `sequence`, oldest first, at most `limit` (0 or less gives none).
    ///
    /// Records are returned as stored, hash included, so that ``AuditChain/Verifier`` can judge them.
    ///
    /// - Throws: ``StoreError`` `corrupt` when a record's fields cannot be read back.
    public func auditRecords(after sequence: Int64, limit: Int) async throws -> [AuditRecord] {
        guard limit > 0 else { return [] }
        return try await read("reading the audit log") { db in
            try SQLRequest<Row>(
                literal: """
                    SELECT sequence, at_ms, actor, role, action, target, address, list_version, details,
                        previous_hash, hash
                    FROM audit_log WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(limit)
                    """
            ).fetchAll(db).map(Self.auditRecord(from:))
        }
    }

    /// The last record's sequence and hash as kept in the head row, updated with every append; nil before the first.
    public func auditHead() async throws -> AuditRecordSummary? {
        try await read("reading the audit head") { db in
            let head = try Self.fetchAuditHead(db)
            return head.sequence == 0 ? nil : head
        }
    }

    // MARK: Inside a transaction

    /// Appends the next record of the chain after the head, and moves the head to it.
    static func appendAudit(_ draft: AuditRecord.Draft, at: Milliseconds, in db: Database) throws -> AuditRecord {
        let head = try fetchAuditHead(db)
        let record = AuditRecord(
            draft: draft,
            sequence: head.sequence + 1,
            at: at.auditDate,
            listVersion: try fetchListVersion(db),
            previousHash: head.hash
        )
        try db.execute(
            literal: """
                INSERT INTO audit_log (
                    sequence, at_ms, actor, role, action, target, address, list_version, details, previous_hash, hash
                ) VALUES (
                    \(record.sequence), \(record.atMilliseconds), \(record.actor), \(record.role?.rawValue),
                    \(record.action), \(record.target), \(record.address), \(record.listVersion),
                    \(record.details.canonicalText), \(record.previousHash), \(record.hash)
                )
                """
        )
        try db.execute(
            literal: "UPDATE audit_head SET sequence = \(record.sequence), hash = \(record.hash) WHERE singleton = 1"
        )
        return record
    }

    private static func fetchAuditHead(_ db: Database) throws -> AuditRecordSummary {
        guard let row = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_head WHERE singleton = 1") else {
            throw StoreError(.corrupt, "the audit head is missing")
        }
        return AuditRecordSummary(
            sequence: try row.decode(forColumn: "sequence"),
            hash: try row.decode(forColumn: "hash")
        )
    }

    private static func auditRecord(from row: Row) throws -> AuditRecord {
        try StoredAuditRow(
            sequence: try row.decode(forColumn: "sequence"),
            atMilliseconds: try row.decode(forColumn: "at_ms"),
            actor: try row.decode(forColumn: "actor"),
            role: try row.decode(forColumn: "role"),
            action: try row.decode(forColumn: "action"),
            target: try row.decode(forColumn: "target"),
            address: try row.decode(forColumn: "address"),
            listVersion: try row.decode(forColumn: "list_version"),
            details: try row.decode(forColumn: "details"),
            previousHash: try row.decode(forColumn: "previous_hash"),
            hash: try row.decode(forColumn: "hash")
        ).record()
    }
}

public import CordonCore
public import CordonStore
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Appends an audit record for something that wrote nothing else, stamped by the clock.
    ///
    /// - Returns: the record as stored, with its sequence, time, list version and hashes.
    public func appendAudit(_ draft: AuditRecord.Draft) async throws -> AuditRecord {
        try await write("appending to the audit log") { connection, head in
            try await self.appendAuditNow(draft, after: head, in: connection)
        }
    }

    /// Appends several records in one transaction after the head it locks, chained in the order given,
    /// all stamped with one reading of the clock.
    public func appendAudit(_ drafts: [AuditRecord.Draft]) async throws -> [AuditRecord] {
        guard !drafts.isEmpty else { return [] }
        return try await write("appending to the audit log") { connection, head in
            let at = Milliseconds(clock: self.now())
            var position = head
            var records: [AuditRecord] = []
            for draft in drafts {
                let record = try await Self.appendAudit(
                    draft,
                    at: at,
                    after: position,
                    in: connection,
                    logger: self.logger
                )
                position.head = AuditRecordSummary(sequence: record.sequence, hash: record.hash)
                records.append(record)
            }
            return records
        }
    }

    /// Appends a record stamped by the clock now, after the head this transaction locked.
    func appendAuditNow(
        _ draft: AuditRecord.Draft,
        after position: ChainPosition,
        in connection: PostgresConnection
    )
        async throws -> AuditRecord
    {
        try await Self.appendAudit(
            draft,
            at: Milliseconds(clock: now()),
            after: position,
            in: connection,
            logger: logger
        )
    }

    /// Records with sequence numbers above `sequence`, oldest first, at most `limit` (0 or less gives none).
    ///
    /// - Throws: ``StoreError`` `corrupt` when a record's fields cannot be read back.
    public func auditRecords(after sequence: Int64, limit: Int) async throws -> [AuditRecord] {
        guard limit > 0 else { return [] }
        return try await session("reading the audit log") { connection in
            try await connection.run(
                """
                SELECT sequence, at_ms, actor, role, action, target, address, list_version, details,
                    previous_hash, hash
                FROM audit_log WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(limit)
                """,
                logger: self.logger
            ).collect().map(Self.auditRecord(from:))
        }
    }

    /// The last record's sequence and hash as kept in the head row, updated with every append; nil before the first.
    public func auditHead() async throws -> AuditRecordSummary? {
        try await session("reading the audit head") { connection in
            let head = try await Self.fetchAuditHead(connection, logger: self.logger)
            return head.sequence == 0 ? nil : head
        }
    }

    // MARK: Inside a transaction

    /// Where the next record goes: the head locked by this transaction, and the list version it will state.
    struct ChainPosition: Sendable {
        var head: AuditRecordSummary
        var listVersion: Int64
    }

    /// Locks the head's row until the transaction ends, and reads it with the list version in the same
    /// round trip: every writer of every node waits here. Both rows are locked: a row read beside a locked
    /// one but not locked itself would be read as it was when the wait began, not as the writer before left it.
    static func lockAuditHead(_ connection: PostgresConnection, logger: Logger) async throws -> ChainPosition {
        let rows = try await connection.run(
            """
            SELECT h.sequence, h.hash, l.version FROM audit_head AS h, list_version AS l
            WHERE h.singleton = 1 AND l.singleton = 1 FOR UPDATE
            """,
            logger: logger
        ).collect()
        guard let row = rows.first else { throw StoreError(.corrupt, "the audit head or the list version is missing") }
        let (sequence, hash, listVersion) = try row.decode((Int64, String, Int64).self)
        return ChainPosition(head: AuditRecordSummary(sequence: sequence, hash: hash), listVersion: listVersion)
    }

    /// Appends the next record of the chain after the locked head and moves the head to it, in one statement.
    static func appendAudit(
        _ draft: AuditRecord.Draft,
        at: Milliseconds,
        after position: ChainPosition,
        in connection: PostgresConnection,
        logger: Logger
    ) async throws -> AuditRecord {
        let record = AuditRecord(
            draft: draft,
            sequence: position.head.sequence + 1,
            at: at.auditDate,
            listVersion: position.listVersion,
            previousHash: position.head.hash
        )
        try await connection.run(
            """
            WITH appended AS (
                INSERT INTO audit_log (
                    sequence, at_ms, actor, role, action, target, address, list_version, details, previous_hash, hash
                ) VALUES (
                    \(record.sequence), \(record.atMilliseconds), \(record.actor), \(record.role?.rawValue),
                    \(record.action), \(record.target), \(record.address), \(record.listVersion),
                    \(record.details.canonicalText), \(record.previousHash), \(record.hash)
                )
                RETURNING sequence, hash
            )
            UPDATE audit_head SET sequence = appended.sequence, hash = appended.hash FROM appended
            WHERE audit_head.singleton = 1
            """,
            logger: logger
        )
        return record
    }

    private static func fetchAuditHead(
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws
        -> AuditRecordSummary
    {
        let rows = try await connection.run(
            "SELECT sequence, hash FROM audit_head WHERE singleton = 1",
            logger: logger
        ).collect()
        guard let row = rows.first else { throw StoreError(.corrupt, "the audit head is missing") }
        let (sequence, hash) = try row.decode((Int64, String).self)
        return AuditRecordSummary(sequence: sequence, hash: hash)
    }

    private static func auditRecord(from row: PostgresRow) throws -> AuditRecord {
        let (sequence, at, actor, role, action, target, address, listVersion, details, previousHash, hash) =
            try row.decode(
                (Int64, Int64, String, String?, String, String?, String?, Int64, String, String, String).self
            )
        return try StoredAuditRow(
            sequence: sequence,
            atMilliseconds: at,
            actor: actor,
            role: role,
            action: action,
            target: target,
            address: address,
            listVersion: listVersion,
            details: details,
            previousHash: previousHash,
            hash: hash
        ).record()
    }
}

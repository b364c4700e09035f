public import CordonCore
public import CordonStore
import Foundation
import GRDB

extension SQLiteStore {
    /// One document, or nil.
    public func document(kind: EntityKind, id: String) async throws -> StoredDocument? {
        try await read("reading a document") { db in try Self.fetchDocument(db, kind: kind, id: id) }
    }

    /// A page of a collection in id order (bytewise), every filter matching one of a document's tags.
    ///
    /// The page and its ``DocumentPage/collectionVersion`` are read in one snapshot.
    public func documents(kind: EntityKind, query: DocumentQuery) async throws -> DocumentPage {
        // `limit` is a settable property: clamp it again.
        let limit = min(max(query.limit, 1), 1000)
        return try await read("reading a collection") { db in
            var sql: SQL = """
                SELECT kind, id, revision, body, created_at_ms, updated_at_ms FROM documents
                WHERE kind = \(kind.rawValue)
                """
            if let after = query.after { sql += " AND id > \(after)" }
            for filter in query.filters {
                sql += """
                     AND EXISTS (SELECT 1 FROM document_tags AS t
                    WHERE t.kind = documents.kind AND t.id = documents.id AND t.key = \(filter.key) \
                    AND t.value = \(filter.value))
                    """
            }
            sql += " ORDER BY id LIMIT \(limit + 1)"
            var documents = try SQLRequest<Row>(literal: sql).fetchAll(db).map(Self.document(from:))
            var nextCursor: String?
            if documents.count > limit {
                documents.removeLast(documents.count - limit)
                nextCursor = documents.last?.id
            }
            return DocumentPage(
                documents: documents,
                nextCursor: nextCursor,
                collectionVersion: try Self.fetchCollectionVersion(db, kind: kind)
            )
        }
    }

    /// Every document of a collection, in id order.
    public func allDocuments(kind: EntityKind) async throws -> [StoredDocument] {
        try await read("reading a collection") { db in
            try SQLRequest<Row>(
                literal: """
                    SELECT kind, id, revision, body, created_at_ms, updated_at_ms FROM documents
                    WHERE kind = \(kind.rawValue) ORDER BY id
                    """
            ).fetchAll(db).map(Self.document(from:))
        }
    }

    /// The collection's version: 0 before its first write, then one more for each transaction that writes to it.
    public func collectionVersion(kind: EntityKind) async throws -> Int64 {
        try await read("reading a collection version") { db in try Self.fetchCollectionVersion(db, kind: kind) }
    }

    /// The wanted list's version: 0 at first, then one more for each transaction that writes a screened kind.
    public func listVersion() async throws -> Int64 {
        try await read("reading the list version") { db in try Self.fetchListVersion(db) }
    }

    /// Applies writes in order and appends their audit record, in one transaction: all or nothing.
    ///
    /// Each kind written gets one new collection version; the list version moves once if any kind in
    /// ``EntityKind/screened`` was written. Documents and the record carry the same time from the clock.
    ///
    /// - Throws: ``StoreError`` `conflict` (a create over an existing id, a revision mismatch),
    ///   `notFound` (a replace or delete of nothing), `constraint` (a value the schema refuses).
    public func apply(_ writes: [DocumentWrite], audit: AuditRecord.Draft) async throws -> WriteReceipt {
        let now = now
        return try await write("writing documents") { db in
            let at = Milliseconds(clock: now())
            var order: [DocumentKey] = []
            var stored: [DocumentKey: StoredDocument] = [:]
            var kinds: [EntityKind] = []
            for write in writes {
                let key = DocumentKey(kind: write.kind, id: write.id)
                // The first write of a key sets its place in the receipt (a set lookup, not a scan:
                // batches of deliveries run to tens of thousands of writes).
                if stored[key] == nil { order.append(key) }
                if !kinds.contains(write.kind) { kinds.append(write.kind) }
                stored[key] = try Self.apply(write, at: at, in: db)
            }
            for kind in kinds {
                try db.execute(
                    literal: """
                        INSERT INTO collection_versions (kind, version) VALUES (\(kind.rawValue), 1)
                        ON CONFLICT (kind) DO UPDATE SET version = version + 1
                        """
                )
            }
            if kinds.contains(where: EntityKind.screened.contains) {
                try db.execute(sql: "UPDATE list_version SET version = version + 1 WHERE singleton = 1")
            }
            let record = try Self.appendAudit(audit, at: at, in: db)
            return WriteReceipt(
                documents: order.compactMap { stored[$0] },
                audit: AuditRecordSummary(sequence: record.sequence, hash: record.hash),
                listVersion: record.listVersion
            )
        }
    }

    // MARK: Inside a transaction

    /// A document's identity within a batch.
    private struct DocumentKey: Hashable {
        var kind: EntityKind
        var id: String
    }

    /// Applies one write after checking its condition.
    ///
    /// - Returns: the document as stored, or nil when it was deleted.
    private static func apply(_ write: DocumentWrite, at: Milliseconds, in db: Database) throws -> StoredDocument? {
        let existing = try fetchDocument(db, kind: write.kind, id: write.id)
        let name = "\(write.kind)/\(write.id)"
        switch write.operation {
        case .create:
            if existing != nil { throw StoreError(.conflict, "\(name) exists already") }
            return try insert(write, at: at, in: db)
        case .upsert:
            guard let existing else { return try insert(write, at: at, in: db) }
            return try replace(existing, with: write, at: at, in: db)
        case .replace(let expectedRevision):
            let existing = try DocumentWrite.checkCondition(existing, name: name, expectedRevision: expectedRevision)
            return try replace(existing, with: write, at: at, in: db)
        case .delete(let expectedRevision):
            _ = try DocumentWrite.checkCondition(existing, name: name, expectedRevision: expectedRevision)
            try db.cachedStatement(sql: "DELETE FROM documents WHERE kind = ? AND id = ?")
                .execute(arguments: [write.kind.rawValue, write.id])
            return nil
        }
    }

    private static func insert(_ write: DocumentWrite, at: Milliseconds, in db: Database) throws -> StoredDocument {
        // Cached statements: a batch of deliveries writes the same few statements tens of thousands of times.
        try db.cachedStatement(
            sql: """
                INSERT INTO documents (kind, id, revision, body, created_at_ms, updated_at_ms)
                VALUES (?, ?, 1, ?, ?, ?)
                """
        ).execute(arguments: [write.kind.rawValue, write.id, write.body, at.value, at.value])
        try insertTags(write, in: db)
        return write.stored(revision: 1, createdAt: at.date, updatedAt: at.date)
    }

    private static func replace(
        _ existing: StoredDocument,
        with write: DocumentWrite,
        at: Milliseconds,
        in db: Database
    ) throws -> StoredDocument {
        let revision = existing.revision + 1
        try db.cachedStatement(
            sql: "UPDATE documents SET revision = ?, body = ?, updated_at_ms = ? WHERE kind = ? AND id = ?"
        ).execute(arguments: [revision, write.body, at.value, write.kind.rawValue, write.id])
        try db.cachedStatement(sql: "DELETE FROM document_tags WHERE kind = ? AND id = ?")
            .execute(arguments: [write.kind.rawValue, write.id])
        try insertTags(write, in: db)
        return write.stored(revision: revision, createdAt: existing.createdAt, updatedAt: at.date)
    }

    /// Inserts a write's tags, each distinct pair once.
    private static func insertTags(_ write: DocumentWrite, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO document_tags (kind, id, key, value) VALUES (?, ?, ?, ?)"
        )
        for tag in Set(write.tags) {
            try statement.execute(arguments: [write.kind.rawValue, write.id, tag.key, tag.value])
        }
    }

    static func fetchDocument(_ db: Database, kind: EntityKind, id: String) throws -> StoredDocument? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT kind, id, revision, body, created_at_ms, updated_at_ms FROM documents
                WHERE kind = ? AND id = ?
                """
        )
        return try Row.fetchOne(statement, arguments: [kind.rawValue, id]).map(document(from:))
    }

    static func fetchCollectionVersion(_ db: Database, kind: EntityKind) throws -> Int64 {
        try SQLRequest<Int64>(literal: "SELECT version FROM collection_versions WHERE kind = \(kind.rawValue)")
            .fetchOne(db) ?? 0
    }

    static func fetchListVersion(_ db: Database) throws -> Int64 {
        guard let version = try Int64.fetchOne(db, sql: "SELECT version FROM list_version WHERE singleton = 1") else {
            throw StoreError(.corrupt, "the list version is missing")
        }
        return version
    }

    private static func document(from row: Row) throws -> StoredDocument {
        StoredDocument(
            kind: EntityKind(try row.decode(forColumn: "kind")),
            id: try row.decode(forColumn: "id"),
            revision: try row.decode(forColumn: "revision"),
            body: try row.decode(forColumn: "body"),
            createdAt: Milliseconds(try row.decode(forColumn: "created_at_ms")).date,
            updatedAt: Milliseconds(try row.decode(forColumn: "updated_at_ms")).date
        )
    }
}

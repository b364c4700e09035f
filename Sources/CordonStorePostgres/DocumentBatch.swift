import CordonStore
import Foundation
import Logging
import PostgresNIO

/// The writes of one ``PostgresStore/apply(_:audit:)`` call: each write's condition is checked against
/// the documents as the batch has left them so far, in memory, and the outcome is written by ``flush``
/// in four statements whatever the number of documents (their rows deleted, upserted, their tags
/// replaced), inside the caller's transaction.
struct DocumentBatch {
    /// A document's identity within a batch.
    struct Key: Hashable {
        var kind: EntityKind
        var id: String
    }

    /// Each touched document as it stands now (absent: it does not exist).
    private(set) var current: [Key: StoredDocument] = [:]
    /// The documents that were in the database when the batch began: only they have rows and tags to
    /// replace or delete.
    private var stored: Set<Key> = []
    /// The tags of each document written, as the last write gave them.
    private var tags: [Key: [DocumentTag]] = [:]
    /// The keys in the order first written: the receipt's order.
    private(set) var order: [Key] = []
    private var seen: Set<Key> = []

    /// Takes a document as the database holds it before the batch.
    mutating func load(_ document: StoredDocument) {
        let key = Key(kind: document.kind, id: document.id)
        current[key] = document
        stored.insert(key)
    }

    /// Checks a write's condition and applies it to the batch.
    ///
    /// - Throws: ``StoreError`` as ``PostgresStore/apply(_:audit:)`` documents.
    mutating func apply(_ write: DocumentWrite, at: Milliseconds) throws {
        let key = Key(kind: write.kind, id: write.id)
        if seen.insert(key).inserted { order.append(key) }
        let existing = current[key]
        let name = "\(write.kind)/\(write.id)"
        switch write.operation {
        case .create:
            if existing != nil { throw StoreError(.conflict, "\(name) exists already") }
            current[key] = write.stored(revision: 1, createdAt: at.date, updatedAt: at.date)
        case .upsert:
            current[key] = write.stored(
                revision: (existing?.revision ?? 0) + 1,
                createdAt: existing?.createdAt ?? at.date,
                updatedAt: at.date
            )
        case .replace(let expectedRevision):
            let existing = try DocumentWrite.checkCondition(existing, name: name, expectedRevision: expectedRevision)
            current[key] = write.stored(
                revision: existing.revision + 1,
                createdAt: existing.createdAt,
                updatedAt: at.date
            )
        case .delete(let expectedRevision):
            _ = try DocumentWrite.checkCondition(existing, name: name, expectedRevision: expectedRevision)
            current[key] = nil
        }
        tags[key] = current[key] == nil ? nil : Array(Set(write.tags))
    }

    /// Writes what the batch left of every document it touched: the ones gone deleted, the others
    /// inserted or replaced whole (a document deleted and made again in one batch starts over, creation
    /// time included), and their tags replaced.
    func flush(connection: PostgresConnection, logger: Logger) async throws {
        guard !order.isEmpty else { return }
        // The tags of every document that was there go; those still there get their new ones back.
        let replaced = order.filter(stored.contains)
        if !replaced.isEmpty {
            try await connection.run(
                """
                DELETE FROM document_tags AS tag
                USING unnest(\(replaced.map(\.kind.rawValue))::text[], \(replaced.map(\.id))::text[]) AS old (kind, id)
                WHERE tag.kind = old.kind AND tag.id = old.id
                """,
                logger: logger
            )
        }
        let gone = replaced.filter { current[$0] == nil }
        if !gone.isEmpty {
            try await connection.run(
                """
                DELETE FROM documents AS document
                USING unnest(\(gone.map(\.kind.rawValue))::text[], \(gone.map(\.id))::text[]) AS gone (kind, id)
                WHERE document.kind = gone.kind AND document.id = gone.id
                """,
                logger: logger
            )
        }
        let kept = order.compactMap { current[$0] }
        guard !kept.isEmpty else { return }
        try await connection.run(
            """
            INSERT INTO documents (kind, id, revision, body, created_at_ms, updated_at_ms)
            SELECT * FROM unnest(
                \(kept.map(\.kind.rawValue))::text[], \(kept.map(\.id))::text[], \(kept.map(\.revision))::bigint[],
                \(kept.map { ByteBuffer(bytes: $0.body) })::bytea[],
                \(kept.map { Milliseconds(date: $0.createdAt).value })::bigint[],
                \(kept.map { Milliseconds(date: $0.updatedAt).value })::bigint[]
            )
            ON CONFLICT (kind, id) DO UPDATE
            SET revision = EXCLUDED.revision, body = EXCLUDED.body, created_at_ms = EXCLUDED.created_at_ms,
                updated_at_ms = EXCLUDED.updated_at_ms
            """,
            logger: logger
        )
        var tagKinds: [String] = []
        var tagIDs: [String] = []
        var tagKeys: [String] = []
        var tagValues: [String] = []
        for key in order where current[key] != nil {
            for tag in tags[key] ?? [] {
                tagKinds.append(key.kind.rawValue)
                tagIDs.append(key.id)
                tagKeys.append(tag.key)
                tagValues.append(tag.value)
            }
        }
        guard !tagKinds.isEmpty else { return }
        try await connection.run(
            """
            INSERT INTO document_tags (kind, id, key, value)
            SELECT * FROM unnest(\(tagKinds)::text[], \(tagIDs)::text[], \(tagKeys)::text[], \(tagValues)::text[])
            """,
            logger: logger
        )
    }
}

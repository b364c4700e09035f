import CordonStore
import Foundation
import Logging
import PostgresNIO

/// The writes of one ``PostgresStore/apply(_:audit:)`` call, checked against the documents as the
/// batch has left them so far and sent one statement at a time inside the caller's transaction.
struct DocumentBatch {
    /// A document's identity within a batch.
    struct Key: Hashable {
        var kind: EntityKind
        var id: String
    }

    /// Each touched document as it stands now (absent: it does not exist).
    var current: [Key: StoredDocument] = [:]
    /// The keys in the order first written: the receipt's order.
    private(set) var order: [Key] = []
    private var seen: Set<Key> = []

    /// Checks a write's condition and applies it.
    ///
    /// - Throws: ``StoreError`` as ``PostgresStore/apply(_:audit:)`` documents.
    mutating func apply(
        _ write: DocumentWrite,
        at: Milliseconds,
        connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let key = Key(kind: write.kind, id: write.id)
        if seen.insert(key).inserted { order.append(key) }
        let existing = current[key]
        let name = "\(write.kind)/\(write.id)"
        switch write.operation {
        case .create:
            if existing != nil { throw StoreError(.conflict, "\(name) exists already") }
            current[key] = try await Self.insert(write, at: at, connection: connection, logger: logger)
        case .upsert:
            if let existing {
                current[key] = try await Self.replace(
                    existing,
                    with: write,
                    at: at,
                    connection: connection,
                    logger: logger
                )
            } else {
                current[key] = try await Self.insert(write, at: at, connection: connection, logger: logger)
            }
        case .replace(let expectedRevision):
            let existing = try DocumentWrite.checkCondition(existing, name: name, expectedRevision: expectedRevision)
            current[key] = try await Self.replace(existing, with: write, at: at, connection: connection, logger: logger)
        case .delete(let expectedRevision):
            _ = try DocumentWrite.checkCondition(existing, name: name, expectedRevision: expectedRevision)
            try await connection.run(
                "DELETE FROM documents WHERE kind = \(write.kind.rawValue) AND id = \(write.id)",
                logger: logger
            )
            current[key] = nil
        }
    }

    private static func insert(
        _ write: DocumentWrite,
        at: Milliseconds,
        connection: PostgresConnection,
        logger: Logger
    ) async throws -> StoredDocument {
        try await connection.run(
            """
            INSERT INTO documents (kind, id, revision, body, created_at_ms, updated_at_ms)
            VALUES (\(write.kind.rawValue), \(write.id), 1, \(write.body), \(at.value), \(at.value))
            """,
            logger: logger
        )
        try await insertTags(write, connection: connection, logger: logger)
        return write.stored(revision: 1, createdAt: at.date, updatedAt: at.date)
    }

    private static func replace(
        _ existing: StoredDocument,
        with write: DocumentWrite,
        at: Milliseconds,
        connection: PostgresConnection,
        logger: Logger
    ) async throws -> StoredDocument {
        let revision = existing.revision + 1
        try await connection.run(
            """
            UPDATE documents SET revision = \(revision), body = \(write.body), updated_at_ms = \(at.value)
            WHERE kind = \(write.kind.rawValue) AND id = \(write.id)
            """,
            logger: logger
        )
        try await connection.run(
            "DELETE FROM document_tags WHERE kind = \(write.kind.rawValue) AND id = \(write.id)",
            logger: logger
        )
        try await insertTags(write, connection: connection, logger: logger)
        return write.stored(revision: revision, createdAt: existing.createdAt, updatedAt: at.date)
    }

    /// Inserts a write's tags, each distinct pair once, in one statement.
    private static func insertTags(_ write: DocumentWrite, connection: PostgresConnection, logger: Logger) async throws
    {
        let tags = Array(Set(write.tags))
        guard !tags.isEmpty else { return }
        try await connection.run(
            """
            INSERT INTO document_tags (kind, id, key, value)
            SELECT \(write.kind.rawValue), \(write.id), tag.key, tag.value
            FROM unnest(\(tags.map(\.key))::text[], \(tags.map(\.value))::text[]) AS tag (key, value)
            """,
            logger: logger
        )
    }
}

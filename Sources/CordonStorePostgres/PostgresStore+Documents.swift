public import CordonCore
public import CordonStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// One document, or nil.
    public func document(kind: EntityKind, id: String) async throws -> StoredDocument? {
        try await session("reading a document") { connection in
            try await Self.fetchDocuments(connection, kind: kind, ids: [id], logger: self.logger)[id]
        }
    }

    /// A page of a collection in id order (bytewise), every filter matching one of a document's tags.
    ///
    /// The page and its ``DocumentPage/collectionVersion`` are read in one snapshot.
    public func documents(kind: EntityKind, query: DocumentQuery) async throws -> DocumentPage {
        // `limit` is a settable property: clamp it again.
        let limit = min(max(query.limit, 1), 1000)
        var bindings = PostgresBindings()
        bindings.append(kind.rawValue)
        var sql = "SELECT \(Self.documentColumns) FROM documents WHERE kind = $1"
        if let after = query.after {
            bindings.append(after)
            sql += " AND id > $\(bindings.count)"
        }
        for filter in query.filters {
            bindings.append(filter.key)
            bindings.append(filter.value)
            sql += """
                 AND EXISTS (SELECT 1 FROM document_tags AS t WHERE t.kind = documents.kind AND t.id = documents.id \
                AND t.key = $\(bindings.count - 1) AND t.value = $\(bindings.count))
                """
        }
        bindings.append(limit + 1)
        sql += " ORDER BY id LIMIT $\(bindings.count)"
        let statement = PostgresQuery(unsafeSQL: sql, binds: bindings)
        return try await read("reading a collection") { connection in
            var documents = try await connection.run(statement, logger: self.logger).collect()
                .map(Self.document(from:))
            var nextCursor: String?
            if documents.count > limit {
                documents.removeLast(documents.count - limit)
                nextCursor = documents.last?.id
            }
            return DocumentPage(
                documents: documents,
                nextCursor: nextCursor,
                collectionVersion: try await Self.fetchCollectionVersion(connection, kind: kind, logger: self.logger)
            )
        }
    }

    /// Every document of a collection, in id order.
    public func allDocuments(kind: EntityKind) async throws -> [StoredDocument] {
        try await session("reading a collection") { connection in
            try await connection.run(
                "SELECT \(unescaped: Self.documentColumns) FROM documents WHERE kind = \(kind.rawValue) ORDER BY id",
                logger: self.logger
            ).collect().map(Self.document(from:))
        }
    }

    /// The collection's version: 0 before its first write, then one more for each transaction that writes to it.
    public func collectionVersion(kind: EntityKind) async throws -> Int64 {
        try await session("reading a collection version") { connection in
            try await Self.fetchCollectionVersion(connection, kind: kind, logger: self.logger)
        }
    }

    /// The wanted list's version: 0 at first, then one more for each transaction that writes a screened kind.
    public func listVersion() async throws -> Int64 {
        try await session("reading the list version") { connection in
            try await Self.fetchListVersion(connection, logger: self.logger)
        }
    }

    /// Applies writes in order and appends their audit record, in one transaction: all or nothing.
    ///
    /// The documents a batch touches are read in one query per kind; each write is then one statement
    /// (two or three with tags). Each kind written gets one new collection version; the list version moves
    /// once if any kind in ``EntityKind/screened`` was written. Documents and the record carry the same time.
    ///
    /// - Throws: ``StoreError`` `conflict` (a create over an existing id, a revision mismatch),
    ///   `notFound` (a replace or delete of nothing), `constraint` (a value the schema refuses).
    public func apply(_ writes: [DocumentWrite], audit: AuditRecord.Draft) async throws -> WriteReceipt {
        try await write("writing documents") { connection, head in
            let at = Milliseconds(clock: self.now())
            var batch = DocumentBatch()
            for kind in Self.kinds(of: writes) {
                let ids = Array(Set(writes.lazy.filter { $0.kind == kind }.map(\.id)))
                for (_, document) in try await Self.fetchDocuments(
                    connection,
                    kind: kind,
                    ids: ids,
                    logger: self.logger
                ) {
                    batch.load(document)
                }
            }
            for write in writes { try batch.apply(write, at: at) }
            try await batch.flush(connection: connection, logger: self.logger)
            let kinds = Self.kinds(of: writes)
            if !kinds.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO collection_versions (kind, version)
                    SELECT kind, 1 FROM unnest(\(kinds.map(\.rawValue))::text[]) AS kind
                    ON CONFLICT (kind) DO UPDATE SET version = collection_versions.version + 1
                    """,
                    logger: self.logger
                )
            }
            var position = head
            if kinds.contains(where: EntityKind.screened.contains) {
                let moved = try await connection.run(
                    "UPDATE list_version SET version = version + 1 WHERE singleton = 1 RETURNING version",
                    logger: self.logger
                ).collect()
                position.listVersion = try moved.first?.decode(Int64.self) ?? position.listVersion + 1
            }
            let record = try await Self.appendAudit(audit, at: at, after: position, in: connection, logger: self.logger)
            return WriteReceipt(
                documents: batch.order.compactMap { batch.current[$0] },
                audit: AuditRecordSummary(sequence: record.sequence, hash: record.hash),
                listVersion: record.listVersion
            )
        }
    }

    // MARK: Inside a transaction

    /// The kinds a batch writes, in the order first written.
    private static func kinds(of writes: [DocumentWrite]) -> [EntityKind] {
        var kinds: [EntityKind] = []
        for write in writes where !kinds.contains(write.kind) { kinds.append(write.kind) }
        return kinds
    }

    static let documentColumns = "kind, id, revision, body, created_at_ms, updated_at_ms"

    /// The documents of `kind` among `ids`, by id.
    static func fetchDocuments(
        _ connection: PostgresConnection,
        kind: EntityKind,
        ids: [String],
        logger: Logger
    ) async throws -> [String: StoredDocument] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.run(
            """
            SELECT \(unescaped: documentColumns) FROM documents WHERE kind = \(kind.rawValue) AND id = ANY(\(ids))
            """,
            logger: logger
        ).collect()
        var documents: [String: StoredDocument] = [:]
        for row in rows {
            let document = try document(from: row)
            documents[document.id] = document
        }
        return documents
    }

    static func fetchCollectionVersion(
        _ connection: PostgresConnection,
        kind: EntityKind,
        logger: Logger
    ) async throws -> Int64 {
        try await connection.run(
            "SELECT version FROM collection_versions WHERE kind = \(kind.rawValue)",
            logger: logger
        ).collect().first?.decode(Int64.self) ?? 0
    }

    static func fetchListVersion(_ connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        guard
            let version = try await connection.run(
                "SELECT version FROM list_version WHERE singleton = 1",
                logger: logger
            ).collect().first?.decode(Int64.self)
        else {
            throw StoreError(.corrupt, "the list version is missing")
        }
        return version
    }

    static func document(from row: PostgresRow) throws -> StoredDocument {
        let (kind, id, revision, body, createdAt, updatedAt) = try row.decode(
            (String, String, Int64, Data, Int64, Int64).self
        )
        return StoredDocument(
            kind: EntityKind(kind),
            id: id,
            revision: revision,
            body: body,
            createdAt: Milliseconds(createdAt).date,
            updatedAt: Milliseconds(updatedAt).date
        )
    }
}

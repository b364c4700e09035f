public import CordonCore
public import Foundation

/// A model type the store keeps as a document.
public protocol StoredEntity: Codable, Sendable {
    /// The collection it lives in.
    static var entityKind: EntityKind { get }
    /// Its document id.
    var storageID: String { get }
    /// The values its collection can be filtered on.
    var tags: [DocumentTag] { get }
}

/// An entity read from a store, with its revision and timestamps.
public struct Versioned<Entity: StoredEntity>: Sendable {
    public let entity: Entity
    public let revision: Int64
    public let createdAt: Date
    public let updatedAt: Date

    public init(entity: Entity, revision: Int64, createdAt: Date, updatedAt: Date) {
        self.entity = entity
        self.revision = revision
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A page of typed entities.
public struct VersionedPage<Entity: StoredEntity>: Sendable {
    public let items: [Versioned<Entity>]
    public let nextCursor: String?
    public let collectionVersion: Int64
}

extension Store {
    /// One entity by id, decoded, or nil.
    ///
    /// - Throws: ``StoreError`` `corrupt` when the stored JSON no longer decodes.
    public func entity<E: StoredEntity>(_ type: E.Type, id: String) async throws -> Versioned<E>? {
        guard let document = try await document(kind: E.entityKind, id: id) else { return nil }
        return try Self.decode(document)
    }

    /// A page of entities, decoded.
    public func entities<E: StoredEntity>(
        _ type: E.Type,
        query: DocumentQuery = DocumentQuery()
    ) async throws
        -> VersionedPage<E>
    {
        let page = try await documents(kind: E.entityKind, query: query)
        return VersionedPage(
            items: try page.documents.map(Self.decode),
            nextCursor: page.nextCursor,
            collectionVersion: page.collectionVersion
        )
    }

    /// Every entity of a type, decoded.
    public func allEntities<E: StoredEntity>(_ type: E.Type) async throws -> [E] {
        try await allDocuments(kind: E.entityKind).map { try Self.decode($0).entity as E }
    }

    /// Writes one entity with its audit record.
    ///
    /// - Returns: the entity as stored, with its new revision.
    public func save<E: StoredEntity>(
        _ entity: E,
        operation: DocumentWrite.Operation,
        audit: AuditRecord.Draft
    ) async throws -> Versioned<E> {
        let receipt = try await apply([Self.write(entity, operation: operation)], audit: audit)
        guard let document = receipt.documents.first else {
            throw StoreError(.corrupt, "the store returned no document for a write")
        }
        return try Self.decode(document)
    }

    /// Deletes one entity with its audit record.
    public func delete<E: StoredEntity>(
        _ type: E.Type,
        id: String,
        expectedRevision: Int64? = nil,
        audit: AuditRecord.Draft
    ) async throws {
        _ = try await apply(
            [DocumentWrite(kind: E.entityKind, id: id, operation: .delete(expectedRevision: expectedRevision))],
            audit: audit
        )
    }

    /// The document write for an entity.
    public static func write<E: StoredEntity>(_ entity: E, operation: DocumentWrite.Operation) throws -> DocumentWrite {
        DocumentWrite(
            kind: E.entityKind,
            id: entity.storageID,
            operation: operation,
            body: try JSONEncoder.cordon().encode(entity),
            tags: entity.tags
        )
    }

    /// Decodes a stored document.
    public static func decode<E: StoredEntity>(_ document: StoredDocument) throws -> Versioned<E> {
        do {
            let entity = try JSONDecoder.cordon(context: .structural).decode(E.self, from: document.body)
            return Versioned(
                entity: entity,
                revision: document.revision,
                createdAt: document.createdAt,
                updatedAt: document.updatedAt
            )
        } catch {
            throw StoreError(
                .corrupt,
                "\(document.kind)/\(document.id) cannot be read back",
                underlying: SendableError(error)
            )
        }
    }
}

/// A non-`Sendable` error's description, carried where a `Sendable` error is needed.
public struct SendableError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ error: any Error) {
        description = String(reflecting: error)
    }
}

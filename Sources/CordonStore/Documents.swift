public import Foundation

/// The kinds of entity a store keeps. Each has its own collection and version counter.
public struct EntityKind: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The collection's name, also its path segment in the API (`persons`).
    public let rawValue: String

    /// Creates a kind; only the constants below are used.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let person = EntityKind("persons")
    public static let organization = EntityKind("organizations")
    public static let relation = EntityKind("relations")
    public static let vehicle = EntityKind("vehicles")
    public static let facility = EntityKind("facilities")
    public static let checkpoint = EntityKind("checkpoints")
    public static let staff = EntityKind("staff")
    public static let incident = EntityKind("incidents")
    public static let alert = EntityKind("alerts")
    public static let sighting = EntityKind("sightings")
    public static let event = EntityKind("events")
    public static let custody = EntityKind("custody")
    public static let delivery = EntityKind("deliveries")
    public static let alertMessage = EntityKind("alert_messages")
    public static let checkIn = EntityKind("check_ins")
    public static let postCredential = EntityKind("post_credentials")
    /// The files of the signed wanted-list repository (TUF metadata and targets), by served path.
    public static let listFile = EntityKind("list_files")
    public static let credential = EntityKind("credentials")
    /// Past screenings that would alert now, found by looking back when the list changes.
    public static let lead = EntityKind("leads")
    /// How far looking back has come: one document, read back when a node starts looking back.
    public static let lookBack = EntityKind("look_back")

    /// Every kind.
    public static let all: [EntityKind] = [
        .person, .organization, .relation, .vehicle, .facility, .checkpoint, .staff, .incident, .alert, .sighting,
        .event, .custody, .delivery, .alertMessage, .checkIn,
        .postCredential, .listFile, .credential, .lead, .lookBack,
    ]

    /// The kinds whose changes change the wanted list that screening runs against.
    public static let screened: Set<EntityKind> = [.person, .organization, .vehicle]

    public var description: String { rawValue }
}

/// A value a list can be filtered on: `status=at_large`, `nationality=TJ`.
public struct DocumentTag: Sendable, Hashable, Codable {
    public let key: String
    public let value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// A stored entity as JSON, with its revision and timestamps.
public struct StoredDocument: Sendable, Hashable {
    public let kind: EntityKind
    public let id: String
    /// Counts the writes to this entity, from 1.
    public let revision: Int64
    /// The entity as JSON (Cordon's own encoding).
    public let body: Data
    public let createdAt: Date
    public let updatedAt: Date

    public init(kind: EntityKind, id: String, revision: Int64, body: Data, createdAt: Date, updatedAt: Date) {
        self.kind = kind
        self.id = id
        self.revision = revision
        self.body = body
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One change to a document, applied with others in a single transaction.
public struct DocumentWrite: Sendable, Hashable {
    /// What to do and on what condition.
    public enum Operation: Sendable, Hashable {
        /// Insert; fails with ``StoreError/Code/conflict`` if the id exists.
        case create
        /// Replace; fails with ``StoreError/Code/notFound`` if absent, or ``StoreError/Code/conflict`` if the
        /// revision is not `expectedRevision` (when given).
        case replace(expectedRevision: Int64?)
        /// Insert or replace, whatever is there.
        case upsert
        /// Delete; fails like ``replace(expectedRevision:)``.
        case delete(expectedRevision: Int64?)
    }

    public let kind: EntityKind
    public let id: String
    public let operation: Operation
    /// The new JSON; ignored for deletes.
    public let body: Data
    /// The values the collection can be filtered on.
    public let tags: [DocumentTag]

    public init(kind: EntityKind, id: String, operation: Operation, body: Data = Data(), tags: [DocumentTag] = []) {
        self.kind = kind
        self.id = id
        self.operation = operation
        self.body = body
        self.tags = tags
    }
}

/// What a list request asks for: keyset pagination and tag filters.
public struct DocumentQuery: Sendable, Hashable {
    /// Return documents whose id sorts after this one (the previous page's cursor).
    public var after: String?
    /// At most this many, 1–1000.
    public var limit: Int
    /// Every filter must match one of the document's tags.
    public var filters: [DocumentTag]

    public init(after: String? = nil, limit: Int = 100, filters: [DocumentTag] = []) {
        self.after = after
        self.limit = min(max(limit, 1), 1000)
        self.filters = filters
    }
}

/// One page of a collection.
public struct DocumentPage: Sendable, Hashable {
    public let documents: [StoredDocument]
    /// The cursor for the next page, or nil at the end.
    public let nextCursor: String?
    /// The collection's version when the page was read (for `ETag`s).
    public let collectionVersion: Int64

    public init(documents: [StoredDocument], nextCursor: String?, collectionVersion: Int64) {
        self.documents = documents
        self.nextCursor = nextCursor
        self.collectionVersion = collectionVersion
    }
}

/// What a transaction of writes produced.
public struct WriteReceipt: Sendable, Hashable {
    /// The documents as stored after the write (deleted ones are absent).
    public let documents: [StoredDocument]
    /// The audit record written in the same transaction.
    public let audit: AuditRecordSummary
    /// The wanted list's version after the write.
    public let listVersion: Int64

    public init(documents: [StoredDocument], audit: AuditRecordSummary, listVersion: Int64) {
        self.documents = documents
        self.audit = audit
        self.listVersion = listVersion
    }
}

/// The position of an audit record, returned with writes.
public struct AuditRecordSummary: Sendable, Hashable {
    public let sequence: Int64
    public let hash: String

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}

extension DocumentWrite {
    /// The existing document, when it exists and has the expected revision: the condition of a replace or
    /// delete, judged the same way by every back end.
    ///
    /// - Throws: ``StoreError`` `notFound` when there is none, `conflict` when its revision is another.
    package static func checkCondition(
        _ existing: StoredDocument?,
        name: String,
        expectedRevision: Int64?
    ) throws -> StoredDocument {
        guard let existing else { throw StoreError(.notFound, "\(name) does not exist") }
        if let expectedRevision, expectedRevision != existing.revision {
            throw StoreError(
                .conflict,
                "\(name) is at revision \(existing.revision), not \(expectedRevision): it changed since it was read"
            )
        }
        return existing
    }
}

extension DocumentWrite {
    /// The document this write leaves stored, as every back end answers it in a receipt.
    package func stored(revision: Int64, createdAt: Date, updatedAt: Date) -> StoredDocument {
        StoredDocument(
            kind: kind,
            id: id,
            revision: revision,
            body: body,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }
}

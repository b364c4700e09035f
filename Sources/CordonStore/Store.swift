public import CordonCore
public import Foundation

/// Durable storage for Cordon: entities as JSON documents, accounts, tokens and the audit log.
///
/// Every method is one transaction. A write that returns has been committed durably, and its audit
/// record was written in the same transaction, so there is never a change without its record or a
/// record without its change. Back ends (SQLite, PostgreSQL) pass one contract suite.
///
/// The store keeps no Cordon semantics beyond documents, tags and counters: the typed layer
/// (``Store/entity(_:id:)`` and friends) encodes and decodes the model above it.
public protocol Store: Sendable {
    /// Creates or upgrades the schema. Safe to call on every start.
    func migrate() async throws

    // MARK: Documents

    /// One document, or nil.
    func document(kind: EntityKind, id: String) async throws -> StoredDocument?

    /// A page of a collection, in id order, filtered by tags.
    func documents(kind: EntityKind, query: DocumentQuery) async throws -> DocumentPage

    /// Every document of a collection, in id order (for building indexes and exports).
    func allDocuments(kind: EntityKind) async throws -> [StoredDocument]

    /// The collection's version: it changes on every write to the collection.
    func collectionVersion(kind: EntityKind) async throws -> Int64

    /// Applies writes and appends their audit record, all or nothing.
    ///
    /// - Throws: ``StoreError`` (`conflict`, `notFound`) when a write's condition fails; nothing is written then.
    func apply(_ writes: [DocumentWrite], audit: AuditRecord.Draft) async throws -> WriteReceipt

    /// The version of the wanted list: it changes with every write to a screened kind.
    func listVersion() async throws -> Int64

    // MARK: Audit

    /// Appends an audit record for something that wrote nothing else (a screening query, a login).
    func appendAudit(_ draft: AuditRecord.Draft) async throws -> AuditRecord

    /// Appends records for several things that wrote nothing else in one transaction, in the order
    /// given, each chained to the one before: a group commit of audited queries. All or none.
    func appendAudit(_ drafts: [AuditRecord.Draft]) async throws -> [AuditRecord]

    /// Records with sequence numbers above `sequence`, oldest first, at most `limit`.
    func auditRecords(after sequence: Int64, limit: Int) async throws -> [AuditRecord]

    /// The last record written, as the store remembers it apart from the log itself.
    func auditHead() async throws -> AuditRecordSummary?

    // MARK: Accounts and tokens

    /// Creates an account.
    ///
    /// - Throws: ``StoreError`` `conflict` when the username is taken.
    func createAccount(_ account: Account, audit: AuditRecord.Draft) async throws

    /// An account by name, or nil.
    func account(username: String) async throws -> Account?

    /// Every account, by name.
    func accounts() async throws -> [Account]

    /// Changes an account's password hash, role or disabled flag.
    func updateAccount(_ account: Account, audit: AuditRecord.Draft) async throws

    /// Stores a newly issued token.
    func insertToken(_ token: TokenRecord, audit: AuditRecord.Draft) async throws

    /// A token by its hash, or nil.
    func token(hash: String) async throws -> TokenRecord?

    /// Revokes a token; revoking twice is not an error.
    func revokeToken(hash: String, at: Date, audit: AuditRecord.Draft) async throws

    /// Revokes every token of an account.
    func revokeTokens(username: String, at: Date, audit: AuditRecord.Draft) async throws
}

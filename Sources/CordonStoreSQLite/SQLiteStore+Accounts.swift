public import CordonCore
public import CordonStore
public import Foundation
import GRDB

extension SQLiteStore {
    /// Creates an account and appends its audit record.
    ///
    /// - Throws: ``StoreError`` `conflict` when the username is taken, `constraint` when the schema refuses a value.
    public func createAccount(_ account: Account, audit: AuditRecord.Draft) async throws {
        let now = now
        try await write("creating an account") { db in
            if try Self.fetchAccount(db, username: account.username) != nil {
                throw StoreError(.conflict, "the username \(account.username) is taken")
            }
            try db.execute(
                literal: """
                    INSERT INTO accounts (username, role, password_hash, created_at_ms, is_disabled, serves)
                    VALUES (\(account.username), \(account.role.rawValue), \(account.passwordHash),
                        \(Milliseconds(date: account.createdAt).value), \(account.isDisabled), \(account.servesJSON))
                    """
            )
            _ = try Self.appendAudit(audit, at: Milliseconds(clock: now()), in: db)
        }
    }

    /// An account by name, or nil.
    public func account(username: String) async throws -> Account? {
        try await read("reading an account") { db in try Self.fetchAccount(db, username: username) }
    }

    /// Every account, by name.
    public func accounts() async throws -> [Account] {
        try await read("reading accounts") { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT username, role, password_hash, created_at_ms, is_disabled, serves FROM accounts ORDER BY username"
            ).map(Self.account(from:))
        }
    }

    /// Changes an account's password hash, role, disabled flag and the recipients it serves (not its creation
    /// time), with its audit record.
    ///
    /// - Throws: ``StoreError`` `notFound` when there is no such account.
    public func updateAccount(_ account: Account, audit: AuditRecord.Draft) async throws {
        let now = now
        try await write("updating an account") { db in
            try db.execute(
                literal: """
                    UPDATE accounts SET role = \(account.role.rawValue), password_hash = \(account.passwordHash),
                        is_disabled = \(account.isDisabled), serves = \(account.servesJSON)
                    WHERE username = \(account.username)
                    """
            )
            if db.changesCount == 0 { throw StoreError(.notFound, "there is no account \(account.username)") }
            _ = try Self.appendAudit(audit, at: Milliseconds(clock: now()), in: db)
        }
    }

    /// Stores a newly issued token with its audit record.
    ///
    /// - Throws: ``StoreError`` `constraint` when the account does not exist, `conflict` when the hash is stored.
    public func insertToken(_ token: TokenRecord, audit: AuditRecord.Draft) async throws {
        let now = now
        try await write("storing a token") { db in
            try db.execute(
                literal: """
                    INSERT INTO tokens (token_hash, username, issued_at_ms, expires_at_ms, revoked_at_ms)
                    VALUES (\(token.tokenHash), \(token.username), \(Milliseconds(date: token.issuedAt).value),
                        \(Milliseconds(date: token.expiresAt).value), \(token.revokedAt.map { Milliseconds(date: $0).value }))
                    """
            )
            _ = try Self.appendAudit(audit, at: Milliseconds(clock: now()), in: db)
        }
    }

    /// A token by its hash, or nil.
    public func token(hash: String) async throws -> TokenRecord? {
        try await read("reading a token") { db in
            try SQLRequest<Row>(
                literal: """
                    SELECT token_hash, username, issued_at_ms, expires_at_ms, revoked_at_ms FROM tokens
                    WHERE token_hash = \(hash)
                    """
            ).fetchOne(db).map { row in
                TokenRecord(
                    tokenHash: try row.decode(forColumn: "token_hash"),
                    username: try row.decode(forColumn: "username"),
                    issuedAt: Milliseconds(try row.decode(forColumn: "issued_at_ms")).date,
                    expiresAt: Milliseconds(try row.decode(forColumn: "expires_at_ms")).date,
                    revokedAt: (try row.decode(Int64?.self, forColumn: "revoked_at_ms")).map { Milliseconds($0).date }
                )
            }
        }
    }

    /// Revokes a token at `at`, with its audit record. A token revoked already keeps its first revocation time;
    /// an unknown hash changes nothing (but the attempt is still recorded).
    public func revokeToken(hash: String, at: Date, audit: AuditRecord.Draft) async throws {
        let now = now
        try await write("revoking a token") { db in
            try db.execute(
                literal: """
                    UPDATE tokens SET revoked_at_ms = \(Milliseconds(date: at).value)
                    WHERE token_hash = \(hash) AND revoked_at_ms IS NULL
                    """
            )
            _ = try Self.appendAudit(audit, at: Milliseconds(clock: now()), in: db)
        }
    }

    /// Revokes every unrevoked token of an account at `at`, with one audit record.
    public func revokeTokens(username: String, at: Date, audit: AuditRecord.Draft) async throws {
        let now = now
        try await write("revoking tokens") { db in
            try db.execute(
                literal: """
                    UPDATE tokens SET revoked_at_ms = \(Milliseconds(date: at).value)
                    WHERE username = \(username) AND revoked_at_ms IS NULL
                    """
            )
            _ = try Self.appendAudit(audit, at: Milliseconds(clock: now()), in: db)
        }
    }

    // MARK: Inside a transaction

    private static func fetchAccount(_ db: Database, username: String) throws -> Account? {
        try SQLRequest<Row>(
            literal: """
                SELECT username, role, password_hash, created_at_ms, is_disabled, serves FROM accounts
                WHERE username = \(username)
                """
        ).fetchOne(db).map(account(from:))
    }

    private static func account(from row: Row) throws -> Account {
        let username: String = try row.decode(forColumn: "username")
        guard let role = Role(rawValue: try row.decode(forColumn: "role")) else {
            throw StoreError(.corrupt, "the account \(username) has an unknown role")
        }
        return Account(
            username: username,
            role: role,
            passwordHash: try row.decode(forColumn: "password_hash"),
            createdAt: Milliseconds(try row.decode(forColumn: "created_at_ms")).date,
            isDisabled: try row.decode(forColumn: "is_disabled"),
            serves: Account.serves(json: try row.decode(forColumn: "serves"))
        )
    }
}

public import CordonCore
public import CordonStore
public import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Creates an account and appends its audit record.
    ///
    /// - Throws: ``StoreError`` `conflict` when the username is taken, `constraint` when the schema refuses a value.
    public func createAccount(_ account: Account, audit: AuditRecord.Draft) async throws {
        try await write("creating an account") { connection, head in
            if try await Self.fetchAccount(connection, username: account.username, logger: self.logger) != nil {
                throw StoreError(.conflict, "the username \(account.username) is taken")
            }
            try await connection.run(
                """
                INSERT INTO accounts (username, role, password_hash, created_at_ms, is_disabled, serves)
                VALUES (\(account.username), \(account.role.rawValue), \(account.passwordHash),
                    \(Milliseconds(date: account.createdAt).value), \(account.isDisabled), \(account.servesJSON)::jsonb)
                """,
                logger: self.logger
            )
            _ = try await self.appendAuditNow(audit, after: head, in: connection)
        }
    }

    /// An account by name, or nil.
    public func account(username: String) async throws -> Account? {
        try await session("reading an account") { connection in
            try await Self.fetchAccount(connection, username: username, logger: self.logger)
        }
    }

    /// Every account, by name.
    public func accounts() async throws -> [Account] {
        try await session("reading accounts") { connection in
            try await connection.run(
                "SELECT \(unescaped: Self.accountColumns) FROM accounts ORDER BY username",
                logger: self.logger
            ).collect().map(Self.account(from:))
        }
    }

    /// Changes an account's password hash, role, disabled flag and the recipients it serves (not its creation
    /// time), with its audit record.
    ///
    /// - Throws: ``StoreError`` `notFound` when there is no such account.
    public func updateAccount(_ account: Account, audit: AuditRecord.Draft) async throws {
        try await write("updating an account") { connection, head in
            let updated = try await connection.run(
                """
                UPDATE accounts SET role = \(account.role.rawValue), password_hash = \(account.passwordHash),
                    is_disabled = \(account.isDisabled), serves = \(account.servesJSON)::jsonb
                WHERE username = \(account.username)
                RETURNING username
                """,
                logger: self.logger
            ).collect()
            if updated.isEmpty { throw StoreError(.notFound, "there is no account \(account.username)") }
            _ = try await self.appendAuditNow(audit, after: head, in: connection)
        }
    }

    /// Stores a newly issued token with its audit record.
    ///
    /// - Throws: ``StoreError`` `constraint` when the account does not exist, `conflict` when the hash is stored.
    public func insertToken(_ token: TokenRecord, audit: AuditRecord.Draft) async throws {
        try await write("storing a token") { connection, head in
            try await connection.run(
                """
                INSERT INTO tokens (token_hash, username, issued_at_ms, expires_at_ms, revoked_at_ms)
                VALUES (\(token.tokenHash), \(token.username), \(Milliseconds(date: token.issuedAt).value),
                    \(Milliseconds(date: token.expiresAt).value), \(token.revokedAt.map { Milliseconds(date: $0).value }))
                """,
                logger: self.logger
            )
            _ = try await self.appendAuditNow(audit, after: head, in: connection)
        }
    }

    /// A token by its hash, or nil.
    public func token(hash: String) async throws -> TokenRecord? {
        try await session("reading a token") { connection in
            try await connection.run(
                """
                SELECT token_hash, username, issued_at_ms, expires_at_ms, revoked_at_ms FROM tokens
                WHERE token_hash = \(hash)
                """,
                logger: self.logger
            ).collect().first.map { row in
                let (tokenHash, username, issuedAt, expiresAt, revokedAt) = try row.decode(
                    (String, String, Int64, Int64, Int64?).self
                )
                return TokenRecord(
                    tokenHash: tokenHash,
                    username: username,
                    issuedAt: Milliseconds(issuedAt).date,
                    expiresAt: Milliseconds(expiresAt).date,
                    revokedAt: revokedAt.map { Milliseconds($0).date }
                )
            }
        }
    }

    /// Revokes a token at `at`, with its audit record. A token revoked already keeps its first revocation time;
    /// an unknown hash changes nothing (but the attempt is still recorded).
    public func revokeToken(hash: String, at: Date, audit: AuditRecord.Draft) async throws {
        try await revoke(where: "token_hash", is: hash, at: at, audit: audit, activity: "revoking a token")
    }

    /// Revokes every unrevoked token of an account at `at`, with one audit record.
    public func revokeTokens(username: String, at: Date, audit: AuditRecord.Draft) async throws {
        try await revoke(where: "username", is: username, at: at, audit: audit, activity: "revoking tokens")
    }

    // MARK: Inside a transaction

    private func revoke(
        where column: String,
        is value: String,
        at: Date,
        audit: AuditRecord.Draft,
        activity: String
    ) async throws {
        try await write(activity) { connection, head in
            try await connection.run(
                """
                UPDATE tokens SET revoked_at_ms = \(Milliseconds(date: at).value)
                WHERE \(unescaped: column) = \(value) AND revoked_at_ms IS NULL
                """,
                logger: self.logger
            )
            _ = try await self.appendAuditNow(audit, after: head, in: connection)
        }
    }

    private static let accountColumns = "username, role, password_hash, created_at_ms, is_disabled, serves::text"

    private static func fetchAccount(
        _ connection: PostgresConnection,
        username: String,
        logger: Logger
    )
        async throws -> Account?
    {
        try await connection.run(
            "SELECT \(unescaped: accountColumns) FROM accounts WHERE username = \(username)",
            logger: logger
        ).collect().first.map(account(from:))
    }

    private static func account(from row: PostgresRow) throws -> Account {
        let (username, roleName, passwordHash, createdAt, isDisabled, serves) = try row.decode(
            (String, String, String, Int64, Bool, String).self
        )
        guard let role = Role(rawValue: roleName) else {
            throw StoreError(.corrupt, "the account \(username) has an unknown role")
        }
        return Account(
            username: username,
            role: role,
            passwordHash: passwordHash,
            createdAt: Milliseconds(createdAt).date,
            isDisabled: isDisabled,
            serves: Account.serves(json: serves)
        )
    }
}

import CordonStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// A migration: its identifier and its statements, run in one transaction.
    struct Migration: Sendable {
        let id: String
        let statements: [String]
    }

    /// The schema's migrations, in order. A released migration is never edited: changes go in a new one.
    static let migrations: [Migration] = [Migration(id: "v1", statements: v1), Migration(id: "v2", statements: v2)]

    /// The checkpoints and posts an account serves (a JSON array), whose streams it alone may hold.
    static let v2: [String] = [
        "ALTER TABLE accounts ADD COLUMN serves JSONB NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(serves) = 'array')"
    ]

    /// The advisory lock every node takes to migrate, so that two nodes starting together migrate once.
    static let migrationLock: Int64 = 0x436F_7264_6F6E_0001

    /// Creates or upgrades the schema (and the schema named in the configuration), in one transaction under
    /// an advisory lock. Safe to call on every start of every node.
    ///
    /// - Throws: ``StoreError`` `incompatible` when the database has a migration this binary does not know
    ///   (a newer Cordon wrote it), `unavailable` when it cannot be reached; nothing is changed then.
    /// Removes the store's own schema and everything in it (a demo's deployment when the demo is over).
    ///
    /// - Throws: ``StoreError`` `constraint` when the store names no schema of its own: the database's
    ///   `public` schema is never dropped.
    public func dropSchema() async throws {
        guard let schema = configuration.schema else {
            throw StoreError(.constraint, "the store names no schema of its own; public is never dropped")
        }
        try await session("dropping the schema") { connection in
            // The name was checked to be a plain identifier.
            try await connection.run(
                PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"),
                logger: self.logger
            )
            .collect()
        }
    }

    public func migrate() async throws {
        let known = Self.migrations.map(\.id)
        try await session("migrating the database") { connection in
            try await connection.run("BEGIN", logger: self.logger)
            do {
                try await connection.run("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
                if let schema = self.configuration.schema {
                    // The name was checked to be a plain identifier.
                    try await connection.run(
                        PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"),
                        logger: self.logger
                    )
                }
                try await connection.run(
                    """
                    CREATE TABLE IF NOT EXISTS cordon_migrations (
                        id TEXT PRIMARY KEY NOT NULL,
                        applied_at_ms BIGINT NOT NULL
                    )
                    """,
                    logger: self.logger
                )
                let applied = try await connection.run("SELECT id FROM cordon_migrations", logger: self.logger)
                    .collect().map { try $0.decode(String.self) }
                if let unknown = applied.first(where: { !known.contains($0) }) {
                    throw StoreError(
                        .incompatible,
                        "the database's schema is newer than this Cordon (it has migration \(unknown)): upgrade Cordon"
                    )
                }
                for migration in Self.migrations where !applied.contains(migration.id) {
                    for statement in migration.statements {
                        try await connection.run(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                    }
                    let at = Milliseconds(clock: self.now()).value
                    try await connection.run(
                        "INSERT INTO cordon_migrations (id, applied_at_ms) VALUES (\(migration.id), \(at))",
                        logger: self.logger
                    )
                }
                try await connection.run("COMMIT", logger: self.logger)
            } catch {
                _ = try? await connection.run("ROLLBACK", logger: self.logger)
                throw error
            }
        }
    }

    /// The identifiers of the migrations applied to the database, in order (for tests and diagnostics).
    public func appliedMigrations() async throws -> [String] {
        try await session("reading the applied migrations") { connection in
            try await connection.run(
                "SELECT id FROM cordon_migrations ORDER BY applied_at_ms, id",
                logger: self.logger
            )
            .collect().map { try $0.decode(String.self) }
        }
    }

    /// Documents, tags, counters, the audit log and its head, accounts and tokens: the SQLite schema's
    /// invariants in PostgreSQL's words. Ids sort bytewise (`COLLATE "C"`); bodies are bytes; times are
    /// milliseconds since 1970; the audit log refuses UPDATE, DELETE and TRUNCATE by trigger.
    private static let v1 = [
        """
        CREATE TABLE documents (
            kind TEXT COLLATE "C" NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
            id TEXT COLLATE "C" NOT NULL CHECK (length(id) BETWEEN 1 AND 256),
            revision BIGINT NOT NULL CHECK (revision >= 1),
            body BYTEA NOT NULL,
            created_at_ms BIGINT NOT NULL,
            updated_at_ms BIGINT NOT NULL,
            PRIMARY KEY (kind, id)
        )
        """,
        """
        CREATE TABLE document_tags (
            kind TEXT COLLATE "C" NOT NULL,
            id TEXT COLLATE "C" NOT NULL,
            key TEXT NOT NULL CHECK (length(key) >= 1),
            value TEXT NOT NULL,
            PRIMARY KEY (kind, id, key, value),
            FOREIGN KEY (kind, id) REFERENCES documents (kind, id) ON DELETE CASCADE
        )
        """,
        "CREATE INDEX document_tags_by_value ON document_tags (kind, key, value, id)",
        """
        CREATE TABLE collection_versions (
            kind TEXT PRIMARY KEY NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
            version BIGINT NOT NULL CHECK (version >= 0)
        )
        """,
        """
        CREATE TABLE list_version (
            singleton INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
            version BIGINT NOT NULL CHECK (version >= 0)
        )
        """,
        "INSERT INTO list_version (singleton, version) VALUES (1, 0)",
        """
        CREATE TABLE audit_log (
            sequence BIGINT PRIMARY KEY NOT NULL CHECK (sequence >= 1),
            at_ms BIGINT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT CHECK (
                role IN ('admin', 'commander', 'custody_officer', 'checkpoint_officer', 'analyst', 'auditor')
            ),
            action TEXT NOT NULL CHECK (length(action) >= 1),
            target TEXT,
            address TEXT,
            list_version BIGINT NOT NULL CHECK (list_version >= 0),
            details TEXT NOT NULL CHECK (details::json IS NOT NULL),
            previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
            hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
        )
        """,
        """
        CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        """
        CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()
        """,
        """
        CREATE TRIGGER audit_log_is_never_truncated BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()
        """,
        """
        CREATE TABLE audit_head (
            singleton INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
            sequence BIGINT NOT NULL CHECK (sequence >= 0),
            hash TEXT NOT NULL CHECK (length(hash) = 64)
        )
        """,
        """
        INSERT INTO audit_head (singleton, sequence, hash)
            VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
        """,
        """
        CREATE TABLE accounts (
            username TEXT COLLATE "C" PRIMARY KEY NOT NULL CHECK (length(username) BETWEEN 3 AND 64),
            role TEXT NOT NULL CHECK (
                role IN ('admin', 'commander', 'custody_officer', 'checkpoint_officer', 'analyst', 'auditor')
            ),
            password_hash TEXT NOT NULL CHECK (length(password_hash) >= 1),
            created_at_ms BIGINT NOT NULL,
            is_disabled BOOLEAN NOT NULL
        )
        """,
        """
        CREATE TABLE tokens (
            token_hash TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) >= 1),
            username TEXT COLLATE "C" NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
            issued_at_ms BIGINT NOT NULL,
            expires_at_ms BIGINT NOT NULL CHECK (expires_at_ms >= issued_at_ms),
            revoked_at_ms BIGINT
        )
        """,
        "CREATE INDEX tokens_by_username ON tokens (username)",
    ]
}

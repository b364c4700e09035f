import GRDB

extension SQLiteStore {
    /// The schema's migrations, in order. A released migration is never edited: changes go in a new one.
    ///
    /// The schema repeats the model's invariants (NOT NULL, CHECK, FOREIGN KEY), so a bug above the
    /// store cannot write a row the store could not read back.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        return migrator
    }

    /// The checkpoints and posts an account serves (a JSON array), whose streams it alone may hold.
    private static let v2 = """
        ALTER TABLE accounts ADD COLUMN serves TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(serves));
        """

    /// Documents, tags, counters, the audit log and its head, accounts and tokens.
    private static let v1 = """
        CREATE TABLE documents (
            kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
            id TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 256),
            revision INTEGER NOT NULL CHECK (revision >= 1),
            body BLOB NOT NULL,
            created_at_ms INTEGER NOT NULL,
            updated_at_ms INTEGER NOT NULL,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;

        CREATE TABLE document_tags (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            key TEXT NOT NULL CHECK (length(key) >= 1),
            value TEXT NOT NULL,
            PRIMARY KEY (kind, id, key, value),
            FOREIGN KEY (kind, id) REFERENCES documents (kind, id) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE INDEX document_tags_by_value ON document_tags (kind, key, value, id);

        CREATE TABLE collection_versions (
            kind TEXT PRIMARY KEY NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
            version INTEGER NOT NULL CHECK (version >= 0)
        ) WITHOUT ROWID;

        CREATE TABLE list_version (
            singleton INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
            version INTEGER NOT NULL CHECK (version >= 0)
        );
        INSERT INTO list_version (singleton, version) VALUES (1, 0);

        CREATE TABLE audit_log (
            sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 1),
            at_ms INTEGER NOT NULL,
            actor TEXT NOT NULL,
            role TEXT CHECK (
                role IN ('admin', 'commander', 'custody_officer', 'checkpoint_officer', 'analyst', 'auditor')
            ),
            action TEXT NOT NULL CHECK (length(action) >= 1),
            target TEXT,
            address TEXT,
            list_version INTEGER NOT NULL CHECK (list_version >= 0),
            details TEXT NOT NULL CHECK (json_valid(details)),
            previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
            hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
        );
        CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

        CREATE TABLE audit_head (
            singleton INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
            sequence INTEGER NOT NULL CHECK (sequence >= 0),
            hash TEXT NOT NULL CHECK (length(hash) = 64)
        );
        INSERT INTO audit_head (singleton, sequence, hash)
            VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

        CREATE TABLE accounts (
            username TEXT PRIMARY KEY NOT NULL CHECK (length(username) BETWEEN 3 AND 64),
            role TEXT NOT NULL CHECK (
                role IN ('admin', 'commander', 'custody_officer', 'checkpoint_officer', 'analyst', 'auditor')
            ),
            password_hash TEXT NOT NULL CHECK (length(password_hash) >= 1),
            created_at_ms INTEGER NOT NULL,
            is_disabled INTEGER NOT NULL CHECK (is_disabled IN (0, 1))
        ) WITHOUT ROWID;

        CREATE TABLE tokens (
            token_hash TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) >= 1),
            username TEXT NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
            issued_at_ms INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL CHECK (expires_at_ms >= issued_at_ms),
            revoked_at_ms INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX tokens_by_username ON tokens (username);
        """
}

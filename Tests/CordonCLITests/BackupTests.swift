import CordonCore
import CordonStore
import CordonStoreSQLite
import Foundation
import GRDB
import Testing

@Suite(.timeLimit(.minutes(5))) struct BackupTests {
    /// A database with four audit records.
    private func makeDatabase(_ path: String) async throws {
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        for id in ["p-1", "p-2", "p-3"] {
            _ = try await store.apply(
                [DocumentWrite(kind: .person, id: id, operation: .create, body: Data(#"{"id":"\#(id)"}"#.utf8))],
                audit: AuditRecord.Draft(actor: "duty", role: .commander, action: "person.create", target: id)
            )
        }
        _ = try await store.appendAudit(AuditRecord.Draft(actor: "post-7", role: .checkpointOfficer, action: "screen"))
    }

    @Test func aBackupIsAnIntactCopyAndARestoreChecksItFirst() async throws {
        let folder = try TemporaryFolder()
        let database = folder.path("cordon.sqlite")
        try await makeDatabase(database)
        let backup = folder.path("night.backup")
        let made = try await CordonProcess.run(["backup", "--database", database, "--to", backup])
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardOutput.contains("audit log intact, 4 records"), "\(made.standardOutput)")
        let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let again = try await CordonProcess.run(["backup", "--database", database, "--to", backup])
        #expect(again.status == 2, "a backup never overwrites")

        let restored = folder.path("restored.sqlite")
        let put = try await CordonProcess.run(["restore", "--from", backup, "--database", restored])
        #expect(put.status == 0, "\(put.standardError)")
        #expect(try await SQLiteStore(path: restored).document(kind: .person, id: "p-2") != nil)

        // Someone edits the backup: the restore refuses it and writes nothing.
        let queue = try DatabaseQueue(path: backup)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_is_append_only_update")
            try db.execute(sql: "UPDATE audit_log SET actor = 'someone-else' WHERE sequence = 2")
        }
        try queue.close()
        let refused = try await CordonProcess.run([
            "restore", "--from", backup, "--database", folder.path("bad.sqlite"),
        ])
        #expect(refused.status == 1)
        #expect(refused.standardOutput.contains("record 2 altered"), "\(refused.standardOutput)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("bad.sqlite")))
    }

    @Test(.enabled(if: TestPostgres.url != nil, "CORDON_TEST_POSTGRES_URL names no PostgreSQL server"))
    func aPostgreSQLDatabaseIsDumpedAndRestoredIntoAnotherSchema() async throws {
        let folder = try TemporaryFolder()
        let url = try #require(TestPostgres.url)
        let source = url + "?schema=cordon_dump_" + UUID().uuidString.lowercased().prefix(8)
        let added = try await CordonProcess.run(
            ["user", "add", "duty", "--role", "commander", "--database", source],
            input: Data("a long pass phrase for duty\n".utf8)
        )
        #expect(added.status == 0, "\(added.standardError)")
        let dump = folder.path("night.dump")
        let made = try await CordonProcess.run(["backup", "--database", source, "--to", dump])
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardOutput.contains("audit log intact, 1 records"), "\(made.standardOutput)")
        // The dump holds the schema by name: it is restored into another database of the same server.
        let target = "cordon_restore_" + UUID().uuidString.lowercased().prefix(8)
        try DatabaseOutageTests.psql("CREATE DATABASE \(target)")
        var components = try #require(URLComponents(string: source))
        components.path = "/" + target
        let restored = try await CordonProcess.run([
            "restore", "--from", dump, "--database", try #require(components.string),
        ])
        #expect(restored.status == 0, "\(restored.standardOutput) \(restored.standardError)")
        #expect(restored.standardOutput.contains("audit log intact, 1 records"))
    }
}

import CordonCore
import CordonStore
import CordonStoreSQLite
import Foundation
import GRDB
import Testing

@Suite(.timeLimit(.minutes(5))) struct AuditVerifyTests {
    /// A database with five audit records (three writes, a screening, an account), closed again.
    private func makeDatabase(in folder: TemporaryFolder) async throws -> String {
        let path = folder.url.appendingPathComponent("cordon.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        for id in ["p-1", "p-2", "p-3"] {
            _ = try await store.apply(
                [DocumentWrite(kind: .person, id: id, operation: .create, body: Data(#"{"id":"\#(id)"}"#.utf8))],
                audit: AuditRecord.Draft(actor: "duty", role: .commander, action: "person.create", target: id)
            )
        }
        _ = try await store.appendAudit(
            AuditRecord.Draft(actor: "post-7", role: .checkpointOfficer, action: "screen", address: "192.0.2.7")
        )
        try await store.createAccount(
            Account(username: "analyst", role: .analyst, passwordHash: "$2b$12$x", createdAt: Date()),
            audit: AuditRecord.Draft(actor: "admin", role: .admin, action: "account.create")
        )
        return path
    }

    /// Changes the file directly, as someone with access to the disk could: drops the append-only triggers, runs `sql`.
    private func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_is_append_only_update")
            try db.execute(sql: "DROP TRIGGER audit_log_is_append_only_delete")
            try db.execute(sql: sql)
        }
    }

    @Test func anIntactLogExitsZero() async throws {
        let folder = try TemporaryFolder()
        let path = try await makeDatabase(in: folder)
        let head = try #require(try await SQLiteStore(path: path).auditHead())
        let result = try await CordonProcess.run(["audit", "verify", "--database", path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "audit log intact: 5 records, head \(head.hash.prefix(16))\n")
    }

    @Test func anAlteredRecordIsNamed() async throws {
        let folder = try TemporaryFolder()
        let path = try await makeDatabase(in: folder)
        try tamper(path, "UPDATE audit_log SET actor = 'someone-else' WHERE sequence = 3")
        let result = try await CordonProcess.run(["audit", "verify", "--database", path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput == "record 3 altered: its content no longer matches its hash\n")
    }

    @Test func aRemovedRecordIsNamed() async throws {
        let folder = try TemporaryFolder()
        let path = try await makeDatabase(in: folder)
        try tamper(path, "DELETE FROM audit_log WHERE sequence = 2")
        let result = try await CordonProcess.run(["audit", "verify", "--database", path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("record 2 removed"))
        #expect(result.standardOutput.filter { $0 == "\n" }.count == 1)
    }

    @Test func aRemovedLastRecordIsNamed() async throws {
        let folder = try TemporaryFolder()
        let path = try await makeDatabase(in: folder)
        try tamper(path, "DELETE FROM audit_log WHERE sequence = 5")
        let result = try await CordonProcess.run(["audit", "verify", "--database", path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("record 5 removed"))
    }

    @Test func aRecordAddedAfterTheHeadIsNamed() async throws {
        let folder = try TemporaryFolder()
        let path = try await makeDatabase(in: folder)
        let last = try #require(try await SQLiteStore(path: path).auditRecords(after: 4, limit: 1).first)
        let forged = AuditRecord(
            draft: AuditRecord.Draft(actor: "intruder", action: "screen"),
            sequence: 6,
            at: last.at,
            listVersion: last.listVersion,
            previousHash: last.hash
        )
        try tamper(
            path,
            """
            INSERT INTO audit_log (sequence, at_ms, actor, action, list_version, details, previous_hash, hash)
            VALUES (6, \(forged.atMilliseconds), 'intruder', 'screen', \(forged.listVersion), '{}', \
            '\(forged.previousHash)', '\(forged.hash)')
            """
        )
        let result = try await CordonProcess.run(["audit", "verify", "--database", path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("record 6 inserted"))
    }

    @Test func theLogRefusesChangesThroughTheSchema() async throws {
        let folder = try TemporaryFolder()
        let path = try await makeDatabase(in: folder)
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE audit_log SET actor = 'x' WHERE sequence = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE sequence = 1") }
        }
    }

    @Test func anEmptyLogIsIntact() async throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("empty.sqlite").path
        try await SQLiteStore(path: path).migrate()
        let result = try await CordonProcess.run(["audit", "verify", "--database", path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "audit log intact: 0 records, head none\n")
    }

    @Test func aMissingDatabaseIsAOneLineError() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("missing.sqlite").path
        let result = try CordonProcess.runBlocking(["audit", "verify", "--database", path])
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError == "cordon: no database at \(path)\n")
        #expect(!FileManager.default.fileExists(atPath: path), "verify creates no database")
    }

    @Test func aFileThatIsNoDatabaseIsAOneLineError() throws {
        let folder = try TemporaryFolder()
        let path = try folder.file(
            "notes.sqlite",
            contents: Data(String(repeating: "not a database\n", count: 100).utf8)
        )
        let result = try CordonProcess.runBlocking(["audit", "verify", "--database", path])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("cordon: cannot read the audit log in \(path)"))
        #expect(result.standardError.filter { $0 == "\n" }.count == 1)
        #expect(!result.standardError.contains("SQLITE"))
    }
}

import CordonCore
import CordonStore
import CordonStoreSQLite
import CordonTesting
import Foundation
import GRDB
import Testing

/// A database file in its own temporary folder, removed with the value.
final class TemporaryDatabase {
    let folder: URL
    let path: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("cordon.sqlite").path
    }

    /// A migrated store on the file.
    func makeStore(clock: ManualClock = ManualClock()) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: path, now: clock.now)
        try await store.migrate()
        return store
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

@Suite(.timeLimit(.minutes(5))) struct SQLiteStoreTests {
    @Test(arguments: StoreContract.cases)
    func passesTheStoreContract(_ contractCase: StoreContractCase) async throws {
        let database = try TemporaryDatabase()
        let clock = ManualClock()
        try await contractCase.run(try await database.makeStore(clock: clock), clock: clock)
    }

    @Test func dataSurvivesClosingAndReopeningTheFile() async throws {
        let database = try TemporaryDatabase()
        let clock = ManualClock()
        var store: SQLiteStore? = try await database.makeStore(clock: clock)
        let write = DocumentWrite(
            kind: .person,
            id: "p-1",
            operation: .create,
            body: Data(#"{"id":"p-1"}"#.utf8),
            tags: [DocumentTag("status", "at_large")]
        )
        let receipt = try await store?.apply([write], audit: AuditRecord.Draft(actor: "test", action: "person.create"))
        let account = Account(username: "duty", role: .commander, passwordHash: "$2b$12$x", createdAt: clock.now())
        try await store?.createAccount(account, audit: AuditRecord.Draft(actor: "test", action: "account.create"))
        #expect(FileManager.default.fileExists(atPath: database.path + "-wal"), "the database runs in WAL mode")
        store = nil

        let reopened = try await database.makeStore(clock: clock)
        #expect(try await reopened.document(kind: .person, id: "p-1") == receipt?.documents.first)
        #expect(try await reopened.account(username: "duty") == account)
        #expect(try await reopened.listVersion() == 1)
        let filtered = try await reopened.documents(
            kind: .person,
            query: DocumentQuery(filters: [DocumentTag("status", "at_large")])
        )
        #expect(filtered.documents.map(\.id) == ["p-1"])
        let records = try await reopened.auditRecords(after: 0, limit: 10)
        #expect(records.count == 2)
        #expect(try await reopened.auditHead() == AuditRecordSummary(sequence: 2, hash: records[1].hash))
        // The chain goes on from where it was.
        let next = try await reopened.appendAudit(AuditRecord.Draft(actor: "test", action: "screen"))
        #expect(next.sequence == 3)
        #expect(next.previousHash == records[1].hash)
    }

    @Test func migrationsAreNamedAndIdempotent() async throws {
        let database = try TemporaryDatabase()
        let store = try await database.makeStore()
        #expect(try await store.appliedMigrations() == ["v1", "v2"])
        _ = try await store.appendAudit(AuditRecord.Draft(actor: "test", action: "screen"))
        try await store.migrate()
        try await store.migrate()
        #expect(try await store.appliedMigrations() == ["v1", "v2"])
        let again = try await database.makeStore()
        #expect(try await again.appliedMigrations() == ["v1", "v2"])
        #expect(try await again.auditRecords(after: 0, limit: 10).count == 1)
    }

    @Test func aFileANewerCordonMigratedIsRefusedAndLeftAlone() async throws {
        let database = try TemporaryDatabase()
        _ = try await database.makeStore()
        let queue = try DatabaseQueue(path: database.path)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-a-newer-cordon')")
        }
        try queue.close()
        let store = try SQLiteStore(path: database.path)
        await #expect {
            try await store.migrate()
        } throws: { error in
            (error as? StoreError)?.code == .incompatible
        }
        #expect(try await store.appliedMigrations() == ["v1", "v2"])
    }

    @Test func valuesTheSchemaRefusesAreConstraintErrors() async throws {
        let database = try TemporaryDatabase()
        let clock = ManualClock()
        let store = try await database.makeStore(clock: clock)
        let draft = AuditRecord.Draft(actor: "test", action: "write")
        let account = Account(username: "duty", role: .commander, passwordHash: "$2b$12$x", createdAt: clock.now())
        try await store.createAccount(account, audit: draft)
        let refused: [(String, @Sendable () async throws -> Void)] = [
            (
                "an empty document id (CHECK)",
                { _ = try await store.apply([DocumentWrite(kind: .person, id: "", operation: .create)], audit: draft) }
            ),
            (
                "an empty action (CHECK)",
                { _ = try await store.appendAudit(AuditRecord.Draft(actor: "test", action: "")) }
            ),
            (
                "an empty password hash (CHECK)",
                {
                    let empty = Account(username: "other", role: .analyst, passwordHash: "", createdAt: clock.now())
                    try await store.createAccount(empty, audit: draft)
                }
            ),
            (
                "a token that expires before it is issued (CHECK)",
                {
                    let token = TokenRecord(
                        tokenHash: "t-1",
                        username: "duty",
                        issuedAt: clock.now(),
                        expiresAt: clock.now().addingTimeInterval(-1)
                    )
                    try await store.insertToken(token, audit: draft)
                }
            ),
            (
                "a token of no account (FOREIGN KEY)",
                {
                    let token = TokenRecord(
                        tokenHash: "t-2",
                        username: "nobody",
                        issuedAt: clock.now(),
                        expiresAt: clock.now().addingTimeInterval(60)
                    )
                    try await store.insertToken(token, audit: draft)
                }
            ),
        ]
        for (name, write) in refused {
            do {
                try await write()
                Issue.record("\(name) was accepted")
            } catch let error as StoreError {
                #expect(error.code == .constraint, "\(name): \(error)")
                #expect(error.underlying != nil, "\(name): the driver's error is kept for logs")
                #expect(!error.message.contains("SQLITE"), "\(name): the message shows no driver detail")
            }
        }
        #expect(try await store.auditRecords(after: 0, limit: 10).count == 1, "a refused write appends no record")
    }

    @Test func aFileThatCannotBeOpenedIsUnavailable() async throws {
        let database = try TemporaryDatabase()
        let path = database.folder.appendingPathComponent("missing/folder/cordon.sqlite").path
        do {
            _ = try SQLiteStore(path: path)
            Issue.record("a database in a missing folder was opened")
        } catch let error as StoreError {
            #expect(error.code == .unavailable, "\(error)")
        }
    }
}

/// The database and its companions are readable by their owner only.
@Test func theDatabaseFilesAreReadableByTheirOwnerOnly() async throws {
    let database = try TemporaryDatabase()
    // A file left readable by everyone by an earlier version is tightened on open.
    _ = FileManager.default.createFile(atPath: database.path, contents: nil, attributes: [.posixPermissions: 0o644])
    let store = try await database.makeStore()
    _ = try await store.appendAudit(.init(actor: "test", action: "test.write", target: "modes"))
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: database.path + suffix) {
        let attributes = try FileManager.default.attributesOfItem(atPath: database.path + suffix)
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
        #expect(mode == 0o600, "\(suffix.isEmpty ? "database" : suffix): \(String(mode, radix: 8))")
    }
    #expect(FileManager.default.fileExists(atPath: database.path + "-wal"))
}

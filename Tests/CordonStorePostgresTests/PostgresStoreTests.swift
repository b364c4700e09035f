import CordonCore
import CordonStore
import CordonTesting
import Foundation
import Testing

@testable import CordonStorePostgres

@Suite(.enabled(if: TestDatabase.url != nil, "\(TestDatabase.missing)"), .timeLimit(.minutes(5)))
struct PostgresStoreTests {
    @Test(arguments: StoreContract.cases)
    func passesTheStoreContract(_ contractCase: StoreContractCase) async throws {
        let clock = ManualClock()
        try await TestDatabase.withStore(clock: clock) { store in
            try await contractCase.run(store, clock: clock)
        }
    }

    @Test func migratingAgainChangesNothingAndTwoNodesMigrateOnce() async throws {
        let configuration = try TestDatabase.freshConfiguration()
        let other = PostgresStore(configuration: configuration)
        try await TestDatabase.withStore(configuration: configuration) { store in
            try await withRunningServices([other]) {
                // Both nodes start at once on a schema the first has just created.
                async let first: Void = store.migrate()
                async let second: Void = other.migrate()
                _ = try await (first, second)
            }
            #expect(try await store.appliedMigrations() == PostgresStore.migrations.map(\.id))
        }
    }

    @Test func aSchemaNewerThanTheBinaryIsRefusedAndLeftAlone() async throws {
        try await TestDatabase.withStore { store in
            try await TestDatabase.execute(
                store,
                "INSERT INTO cordon_migrations (id, applied_at_ms) VALUES ('v999-from-a-newer-cordon', 0)"
            )
            do {
                try await store.migrate()
                Issue.record("a newer schema was accepted")
            } catch let error as StoreError {
                #expect(error.code == .incompatible)
                #expect(error.message.contains("v999-from-a-newer-cordon"))
            }
            #expect(try await store.appliedMigrations().count == PostgresStore.migrations.count + 1)
        }
    }

    @Test func theDatabaseItselfRefusesToChangeOrEmptyTheAuditLog() async throws {
        try await TestDatabase.withStore { store in
            _ = try await store.appendAudit(AuditRecord.Draft(actor: "test", action: "screen"))
            for statement in [
                "UPDATE audit_log SET actor = 'someone else'",
                "DELETE FROM audit_log",
                "TRUNCATE audit_log",
            ] {
                do {
                    try await TestDatabase.execute(store, statement)
                    Issue.record("the database accepted: \(statement)")
                } catch let error as StoreError {
                    #expect(error.code == .constraint, "\(statement): \(error)")
                    #expect("\(error.underlying.map { "\($0)" } ?? "")".contains("append-only"))
                }
            }
            #expect(try await store.auditRecords(after: 0, limit: 10).map(\.actor) == ["test"])
        }
    }

    /// Two stores on one database are two nodes: their appends interleave into one chain.
    @Test func twoNodesAppendingAtOnceKeepOneChain() async throws {
        let configuration = try TestDatabase.freshConfiguration()
        let otherNode = PostgresStore(configuration: configuration)
        try await TestDatabase.withStore(configuration: configuration) { store in
            try await withRunningServices([otherNode]) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, node) in [store, otherNode, store, otherNode].enumerated() {
                        group.addTask {
                            for write in 0..<25 {
                                if write.isMultiple(of: 2) {
                                    _ = try await node.appendAudit(
                                        AuditRecord.Draft(actor: "n\(index)", action: "screen")
                                    )
                                } else {
                                    _ = try await node.apply(
                                        [DocumentWrite(kind: .sighting, id: "s-\(index)-\(write)", operation: .create)],
                                        audit: AuditRecord.Draft(actor: "n\(index)", action: "sighting.create")
                                    )
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            var verifier = AuditChain.Verifier()
            let records = try await store.auditRecords(after: 0, limit: 1000)
            #expect(records.count == 100)
            #expect(records.allSatisfy { verifier.check($0) == nil })
            #expect(records.map(\.sequence) == Array(1...100))
            #expect(try await store.auditHead()?.hash == records.last?.hash)
            #expect(try await store.collectionVersion(kind: .sighting) == 48)
        }
    }

    @Test func whatIsWrittenIsThereForTheNextNodeThatStarts() async throws {
        let configuration = try TestDatabase.freshConfiguration()
        let clock = ManualClock()
        try await TestDatabase.withStore(clock: clock, configuration: configuration) { store in
            let write = DocumentWrite(
                kind: .person,
                id: "p-1",
                operation: .create,
                body: Data(#"{"id":"p-1"}"#.utf8),
                tags: [DocumentTag("status", "at_large")]
            )
            let receipt = try await store.apply(
                [write],
                audit: AuditRecord.Draft(actor: "test", action: "person.create")
            )
            let later = PostgresStore(configuration: configuration, now: clock.now)
            try await withRunningServices([later]) {
                try await later.migrate()
                #expect(try await later.document(kind: .person, id: "p-1") == receipt.documents.first)
                #expect(try await later.listVersion() == 1)
            }
        }
    }

    @Test func anUnreachableDatabaseIsNamedWithoutItsPassword() async throws {
        // A port on which nothing listens: the test binds nothing, and 1 is reserved.
        var configuration = try PostgresStore.Configuration(url: "postgresql://cordon:s3cret-word@127.0.0.1:1/cordon")
        configuration.connectionWaitTimeout = .milliseconds(200)
        let store = PostgresStore(configuration: configuration)
        try await withRunningServices([store]) {
            do {
                try await store.waitUntilReachable(timeout: .milliseconds(600))
                Issue.record("nothing listens on port 1, yet the database was reached")
            } catch let error as StoreError {
                #expect(error.code == .unavailable)
                #expect(error.message.contains("postgresql://cordon:***@127.0.0.1:1/cordon"))
                #expect(!"\(error)".contains("s3cret-word"))
            }
        }
    }
}

@Suite struct PostgresConfigurationTests {
    @Test func aURLGivesEveryPartAndItsRedactedFormHidesThePassword() throws {
        let configuration = try PostgresStore.Configuration(
            url: "postgresql://duty%40hq:p%40ss%3Aword@db.example:6543/cordon?sslmode=require&schema=region_north"
        )
        #expect(configuration.username == "duty@hq")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "cordon")
        #expect(configuration.tls == .require)
        #expect(configuration.schema == "region_north")
        #expect(
            configuration.redacted
                == "postgresql://duty@hq:***@db.example:6543/cordon?sslmode=require&schema=region_north"
        )
        #expect(!"\(configuration)".contains("p@ss"))
    }

    @Test func defaultsFollowLibpq() throws {
        let configuration = try PostgresStore.Configuration(url: "postgres://cordon@localhost")
        #expect(configuration.port == 5432)
        #expect(configuration.database == "cordon")
        #expect(configuration.tls == .prefer)
        #expect(configuration.password == nil)
        #expect(configuration.redacted == "postgresql://cordon@localhost:5432/cordon")
    }

    @Test(arguments: [
        ("mysql://cordon@localhost/cordon", "postgresql://user@host"),
        ("postgresql://localhost/cordon", "names no user"),
        ("postgresql://cordon@/cordon", "names no host"),
        ("postgresql://cordon@localhost/cordon?sslmode=always", "sslmode"),
        ("postgresql://cordon@localhost/cordon?schema=Robert%27);DROP", "schema is"),
        ("postgresql://cordon@localhost/cordon?pool=3", "not pool"),
    ])
    func aWrongURLIsRefusedSayingWhy(url: String, expected: String) {
        #expect {
            _ = try PostgresStore.Configuration(url: url)
        } throws: { error in
            guard let failure = error as? ValidationFailure else { return false }
            return failure.issues.first?.path == "database" && "\(failure)".contains(expected)
        }
    }
}

import CordonCore
import CordonStore
import Foundation
import Testing

extension StoreContract {
    /// The audit log: one chained record per write, in the write's transaction, stamped by the clock.
    static var auditCases: [StoreContractCase] {
        [
            StoreContractCase("everyWriteAppendsOneChainedRecord") { (store, clock) async throws in
                let receipt = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                let screen = try await store.appendAudit(draft("screen"))
                let account = Account(
                    username: "duty",
                    role: .commander,
                    passwordHash: "$2b$12$x",
                    createdAt: clock.now()
                )
                try await store.createAccount(account, audit: draft("account.create"))
                let disabled = Account(
                    username: "duty",
                    role: .commander,
                    passwordHash: "$2b$12$y",
                    createdAt: account.createdAt,
                    isDisabled: true
                )
                try await store.updateAccount(disabled, audit: draft("account.update"))
                let token = TokenRecord(
                    tokenHash: AuditChain.digest("token"),
                    username: "duty",
                    issuedAt: clock.now(),
                    expiresAt: clock.now().addingTimeInterval(3600)
                )
                try await store.insertToken(token, audit: draft("auth.login"))
                try await store.revokeToken(hash: token.tokenHash, at: clock.now(), audit: draft("auth.logout"))
                try await store.revokeTokens(username: "duty", at: clock.now(), audit: draft("account.revoke"))
                let records = try await verifiedAuditLog(store)
                #expect(
                    records.map(\.action) == [
                        "person.create", "screen", "account.create", "account.update", "auth.login", "auth.logout",
                        "account.revoke",
                    ]
                )
                #expect(records.first?.previousHash == AuditChain.genesisHash)
                #expect(records.first?.hash == receipt.audit.hash)
                #expect(records.first?.sequence == receipt.audit.sequence)
                #expect(records.dropFirst().first == screen)
                #expect(records.allSatisfy { $0.hasValidHash })
            },
            StoreContractCase("aRecordKeepsTheDraftTheClockAndTheListVersion") { (store, clock) async throws in
                _ = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                clock.advance(by: 0.25)
                let details: JSONValue = .object([
                    "query": .object(["name": .string("Мирзоев Абдурасул"), "limit": .number(5)]),
                    "hits": .array([.object(["id": .string("p-1"), "score": .number(0.93), "alert": .bool(true)])]),
                    "none": .null,
                    "quoted": .string("a\"b\\c\nd\u{1}"),
                    "large": .number(1_282_496_400_123),
                ])
                let screening = AuditRecord.Draft(
                    actor: "post-7",
                    role: .checkpointOfficer,
                    action: "screen",
                    target: "screening",
                    address: "192.0.2.7",
                    details: details
                )
                let record = try await store.appendAudit(screening)
                #expect(record.sequence == 2)
                #expect(record.at == clock.now())
                #expect(record.actor == "post-7")
                #expect(record.role == .checkpointOfficer)
                #expect(record.action == "screen")
                #expect(record.target == "screening")
                #expect(record.address == "192.0.2.7")
                #expect(record.listVersion == 1)
                #expect(record.details == details)
                #expect(record.hasValidHash)
                let first = try #require(try await store.auditRecords(after: 0, limit: 1).first)
                #expect(record.previousHash == first.hash)
                #expect(first.listVersion == 1)
                #expect(try await store.auditRecords(after: 1, limit: 10) == [record])
                // A record with nothing optional.
                let bare = try await store.appendAudit(AuditRecord.Draft(actor: "system", action: "start"))
                #expect(try await store.auditRecords(after: 2, limit: 10) == [bare])
                #expect(bare.role == nil && bare.target == nil && bare.address == nil)
                #expect(bare.details == .object([:]))
            },
            StoreContractCase("timestampsComeFromTheClockToTheMillisecond") { (store, clock) async throws in
                clock.set(Date(timeIntervalSince1970: 1_282_511_400.123_456))
                let receipt = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                let created = try #require(receipt.documents.first?.createdAt)
                #expect(created == stored(clock.now()))
                #expect(abs(created.timeIntervalSince(clock.now())) < 0.001)
                let record = try #require(try await store.auditRecords(after: 0, limit: 1).first)
                #expect(record.at == created)
                clock.advance(by: 3600.5)
                let replaced = try await store.apply(
                    [DocumentWrite(kind: .person, id: "p-1", operation: .upsert, body: body("p-1", 2))],
                    audit: draft("person.update")
                )
                #expect(replaced.documents.first?.updatedAt == stored(clock.now()))
                #expect(replaced.documents.first?.createdAt == created)
                #expect(try await store.auditRecords(after: 1, limit: 1).first?.at == stored(clock.now()))
                // The clock may go back (a corrected wall clock); the store records what it is told.
                clock.advance(by: -7200)
                let screen = try await store.appendAudit(draft("screen"))
                #expect(screen.at == stored(clock.now()))
                try await verifiedAuditLog(store)
            },
            StoreContractCase("auditRecordsPageBySequence") { (store, _) async throws in
                for index in 1...12 {
                    _ = try await store.appendAudit(draft("screen", details: .number(Double(index))))
                }
                let pages = [
                    try await store.auditRecords(after: 0, limit: 5),
                    try await store.auditRecords(after: 5, limit: 5),
                    try await store.auditRecords(after: 10, limit: 5),
                ]
                #expect(pages.map { $0.map(\.sequence) } == [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12]])
                #expect(pages.flatMap { $0 }.map(\.details) == (1...12).map { .number(Double($0)) })
                #expect(try await store.auditRecords(after: 12, limit: 5).isEmpty)
                #expect(try await store.auditRecords(after: 3, limit: 0).isEmpty)
                #expect(try await store.auditHead() == AuditRecordSummary(sequence: 12, hash: pages[2][1].hash))
            },
            StoreContractCase("aFailedWriteAppendsNoRecord") { (store, clock) async throws in
                let account = Account(
                    username: "duty",
                    role: .commander,
                    passwordHash: "$2b$12$x",
                    createdAt: clock.now()
                )
                try await store.createAccount(account, audit: draft("account.create"))
                _ = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                let before = try await Snapshot(store)
                await expectStoreError(.conflict) {
                    try await store.createAccount(account, audit: draft("account.create"))
                }
                let stranger = Account(username: "stranger", role: .analyst, passwordHash: "x", createdAt: clock.now())
                await expectStoreError(.notFound) {
                    try await store.updateAccount(stranger, audit: draft("account.update"))
                }
                await expectStoreError(.constraint) {
                    try await store.insertToken(
                        TokenRecord(
                            tokenHash: AuditChain.digest("t"),
                            username: "stranger",
                            issuedAt: clock.now(),
                            expiresAt: clock.now().addingTimeInterval(60)
                        ),
                        audit: draft("auth.login")
                    )
                }
                await expectStoreError(.conflict) {
                    try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                }
                #expect(try await Snapshot(store) == before)
                #expect(try await verifiedAuditLog(store).count == 2)
            },
            StoreContractCase("concurrentWritersKeepTheChainWhole") { (store, _) async throws in
                let writers = 48
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<writers {
                        group.addTask {
                            switch index % 4 {
                            case 0:
                                _ = try await store.apply(
                                    [create(.person, "p-\(index)")],
                                    audit: draft("person.create")
                                )
                            case 1:
                                _ = try await store.apply(
                                    [create(.checkpoint, "c-\(index)")],
                                    audit: draft("checkpoint.create")
                                )
                            case 2:
                                _ = try await store.appendAudit(draft("screen"))
                            default:
                                _ = try await store.apply(
                                    [DocumentWrite(kind: .vehicle, id: "v-1", operation: .upsert, body: body("v-1"))],
                                    audit: draft("vehicle.put")
                                )
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let records = try await verifiedAuditLog(store, pageSize: 10)
                #expect(records.count == writers)
                #expect(try await store.allDocuments(kind: .person).count == writers / 4)
                #expect(try await store.allDocuments(kind: .checkpoint).count == writers / 4)
                #expect(try await store.document(kind: .vehicle, id: "v-1")?.revision == Int64(writers / 4))
                #expect(try await store.listVersion() == Int64(writers / 2))
                #expect(try await store.collectionVersion(kind: .person) == Int64(writers / 4))
                // List versions in the log never go back.
                let versions = records.map(\.listVersion)
                #expect(versions == versions.sorted())
            },
        ]
    }
}

import CordonCore
import CordonStore
import Foundation
import Testing

extension StoreContract {
    /// Documents: conditional writes, revisions, batches, pages and filters.
    static var documentCases: [StoreContractCase] {
        [
            StoreContractCase("aCreatedDocumentReadsBackAsWritten") { (store, clock) async throws in
                let write = create(.person, "p-1", tags: [DocumentTag("status", "at_large")])
                let receipt = try await store.apply([write], audit: draft("person.create"))
                let document = try #require(receipt.documents.first)
                #expect(receipt.documents.count == 1)
                #expect(document.kind == .person)
                #expect(document.id == "p-1")
                #expect(document.revision == 1)
                #expect(document.body == write.body)
                #expect(document.createdAt == clock.now())
                #expect(document.updatedAt == clock.now())
                #expect(try await store.document(kind: .person, id: "p-1") == document)
                #expect(try await store.document(kind: .person, id: "p-2") == nil)
                #expect(try await store.document(kind: .vehicle, id: "p-1") == nil)
            },
            StoreContractCase("aCreateOverAnExistingIDConflicts") { (store, _) async throws in
                _ = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                await expectStoreError(.conflict) {
                    try await store.apply([create(.person, "p-1", version: 2)], audit: draft("person.create"))
                }
                let document = try #require(try await store.document(kind: .person, id: "p-1"))
                #expect(document.revision == 1)
                #expect(document.body == body("p-1", 1))
                // The same id in another collection is another document.
                _ = try await store.apply([create(.vehicle, "p-1")], audit: draft("vehicle.create"))
            },
            StoreContractCase("aReplaceMovesTheRevisionAndKeepsTheCreationTime") { (store, clock) async throws in
                let created = clock.now()
                _ = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                clock.advance(by: 90.5)
                let second = DocumentWrite(
                    kind: .person,
                    id: "p-1",
                    operation: .replace(expectedRevision: 1),
                    body: body("p-1", 2)
                )
                let replaced = try #require(
                    try await store.apply([second], audit: draft("person.update")).documents.first
                )
                #expect(replaced.revision == 2)
                #expect(replaced.body == body("p-1", 2))
                #expect(replaced.createdAt == created)
                #expect(replaced.updatedAt == clock.now())
                #expect(try await store.document(kind: .person, id: "p-1") == replaced)
                clock.advance(by: 1)
                let third = DocumentWrite(
                    kind: .person,
                    id: "p-1",
                    operation: .replace(expectedRevision: nil),
                    body: body("p-1", 3)
                )
                let unconditional = try await store.apply([third], audit: draft("person.update"))
                #expect(unconditional.documents.first?.revision == 3)
            },
            StoreContractCase("aStaleRevisionConflicts") { (store, _) async throws in
                _ = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                let update = DocumentWrite(
                    kind: .person,
                    id: "p-1",
                    operation: .replace(expectedRevision: 1),
                    body: body("p-1", 2)
                )
                _ = try await store.apply([update], audit: draft("person.update"))
                await expectStoreError(.conflict) {
                    try await store.apply([update], audit: draft("person.update"))
                }
                await expectStoreError(.conflict) {
                    try await store.apply(
                        [DocumentWrite(kind: .person, id: "p-1", operation: .delete(expectedRevision: 1))],
                        audit: draft("person.delete")
                    )
                }
                let document = try #require(try await store.document(kind: .person, id: "p-1"))
                #expect(document.revision == 2)
                #expect(document.body == body("p-1", 2))
            },
            StoreContractCase("aReplaceOrDeleteOfNothingIsNotFound") { (store, _) async throws in
                for operation in [
                    DocumentWrite.Operation.replace(expectedRevision: nil), .replace(expectedRevision: 1),
                ] {
                    await expectStoreError(.notFound) {
                        try await store.apply(
                            [DocumentWrite(kind: .person, id: "p-9", operation: operation, body: body("p-9"))],
                            audit: draft("person.update")
                        )
                    }
                }
                for operation in [DocumentWrite.Operation.delete(expectedRevision: nil), .delete(expectedRevision: 1)] {
                    await expectStoreError(.notFound) {
                        try await store.apply(
                            [DocumentWrite(kind: .person, id: "p-9", operation: operation)],
                            audit: draft("person.delete")
                        )
                    }
                }
                #expect(try await store.auditHead() == nil)
            },
            StoreContractCase("anUpsertCreatesThenReplaces") { (store, clock) async throws in
                let created = clock.now()
                let first = DocumentWrite(kind: .vehicle, id: "v-1", operation: .upsert, body: body("v-1", 1))
                let inserted = try #require(try await store.apply([first], audit: draft("vehicle.put")).documents.first)
                #expect(inserted.revision == 1)
                clock.advance(by: 5)
                let second = DocumentWrite(kind: .vehicle, id: "v-1", operation: .upsert, body: body("v-1", 2))
                let replaced = try #require(
                    try await store.apply([second], audit: draft("vehicle.put")).documents.first
                )
                #expect(replaced.revision == 2)
                #expect(replaced.body == body("v-1", 2))
                #expect(replaced.createdAt == created)
                #expect(replaced.updatedAt == clock.now())
            },
            StoreContractCase("aDeleteRemovesTheDocumentAndItsTags") { (store, _) async throws in
                let tags = [DocumentTag("status", "at_large")]
                _ = try await store.apply([create(.person, "p-1", tags: tags)], audit: draft("person.create"))
                let receipt = try await store.apply(
                    [DocumentWrite(kind: .person, id: "p-1", operation: .delete(expectedRevision: 1))],
                    audit: draft("person.delete")
                )
                #expect(receipt.documents.isEmpty)
                #expect(try await store.document(kind: .person, id: "p-1") == nil)
                #expect(try await store.documents(kind: .person, query: DocumentQuery(filters: tags)).documents.isEmpty)
                #expect(try await store.allDocuments(kind: .person).isEmpty)
                // The id is free again, and starts over at revision 1 without the old tags.
                let again = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                #expect(again.documents.first?.revision == 1)
                #expect(try await store.documents(kind: .person, query: DocumentQuery(filters: tags)).documents.isEmpty)
            },
            StoreContractCase("aFailedWriteInABatchWritesNothing") { (store, _) async throws in
                _ = try await store.apply(
                    [create(.person, "p-1", tags: [DocumentTag("status", "at_large")]), create(.checkpoint, "c-1")],
                    audit: draft("seed")
                )
                let before = try await Snapshot(store)
                let failures: [[DocumentWrite]] = [
                    // A conflict at the end, after writes to three collections.
                    [
                        create(.person, "p-2"),
                        DocumentWrite(kind: .person, id: "p-1", operation: .upsert, body: body("p-1", 2)),
                        create(.vehicle, "v-1"),
                        DocumentWrite(
                            kind: .checkpoint,
                            id: "c-1",
                            operation: .delete(expectedRevision: nil)
                        ),
                        create(.person, "p-1"),
                    ],
                    // A missing document in the middle.
                    [
                        create(.organization, "o-1"),
                        DocumentWrite(kind: .person, id: "p-404", operation: .replace(expectedRevision: nil)),
                        create(.person, "p-3"),
                    ],
                    // A stale revision first.
                    [
                        DocumentWrite(kind: .person, id: "p-1", operation: .replace(expectedRevision: 7)),
                        create(.person, "p-4"),
                    ],
                ]
                for writes in failures {
                    do {
                        _ = try await store.apply(writes, audit: draft("batch"))
                        Issue.record("a batch with a failing write was applied")
                    } catch let error as StoreError {
                        #expect(error.code == .conflict || error.code == .notFound)
                    }
                    #expect(try await Snapshot(store) == before)
                }
                try await verifiedAuditLog(store)
            },
            StoreContractCase("aBatchIsOneTransactionWithOneRecord") { (store, _) async throws in
                let receipt = try await store.apply(
                    [
                        create(.person, "p-2"), create(.person, "p-1"), create(.checkpoint, "c-1"),
                        DocumentWrite(
                            kind: .person,
                            id: "p-2",
                            operation: .replace(expectedRevision: 1),
                            body: body("p-2", 2)
                        ),
                        create(.incident, "i-1"),
                        DocumentWrite(kind: .incident, id: "i-1", operation: .delete(expectedRevision: 1)),
                    ],
                    audit: draft("batch")
                )
                #expect(receipt.documents.map(\.id) == ["p-2", "p-1", "c-1"])
                #expect(receipt.documents.map(\.revision) == [2, 1, 1])
                #expect(receipt.audit.sequence == 1)
                #expect(receipt.listVersion == 1)
                #expect(try await store.collectionVersion(kind: .person) == 1)
                #expect(try await store.collectionVersion(kind: .checkpoint) == 1)
                #expect(try await store.collectionVersion(kind: .incident) == 1)
                #expect(try await store.document(kind: .incident, id: "i-1") == nil)
                let records = try await verifiedAuditLog(store)
                #expect(records.count == 1)
                #expect(records.first?.hash == receipt.audit.hash)
            },
            StoreContractCase("pagesWalkACollectionInIDOrder") { (store, _) async throws in
                let ids = (0..<25).map { "p-" + ($0 < 10 ? "0" : "") + String($0) }
                for chunk in [Array(ids[10...]), Array(ids[..<10])] {
                    _ = try await store.apply(chunk.reversed().map { create(.person, $0) }, audit: draft("seed"))
                }
                _ = try await store.apply([create(.vehicle, "a-0"), create(.vehicle, "z-9")], audit: draft("seed"))
                let version = try await store.collectionVersion(kind: .person)
                var seen: [String] = []
                var cursors: [String?] = []
                var query = DocumentQuery(limit: 10)
                while true {
                    let page = try await store.documents(kind: .person, query: query)
                    #expect(page.collectionVersion == version)
                    #expect(page.documents.allSatisfy { $0.kind == .person })
                    seen += page.documents.map(\.id)
                    cursors.append(page.nextCursor)
                    guard let next = page.nextCursor else { break }
                    query.after = next
                }
                #expect(seen == ids)
                #expect(cursors == ["p-09", "p-19", nil])
                // A page that ends exactly at the end has no cursor; a cursor needs no document of its own.
                #expect(try await store.documents(kind: .person, query: DocumentQuery(limit: 25)).nextCursor == nil)
                let tail = try await store.documents(kind: .person, query: DocumentQuery(after: "p-195", limit: 5))
                #expect(tail.documents.map(\.id) == ["p-20", "p-21", "p-22", "p-23", "p-24"])
                #expect(tail.nextCursor == nil)
                let beyond = try await store.documents(kind: .person, query: DocumentQuery(after: "p-24"))
                #expect(beyond.documents.isEmpty)
                #expect(beyond.nextCursor == nil)
                // A limit set out of range after the query was made is clamped to 1...1000.
                var tiny = DocumentQuery()
                tiny.limit = 0
                let one = try await store.documents(kind: .person, query: tiny)
                #expect(one.documents.map(\.id) == ["p-00"])
                #expect(one.nextCursor == "p-00")
                #expect(try await store.allDocuments(kind: .person).map(\.id) == ids)
                #expect(try await store.allDocuments(kind: .vehicle).map(\.id) == ["a-0", "z-9"])
                #expect(try await store.allDocuments(kind: .facility).isEmpty)
            },
            StoreContractCase("everyFilterMustMatchATag") { (store, _) async throws in
                func tags(_ status: String, _ nationalities: [String]) -> [DocumentTag] {
                    [DocumentTag("status", status)] + nationalities.map { DocumentTag("nationality", $0) }
                }
                _ = try await store.apply(
                    [
                        create(.person, "p-1", tags: tags("at_large", ["TJ"])),
                        create(.person, "p-2", tags: tags("at_large", ["TJ", "UZ"])),
                        create(.person, "p-3", tags: tags("captured", ["TJ"])),
                        create(.person, "p-4", tags: tags("at_large", ["UZ"])),
                        create(.person, "p-5", tags: tags("at_large", ["RU", "RU"])),
                        create(.vehicle, "p-6", tags: tags("at_large", ["TJ"])),
                    ],
                    audit: draft("seed")
                )
                func ids(_ filters: [DocumentTag], after: String? = nil, limit: Int = 100) async throws -> [String] {
                    try await store.documents(
                        kind: .person,
                        query: DocumentQuery(after: after, limit: limit, filters: filters)
                    ).documents.map(\.id)
                }
                let atLarge = DocumentTag("status", "at_large")
                let tajik = DocumentTag("nationality", "TJ")
                let uzbek = DocumentTag("nationality", "UZ")
                #expect(try await ids([atLarge]) == ["p-1", "p-2", "p-4", "p-5"])
                #expect(try await ids([tajik]) == ["p-1", "p-2", "p-3"])
                #expect(try await ids([atLarge, tajik]) == ["p-1", "p-2"])
                #expect(try await ids([tajik, uzbek]) == ["p-2"])
                #expect(try await ids([DocumentTag("nationality", "RU")]) == ["p-5"])
                #expect(try await ids([DocumentTag("status", "dead")]).isEmpty)
                #expect(try await ids([DocumentTag("TJ", "nationality")]).isEmpty)
                #expect(try await ids([atLarge], after: "p-1", limit: 2) == ["p-2", "p-4"])
                let page = try await store.documents(kind: .person, query: DocumentQuery(limit: 2, filters: [atLarge]))
                #expect(page.nextCursor == "p-2")
                // A replace replaces the tags.
                _ = try await store.apply(
                    [
                        DocumentWrite(
                            kind: .person,
                            id: "p-1",
                            operation: .replace(expectedRevision: 1),
                            body: body("p-1", 2),
                            tags: tags("captured", ["KG"])
                        )
                    ],
                    audit: draft("person.update")
                )
                #expect(try await ids([atLarge]) == ["p-2", "p-4", "p-5"])
                #expect(try await ids([tajik]) == ["p-2", "p-3"])
                #expect(try await ids([DocumentTag("nationality", "KG")]) == ["p-1"])
            },
            StoreContractCase("bodiesComeBackByteForByte") { (store, _) async throws in
                let text = #"{"name":"Мирзоев Абдурасул","note":"a\u0000b","n":1.50,"nested":{"z":[],"a":null}}"#
                let write = DocumentWrite(kind: .person, id: "p-1", operation: .create, body: Data(text.utf8))
                _ = try await store.apply([write], audit: draft("person.create"))
                #expect(try await store.document(kind: .person, id: "p-1")?.body == Data(text.utf8))
            },
        ]
    }

    /// Collection versions and the list version.
    static var versionCases: [StoreContractCase] {
        [
            StoreContractCase("aFreshStoreIsEmptyAtVersionZero") { (store, _) async throws in
                #expect(try await store.listVersion() == 0)
                for kind in EntityKind.all {
                    #expect(try await store.collectionVersion(kind: kind) == 0)
                    let page = try await store.documents(kind: kind, query: DocumentQuery())
                    #expect(page.documents.isEmpty)
                    #expect(page.nextCursor == nil)
                    #expect(page.collectionVersion == 0)
                }
                #expect(try await store.auditHead() == nil)
                #expect(try await store.auditRecords(after: 0, limit: 10).isEmpty)
                #expect(try await store.accounts().isEmpty)
            },
            StoreContractCase("collectionVersionsMoveOnlyWithWritesToTheirKind") { (store, _) async throws in
                func versions() async throws -> [EntityKind: Int64] {
                    var versions: [EntityKind: Int64] = [:]
                    for kind in EntityKind.all { versions[kind] = try await store.collectionVersion(kind: kind) }
                    return versions
                }
                var expected = try await versions()
                _ = try await store.apply([create(.person, "p-1"), create(.person, "p-2")], audit: draft("seed"))
                expected[.person, default: 0] += 1
                #expect(try await versions() == expected)
                _ = try await store.document(kind: .person, id: "p-1")
                _ = try await store.documents(kind: .person, query: DocumentQuery())
                _ = try await store.appendAudit(draft("screen"))
                #expect(try await versions() == expected)
                await expectStoreError(.conflict) {
                    try await store.apply([create(.facility, "f-1"), create(.person, "p-1")], audit: draft("seed"))
                }
                #expect(try await versions() == expected)
                _ = try await store.apply(
                    [DocumentWrite(kind: .person, id: "p-2", operation: .delete(expectedRevision: nil))],
                    audit: draft("person.delete")
                )
                expected[.person, default: 0] += 1
                #expect(try await versions() == expected)
                _ = try await store.apply([create(.facility, "f-1")], audit: draft("facility.create"))
                expected[.facility, default: 0] += 1
                #expect(try await versions() == expected)
                let page = try await store.documents(kind: .facility, query: DocumentQuery())
                #expect(page.collectionVersion == expected[.facility])
            },
            StoreContractCase("theListVersionMovesOnlyWithScreenedKinds") { (store, _) async throws in
                #expect(EntityKind.screened == [.person, .organization, .vehicle])
                var expected: Int64 = 0
                for kind in EntityKind.all {
                    let receipt = try await store.apply([create(kind, "x-1")], audit: draft("\(kind).create"))
                    if EntityKind.screened.contains(kind) { expected += 1 }
                    #expect(receipt.listVersion == expected, "after a write to \(kind)")
                    #expect(try await store.listVersion() == expected, "after a write to \(kind)")
                }
                let batch = try await store.apply(
                    [create(.person, "x-2"), create(.vehicle, "x-2"), create(.organization, "x-2")],
                    audit: draft("batch")
                )
                expected += 1
                #expect(batch.listVersion == expected)
                await expectStoreError(.conflict) {
                    try await store.apply([create(.vehicle, "x-3"), create(.person, "x-1")], audit: draft("batch"))
                }
                _ = try await store.appendAudit(draft("screen"))
                _ = try await store.allDocuments(kind: .person)
                #expect(try await store.listVersion() == expected)
            },
            StoreContractCase("migratingAgainKeepsEverything") { (store, _) async throws in
                _ = try await store.apply([create(.person, "p-1")], audit: draft("person.create"))
                try await store.migrate()
                try await store.migrate()
                #expect(try await store.document(kind: .person, id: "p-1")?.revision == 1)
                #expect(try await store.listVersion() == 1)
                _ = try await store.apply([create(.person, "p-2")], audit: draft("person.create"))
                #expect(try await verifiedAuditLog(store).count == 2)
            },
        ]
    }
}

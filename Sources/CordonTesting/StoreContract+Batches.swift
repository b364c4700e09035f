import CordonCore
import CordonStore
import Foundation
import Testing

extension StoreContract {
    /// Batches: one document written several times in one batch, and batches of thousands.
    static var batchCases: [StoreContractCase] {
        [
            StoreContractCase("theLastWriteOfABatchDecidesADocumentAndItsTags") { (store, clock) async throws in
                _ = try await store.apply(
                    [create(.person, "p-old", tags: [DocumentTag("status", "at_large")])],
                    audit: draft("seed")
                )
                clock.advance(by: 3)
                let at = clock.now()
                _ = try await store.apply(
                    [
                        // Created, then replaced with other tags.
                        create(.person, "p-new", tags: [DocumentTag("status", "at_large")]),
                        DocumentWrite(
                            kind: .person,
                            id: "p-new",
                            operation: .replace(expectedRevision: 1),
                            body: body("p-new", 2),
                            tags: [DocumentTag("status", "captured")]
                        ),
                        // Deleted, then made again: a new document from revision 1, without the old tags.
                        DocumentWrite(kind: .person, id: "p-old", operation: .delete(expectedRevision: 1)),
                        create(.person, "p-old", version: 3, tags: [DocumentTag("group", "ward")]),
                        // Upserted twice.
                        DocumentWrite(kind: .vehicle, id: "v-1", operation: .upsert, body: body("v-1", 1)),
                        DocumentWrite(
                            kind: .vehicle,
                            id: "v-1",
                            operation: .upsert,
                            body: body("v-1", 2),
                            tags: [DocumentTag("plate", "4519AA")]
                        ),
                    ],
                    audit: draft("batch")
                )
                let new = try #require(try await store.document(kind: .person, id: "p-new"))
                #expect(new.revision == 2 && new.body == body("p-new", 2))
                let old = try #require(try await store.document(kind: .person, id: "p-old"))
                #expect(old.revision == 1 && old.body == body("p-old", 3))
                #expect(old.createdAt == stored(at))
                let vehicle = try #require(try await store.document(kind: .vehicle, id: "v-1"))
                #expect(vehicle.revision == 2 && vehicle.body == body("v-1", 2))
                func ids(_ kind: EntityKind, _ tag: DocumentTag) async throws -> [String] {
                    try await store.documents(kind: kind, query: DocumentQuery(filters: [tag])).documents.map(\.id)
                }
                #expect(try await ids(.person, DocumentTag("status", "at_large")).isEmpty)
                #expect(try await ids(.person, DocumentTag("status", "captured")) == ["p-new"])
                #expect(try await ids(.person, DocumentTag("group", "ward")) == ["p-old"])
                #expect(try await ids(.vehicle, DocumentTag("plate", "4519AA")) == ["v-1"])
            },
            StoreContractCase("aBatchOfThousandsIsWrittenWholeWithItsTags") { (store, _) async throws in
                let count = 2_500
                let writes = (0..<count).map { index in
                    create(
                        .checkpoint,
                        "c-\(String(format: "%05d", index))",
                        tags: [DocumentTag("region", "r-\(index % 5)"), DocumentTag("kind", "road")]
                    )
                }
                let receipt = try await store.apply(writes, audit: draft("checkpoints.import"))
                #expect(receipt.documents.count == count)
                #expect(receipt.documents.first?.id == "c-00000" && receipt.documents.last?.id == "c-02499")
                #expect(try await store.allDocuments(kind: .checkpoint).count == count)
                var query = DocumentQuery(limit: 1000, filters: [DocumentTag("region", "r-3")])
                var found = 0
                while true {
                    let page = try await store.documents(kind: .checkpoint, query: query)
                    found += page.documents.count
                    guard let next = page.nextCursor else { break }
                    query.after = next
                }
                #expect(found == count / 5)
                // Replaced all at once: every revision moves, every old tag goes.
                let replaced = (0..<count).map { index in
                    DocumentWrite(
                        kind: .checkpoint,
                        id: "c-\(String(format: "%05d", index))",
                        operation: .replace(expectedRevision: 1),
                        body: body("c-\(index)", 2),
                        tags: [DocumentTag("kind", "rail")]
                    )
                }
                let again = try await store.apply(replaced, audit: draft("checkpoints.import"))
                #expect(again.documents.allSatisfy { $0.revision == 2 })
                let roads = try await store.documents(
                    kind: .checkpoint,
                    query: DocumentQuery(filters: [DocumentTag("kind", "road")])
                )
                #expect(roads.documents.isEmpty)
                #expect(try await verifiedAuditLog(store).count == 2)
            },
            StoreContractCase("severalRecordsAppendedAtOnceAreChainedInOrder") { (store, _) async throws in
                #expect(try await store.appendAudit([]).isEmpty)
                #expect(try await store.auditHead() == nil)
                _ = try await store.appendAudit(draft("screen", target: "first"))
                let batch = try await store.appendAudit(
                    ["second", "third", "fourth"].map { draft("screen", target: $0) }
                )
                #expect(batch.map(\.sequence) == [2, 3, 4])
                #expect(batch.map(\.target) == ["second", "third", "fourth"])
                #expect(Set(batch.map(\.at)).count == 1, "one reading of the clock")
                let last = try await store.appendAudit(draft("screen", target: "fifth"))
                #expect(last.sequence == 5)
                #expect(try await store.auditHead() == AuditRecordSummary(sequence: 5, hash: last.hash))
                let records = try await verifiedAuditLog(store)
                #expect(records.map(\.target) == ["first", "second", "third", "fourth", "fifth"])
                #expect(records[1...3].map(\.hash) == batch.map(\.hash))
            },
        ]
    }
}

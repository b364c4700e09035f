import CordonCore
import Foundation
import Testing

private func chain(_ count: Int) -> [AuditRecord] {
    var records: [AuditRecord] = []
    var previous = AuditChain.genesisHash
    let start = Instant.parse("2010-08-22T22:00:00+05:00")!
    for index in 1...count {
        let draft = AuditRecord.Draft(
            actor: index % 2 == 0 ? "duty" : "system",
            role: index % 2 == 0 ? .commander : nil,
            action: "person.update",
            target: "persons/p-\(index)",
            address: "127.0.0.1",
            details: .object(["fields": .array([.string("status")]), "n": .number(Double(index))])
        )
        let record = AuditRecord(
            draft: draft,
            sequence: Int64(index),
            at: start.addingTimeInterval(Double(index) * 60.5),
            listVersion: Int64(index),
            previousHash: previous
        )
        previous = record.hash
        records.append(record)
    }
    return records
}

private func firstBreak(_ records: [AuditRecord]) -> AuditChain.Break? {
    var verifier = AuditChain.Verifier()
    for record in records {
        if let problem = verifier.check(record) { return problem }
    }
    return nil
}

private func altered(_ record: AuditRecord, actor: String) -> AuditRecord {
    AuditRecord(
        sequence: record.sequence,
        at: record.at,
        actor: actor,
        role: record.role,
        action: record.action,
        target: record.target,
        address: record.address,
        listVersion: record.listVersion,
        details: record.details,
        previousHash: record.previousHash,
        hash: record.hash
    )
}

@Suite struct AuditChainTests {
    @Test func anIntactChainVerifies() {
        let records = chain(20)
        #expect(firstBreak(records) == nil)
        #expect(records.allSatisfy { $0.hasValidHash })
        #expect(records[0].previousHash == AuditChain.genesisHash)
        var verifier = AuditChain.Verifier()
        for record in records { _ = verifier.check(record) }
        #expect(verifier.checkHead(sequence: 20, hash: records[19].hash) == nil)
        #expect(verifier.checkHead(sequence: 21, hash: "x")?.kind == .removed)
    }

    @Test func namesAnAlteredRecord() {
        var records = chain(10)
        records[6] = altered(records[6], actor: "intruder")
        let problem = firstBreak(records)
        #expect(problem?.kind == .altered)
        #expect(problem?.sequence == 7)
    }

    @Test func namesARemovedRecord() {
        var records = chain(10)
        records.remove(at: 4)
        let problem = firstBreak(records)
        #expect(problem?.kind == .removed)
        #expect(problem?.sequence == 5)
    }

    @Test func namesAnInsertedRecord() {
        var records = chain(10)
        // A forged record with a valid hash of its own, slipped in after record 3 under its number.
        let forged = AuditRecord(
            draft: .init(actor: "intruder", action: "person.delete", target: "persons/p-1"),
            sequence: 4,
            at: records[3].at,
            listVersion: 4,
            previousHash: records[2].hash
        )
        records.insert(forged, at: 3)
        let problem = firstBreak(records)
        #expect(problem?.kind == .inserted)
        #expect(problem?.sequence == 4)
    }

    @Test func digestsAreSHA256() {
        #expect(AuditChain.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(AuditChain.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func canonicalJSONIsStable() {
        let value = JSONValue.object([
            "b": .array([.number(1), .number(2.5), .null, .bool(true)]), "a": .string("Зиёев \"q\"\n"),
        ])
        #expect(value.canonicalText == #"{"a":"Зиёев \"q\"\n","b":[1,2.5,null,true]}"#)
    }

    @Test func hashesCoverEveryField() {
        let record = chain(1)[0]
        #expect(altered(record, actor: "other").hasValidHash == false)
        #expect(record.hasValidHash)
    }
}

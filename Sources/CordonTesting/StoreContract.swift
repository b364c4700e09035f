import CordonCore
public import CordonStore
import Foundation
import Testing

/// The behaviour every ``Store`` back end must show, written once and run by each back end's tests.
///
/// A back end's test target runs every case against a fresh, migrated store whose clock is the case's
/// ``ManualClock``:
///
/// ```swift
/// @Test(arguments: StoreContract.cases)
/// func contract(_ contractCase: StoreContractCase) async throws {
///     let clock = ManualClock()
///     let store = try SQLiteStore(path: temporaryFile(), now: clock.now)
///     try await store.migrate()
///     try await contractCase.run(store, clock: clock)
/// }
/// ```
///
/// The cases check results with Swift Testing's `#expect` and `#require`, so a failure names the
/// case and the line. What they require, beyond each method's documentation:
///
/// - A document's body comes back byte for byte; ids sort bytewise (the cases use ASCII ids).
/// - Times are kept to the millisecond; a write's documents and its audit record carry the same time,
///   read once from the clock inside the transaction.
/// - A write whose condition fails writes nothing: no document, no version, no audit record.
/// - Each transaction that writes a kind moves that kind's collection version once; one that writes a
///   kind in ``EntityKind/screened`` moves the list version once. Reads and audit-only appends move neither.
/// - The audit log has no gaps, its chain verifies with ``AuditChain/Verifier``, and its head is the last record,
///   whatever the concurrency of the writers.
public enum StoreContract {
    /// Every case of the contract.
    public static var cases: [StoreContractCase] {
        documentCases + batchCases + versionCases + auditCases + accountCases
    }
}

/// One case of the ``StoreContract``: a name and a check to run against a fresh store.
public struct StoreContractCase: Sendable, CustomStringConvertible {
    /// The behaviour checked, as a phrase (`aFailedWriteInABatchWritesNothing`).
    public let name: String
    private let body: @Sendable (any Store, ManualClock) async throws -> Void

    /// Creates a case.
    ///
    /// - Parameters:
    ///   - name: the behaviour checked.
    ///   - body: the check, given the store and the clock the store reads.
    public init(_ name: String, _ body: @escaping @Sendable (any Store, ManualClock) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the case.
    ///
    /// - Parameters:
    ///   - store: a fresh store, migrated, holding nothing.
    ///   - clock: the clock the store reads for its timestamps.
    /// - Throws: what the store throws unexpectedly, or a failed `#require`.
    public func run(_ store: some Store, clock: ManualClock) async throws {
        try await body(store, clock)
    }

    public var description: String { name }
}

// MARK: Helpers for the cases

extension StoreContract {
    /// A draft by an admin from the loopback address.
    static func draft(_ action: String, target: String? = nil, details: JSONValue = .object([:])) -> AuditRecord.Draft {
        AuditRecord.Draft(
            actor: "contract",
            role: .admin,
            action: action,
            target: target,
            address: "127.0.0.1",
            details: details
        )
    }

    /// A JSON body naming the document and a version of it.
    static func body(_ id: String, _ version: Int = 1) -> Data {
        Data(#"{"id":"\#(id)","version":\#(version)}"#.utf8)
    }

    /// A create of `kind/id`.
    static func create(_ kind: EntityKind, _ id: String, version: Int = 1, tags: [DocumentTag] = []) -> DocumentWrite {
        DocumentWrite(kind: kind, id: id, operation: .create, body: body(id, version), tags: tags)
    }

    /// A time as the store keeps it: truncated to the millisecond.
    static func stored(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// Expects `body` to throw a ``StoreError`` with `code`.
    static func expectStoreError<T>(
        _ code: StoreError.Code,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> T
    ) async {
        do {
            _ = try await body()
            Issue.record("expected a StoreError \(code), but nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a StoreError \(code), not \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Every audit record, read in pages of `pageSize`, after checking the chain and the head.
    @discardableResult
    static func verifiedAuditLog(
        _ store: some Store,
        pageSize: Int = 7,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [AuditRecord] {
        var verifier = AuditChain.Verifier()
        var records: [AuditRecord] = []
        while true {
            let page = try await store.auditRecords(after: records.last?.sequence ?? 0, limit: pageSize)
            for record in page {
                #expect(verifier.check(record) == nil, sourceLocation: sourceLocation)
            }
            records += page
            if page.count < pageSize { break }
        }
        let head = try await store.auditHead()
        #expect(head?.sequence == records.last?.sequence, sourceLocation: sourceLocation)
        #expect(head?.hash == records.last?.hash, sourceLocation: sourceLocation)
        if let head {
            #expect(verifier.checkHead(sequence: head.sequence, hash: head.hash) == nil, sourceLocation: sourceLocation)
        }
        #expect(records.map(\.sequence) == (0..<records.count).map { Int64($0) + 1 }, sourceLocation: sourceLocation)
        return records
    }

    /// The state a failed write must leave untouched.
    struct Snapshot: Equatable {
        var head: AuditRecordSummary?
        var listVersion: Int64
        var collectionVersions: [Int64]
        var documents: [[StoredDocument]]

        init(_ store: some Store) async throws {
            head = try await store.auditHead()
            listVersion = try await store.listVersion()
            collectionVersions = []
            documents = []
            for kind in EntityKind.all {
                collectionVersions.append(try await store.collectionVersion(kind: kind))
                documents.append(try await store.allDocuments(kind: kind))
            }
        }
    }
}

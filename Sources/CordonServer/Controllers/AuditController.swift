import CordonCore
import CordonStore
import Foundation
import Hummingbird

/// `GET /v1/audit`: the audit log, oldest first, for auditors; its Merkle tree's signed head and
/// proofs (hashes only) for every account, so that checkpoints can witness it.
struct AuditController<S: Store>: Sendable {
    let store: S
    let ledger: AuditLedger<S>

    struct Page: Encodable {
        let records: [AuditRecord]
        let nextAfter: Int64?

        enum CodingKeys: String, CodingKey {
            case records
            case nextAfter = "next_after"
        }
    }

    /// A signed head, with the proof that an earlier tree (`?since=`) is a prefix of it when asked.
    struct HeadAnswer: Encodable {
        let head: SignedTreeHead
        let since: Int?
        let consistency: [Data]?

        func encode(to encoder: any Encoder) throws {
            try head.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(since, forKey: .since)
            try container.encodeIfPresent(consistency, forKey: .consistency)
        }

        enum CodingKeys: String, CodingKey {
            case since, consistency
        }
    }

    struct InclusionAnswer: Encodable {
        let sequence: Int
        let leafIndex: Int
        let treeSize: Int
        let leafHash: Data
        let auditPath: [Data]

        enum CodingKeys: String, CodingKey {
            case sequence
            case leafIndex = "leaf_index"
            case treeSize = "tree_size"
            case leafHash = "leaf_hash"
            case auditPath = "audit_path"
        }
    }

    struct ConsistencyAnswer: Encodable {
        let first: Int
        let second: Int
        let consistency: [Data]
    }

    func register(on router: inout SecuredRouter) {
        let auditors = router.group(Roles.auditors)
        auditors.on(.get, "/v1/audit") { request, _, _ in
            try HTTPSupport.allowQuery(request, ["after", "limit"])
            let after = try HTTPSupport.integer(request, "after", default: 0, range: 0...Int(Int32.max))
            let limit = try HTTPSupport.integer(request, "limit", default: 100, range: 1...1000)
            let records = try await store.auditRecords(after: Int64(after), limit: limit + 1)
            let page = Array(records.prefix(limit))
            return try HTTPSupport.json(
                Page(records: page, nextAfter: records.count > limit ? page.last?.sequence : nil)
            )
        }
        let everyone = router.group(Roles.everyone)
        everyone.on(.get, "/v1/audit/tree-head") { request, _, _ in
            try HTTPSupport.allowQuery(request, ["since"])
            let since = try HTTPSupport.query(request, "since").map { _ in
                try HTTPSupport.integer(request, "since", default: 0, range: 0...Int(Int32.max))
            }
            let head = try await ledger.currentHead()
            guard let since else { return try HTTPSupport.json(HeadAnswer(head: head, since: nil, consistency: nil)) }
            let proof = try await refusingAsProblem {
                try await ledger.consistencyProof(first: since, second: head.treeSize)
            }
            return try HTTPSupport.json(HeadAnswer(head: head, since: since, consistency: proof))
        }
        everyone.on(.get, "/v1/audit/proof/inclusion") { request, _, _ in
            try HTTPSupport.allowQuery(request, ["sequence", "tree_size"])
            let sequence = try Self.required(request, "sequence")
            let size = try Self.required(request, "tree_size")
            let (leaf, path) = try await refusingAsProblem {
                try await ledger.inclusionProof(sequence: sequence, treeSize: size)
            }
            return try HTTPSupport.json(
                InclusionAnswer(
                    sequence: sequence,
                    leafIndex: sequence - 1,
                    treeSize: size,
                    leafHash: leaf,
                    auditPath: path
                )
            )
        }
        everyone.on(.get, "/v1/audit/proof/consistency") { request, _, _ in
            try HTTPSupport.allowQuery(request, ["first", "second"])
            let first = try Self.required(request, "first", from: 0)
            let second = try Self.required(request, "second")
            let proof = try await refusingAsProblem { try await ledger.consistencyProof(first: first, second: second) }
            return try HTTPSupport.json(ConsistencyAnswer(first: first, second: second, consistency: proof))
        }
    }

    /// A whole-number query parameter that must be there.
    static func required(_ request: Request, _ name: String, from lowest: Int = 1) throws -> Int {
        guard HTTPSupport.query(request, name) != nil else {
            throw Problem.badRequest("\(name) is required", field: "?\(name)", reason: "missing")
        }
        return try HTTPSupport.integer(request, name, default: lowest, range: lowest...Int(Int32.max))
    }

    private func refusingAsProblem<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refusal as AuditLedger<S>.Refusal {
            throw Problem.badRequest(refusal.message, field: "?\(refusal.field)", reason: "out_of_range")
        }
    }
}

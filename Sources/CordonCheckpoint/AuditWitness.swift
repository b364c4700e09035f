public import CordonCore
import Crypto
public import Foundation

/// A checkpoint as a witness of headquarters' audit log: at each sync it takes the latest signed tree
/// head with the proof that the last head it holds is a prefix of it, and checks the heads alert frames
/// brought meanwhile the same way. A head headquarters cannot prove consistent is kept as such, and said.
public struct AuditWitness: Sendable {
    /// What a check found.
    public struct Outcome: Sendable, Hashable {
        /// The latest head shown consistent, if any.
        public let latest: SignedTreeHead?
        /// One line per head that headquarters' log contradicts.
        public let problems: [String]
    }

    public let store: CheckpointStore
    public let fetcher: any RepositoryFetcher

    public init(store: CheckpointStore, fetcher: any RepositoryFetcher) {
        self.store = store
        self.fetcher = fetcher
    }

    private struct HeadAnswer: Decodable {
        let consistency: [Data]?
    }

    private struct ConsistencyAnswer: Decodable {
        let consistency: [Data]
    }

    /// Checks the server's current head against every head held. Nil when the list names no audit key
    /// or the server serves no heads (nothing to witness).
    public func check(now: Date) async throws -> Outcome? {
        let keys = try store.auditKeys().compactMap { Hex.decode($0) }.compactMap {
            try? Curve25519.Signing.PublicKey(rawRepresentation: $0)
        }
        guard !keys.isEmpty else { return nil }
        let held = try store.treeHeads()
        let previous = held.last { $0.status == .consistent }?.head
        let path = "v1/audit/tree-head" + (previous.map { "?since=\($0.treeSize)" } ?? "")
        guard let data = try await fetcher.api(path) else { return nil }
        let head = try JSONDecoder().decode(SignedTreeHead.self, from: data)
        let proof = try JSONDecoder().decode(HeadAnswer.self, from: data).consistency ?? []
        var problems: [String] = []
        guard head.isSigned(byOneOf: keys) else {
            return Outcome(
                latest: previous,
                problems: ["the tree head for \(head.treeSize) records is not signed by the audit key"]
            )
        }
        if let previous, let problem = contradiction(previous, head, proof: proof) {
            try store.recordTreeHead(head, source: "sync", at: now, status: .inconsistent, detail: problem)
            return Outcome(latest: previous, problems: [problem])
        }
        try store.recordTreeHead(head, source: "sync", at: now, status: .consistent)
        try store.markTreeHead(head, .consistent)
        // Heads alert frames brought: each must be a prefix of the head just taken.
        for seen in held where seen.status == .unchecked {
            let problem: String?
            if !seen.head.isSigned(byOneOf: keys) {
                problem = "a tree head for \(seen.head.treeSize) records is not signed by the audit key"
            } else if seen.head.treeSize > head.treeSize {
                problem =
                    "a head signed at \(Self.time(seen.head)) covered \(seen.head.treeSize) records; "
                    + "the log now has \(head.treeSize): records were removed"
            } else {
                let answer = try await fetcher.api(
                    "v1/audit/proof/consistency?first=\(seen.head.treeSize)&second=\(head.treeSize)"
                )
                let proof =
                    try answer.map { try JSONDecoder().decode(ConsistencyAnswer.self, from: $0).consistency } ?? []
                problem = contradiction(seen.head, head, proof: proof)
            }
            try store.markTreeHead(seen.head, problem == nil ? .consistent : .inconsistent, detail: problem)
            if let problem { problems.append(problem) }
        }
        return Outcome(latest: head, problems: problems)
    }

    /// Why `later` cannot follow `earlier`, or nil when the proof shows it does.
    func contradiction(_ earlier: SignedTreeHead, _ later: SignedTreeHead, proof: [Data]) -> String? {
        if later.treeSize < earlier.treeSize {
            return "a head signed at \(Self.time(earlier)) covered \(earlier.treeSize) records; "
                + "the log now has \(later.treeSize): records were removed"
        }
        let holds = MerkleTree.verifyConsistency(
            firstSize: earlier.treeSize,
            firstRoot: earlier.rootHash,
            secondSize: later.treeSize,
            secondRoot: later.rootHash,
            proof: proof
        )
        return holds
            ? nil
            : "the log's first \(earlier.treeSize) records differ from those signed at \(Self.time(earlier)): "
                + "headquarters' audit log was rewritten"
    }

    static func time(_ head: SignedTreeHead) -> String {
        head.date.formatted(.iso8601)
    }
}

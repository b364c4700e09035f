public import CordonCore
public import CordonStore
public import Crypto
public import Foundation
import Logging
import ServiceLifecycle

/// The audit log as a Merkle tree (RFC 6962): every record a leaf, whose data is the record's 32-byte
/// hash. Holds the leaves' hashes in memory, read from the store as records are written (so every node
/// of a deployment builds the same tree), signs tree heads with the `audit-log` key, and answers
/// inclusion and consistency proofs.
public actor AuditLedger<S: Store> {
    /// Why a proof cannot be given.
    public struct Refusal: Error, Sendable {
        public let field: String
        public let message: String
    }

    private let store: S
    private let key: Curve25519.Signing.PrivateKey
    /// The raw public key (32 bytes) the heads verify with.
    public nonisolated let publicKey: Data
    private let now: @Sendable () -> Date
    private var leaves: [Data] = []
    /// The same leaves as complete subtrees: each head's root without hashing the log again.
    private var frontier = MerkleTree.Frontier()
    /// The latest head signed, which the API, sync and alert frames hand out.
    public private(set) var latest: SignedTreeHead?
    /// Told of each new head (the alert center, to put it on frames).
    private let onSigned: @Sendable (SignedTreeHead) async -> Void

    public init(
        store: S,
        key: Curve25519.Signing.PrivateKey,
        now: @escaping @Sendable () -> Date,
        onSigned: @escaping @Sendable (SignedTreeHead) async -> Void = { _ in }
    ) {
        self.store = store
        self.key = key
        self.publicKey = key.publicKey.rawRepresentation
        self.now = now
        self.onSigned = onSigned
    }

    /// Reads the records written since the last read; returns the tree's size.
    @discardableResult
    public func catchUp() async throws -> Int {
        while true {
            let page = try await store.auditRecords(after: Int64(leaves.count), limit: 1000)
            for record in page {
                // Records come in order without gaps; a gap (a store being repaired) stops the read there.
                guard record.sequence == Int64(leaves.count + 1), let data = Hex.decode(record.hash) else {
                    return leaves.count
                }
                let leaf = MerkleTree.leafHash(data)
                leaves.append(leaf)
                frontier.append(leaf)
            }
            if page.count < 1000 { return leaves.count }
        }
    }

    /// Signs a head over every record written so far.
    @discardableResult
    public func signHead() async throws -> SignedTreeHead {
        let size = try await catchUp()
        let head = try SignedTreeHead(treeSize: size, rootHash: frontier.root, at: now(), key: key)
        latest = head
        await onSigned(head)
        return head
    }

    /// The latest head, signed afresh when records were written since it.
    public func currentHead() async throws -> SignedTreeHead {
        let size = try await catchUp()
        if let latest, latest.treeSize == size { return latest }
        return try await signHead()
    }

    /// The audit path of record `sequence` in the tree of `treeSize` records.
    public func inclusionProof(sequence: Int, treeSize: Int) async throws -> (leaf: Data, path: [Data]) {
        try await require(treeSize, field: "tree_size")
        guard sequence >= 1, sequence <= treeSize else {
            throw Refusal(field: "sequence", message: "record \(sequence) is not in a tree of \(treeSize) records")
        }
        return (leaves[sequence - 1], MerkleTree.inclusionProof(index: sequence - 1, leaves: leaves[0..<treeSize]))
    }

    /// The proof that the tree of `first` records is a prefix of the tree of `second`.
    public func consistencyProof(first: Int, second: Int) async throws -> [Data] {
        try await require(second, field: "second")
        guard first >= 0, first <= second else {
            throw Refusal(field: "first", message: "first (\(first)) must be from 0 to second (\(second))")
        }
        return MerkleTree.consistencyProof(first: first, leaves: leaves[0..<second])
    }

    private func require(_ size: Int, field: String) async throws {
        if size > leaves.count { try await catchUp() }
        guard size >= 1, size <= leaves.count else {
            throw Refusal(field: field, message: "the log has \(leaves.count) records; \(field) must be from 1 to that")
        }
    }
}

/// Signs a tree head of the audit log every `interval` (when records were written, or at least every
/// `interval` anyway so that a head's age tells a witness the server is alive), and a last one on
/// graceful shutdown.
struct TreeHeadService<S: Store>: Service {
    let ledger: AuditLedger<S>
    let interval: Duration
    let logger: Logger

    func run() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await ledger.signHead()
            } catch {
                logger.warning("cannot sign the audit log's tree head", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        // Cancelled outright (not a graceful stop): the store refuses work now, so there is no last head.
        guard !Task.isCancelled else { return }
        do {
            let head = try await ledger.signHead()
            logger.notice(
                "audit log tree head signed at shutdown",
                metadata: ["audit.tree_size": "\(head.treeSize)"]
            )
        } catch {
            logger.warning("cannot sign the audit log's last tree head", metadata: ["error": "\(error)"])
        }
    }
}

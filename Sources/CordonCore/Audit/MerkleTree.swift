public import Crypto
public import Foundation

/// The Merkle tree hash of RFC 6962 / RFC 9162 §2.1 over a list of leaves, with inclusion and
/// consistency proofs and their verification.
///
/// A leaf's hash is SHA-256(0x00 ‖ data), an inner node's SHA-256(0x01 ‖ left ‖ right), the empty
/// tree's SHA-256 of nothing. A tree of n > 1 leaves splits at k, the largest power of two below n.
/// Functions take the leaves' hashes (see ``leafHash(_:)``), in order.
public enum MerkleTree {
    /// SHA-256(0x00 ‖ data).
    public static func leafHash(_ data: some DataProtocol) -> Data {
        var hasher = SHA256()
        hasher.update(data: [0])
        hasher.update(data: data)
        return Data(hasher.finalize())
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: Data, _ right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [1])
        hasher.update(data: left)
        hasher.update(data: right)
        return Data(hasher.finalize())
    }

    /// The root of the empty tree.
    public static let emptyRoot = Data(SHA256.hash(data: Data()))

    /// The complete subtrees of a tree being built leaf by leaf, left to right: appending is amortised
    /// constant time and the root is a fold over at most log₂(n) hashes, so a log that grows keeps its
    /// root without hashing its records again.
    public struct Frontier: Sendable {
        private var stack: [(size: Int, hash: Data)] = []
        /// The leaves appended.
        public private(set) var count = 0

        public init() {}

        public mutating func append(_ leaf: Data) {
            count += 1
            stack.append((1, leaf))
            while stack.count > 1, stack[stack.count - 1].size == stack[stack.count - 2].size {
                let right = stack.removeLast()
                let left = stack.removeLast()
                stack.append((left.size * 2, MerkleTree.nodeHash(left.hash, right.hash)))
            }
        }

        /// The root of the tree over the leaves appended.
        public var root: Data {
            guard var hash = stack.last?.hash else { return MerkleTree.emptyRoot }
            for left in stack.dropLast().reversed() { hash = MerkleTree.nodeHash(left.hash, hash) }
            return hash
        }
    }

    /// The root of the tree over `leaves` (leaf hashes): linear time, logarithmic memory.
    public static func root(_ leaves: some Collection<Data>) -> Data {
        var frontier = Frontier()
        for leaf in leaves { frontier.append(leaf) }
        return frontier.root
    }

    /// The largest power of two smaller than `n` (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The audit path of leaf `index` in the tree over `leaves`: RFC 6962's PATH(m, D[n]).
    public static func inclusionProof(index: Int, leaves: ArraySlice<Data>) -> [Data] {
        precondition(index >= 0 && index < leaves.count, "the leaf must be in the tree")
        if leaves.count == 1 { return [] }
        let k = split(leaves.count)
        let start = leaves.startIndex
        if index < k {
            return inclusionProof(index: index, leaves: leaves[start..<start + k]) + [root(leaves[(start + k)...])]
        }
        return inclusionProof(index: index - k, leaves: leaves[(start + k)...]) + [root(leaves[start..<start + k])]
    }

    /// The proof that the tree over the first `first` leaves is a prefix of the tree over `leaves`:
    /// RFC 6962's PROOF(m, D[n]). Empty when `first` is 0 or the whole tree.
    public static func consistencyProof(first: Int, leaves: ArraySlice<Data>) -> [Data] {
        precondition(first >= 0 && first <= leaves.count, "the first tree must be a prefix")
        if first == 0 || first == leaves.count { return [] }
        return subproof(first, leaves, complete: true)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<Data>, complete: Bool) -> [Data] {
        let n = leaves.count
        if m == n { return complete ? [] : [root(leaves)] }
        let k = split(n)
        let start = leaves.startIndex
        if m <= k {
            return subproof(m, leaves[start..<start + k], complete: complete) + [root(leaves[(start + k)...])]
        }
        return subproof(m - k, leaves[(start + k)...], complete: false) + [root(leaves[start..<start + k])]
    }

    /// RFC 9162 §2.1.3.2: whether `proof` shows the leaf hash at `index` in a tree of `size` with `root`.
    public static func verifyInclusion(leaf: Data, index: Int, size: Int, proof: [Data], root: Data) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// RFC 9162 §2.1.4.2: whether `proof` shows the tree of `firstSize` with `firstRoot` a prefix of the
    /// tree of `secondSize` with `secondRoot`. Equal sizes need equal roots and an empty proof; a first
    /// tree of size 0 is a prefix of every tree.
    public static func verifyConsistency(
        firstSize: Int,
        firstRoot: Data,
        secondSize: Int,
        secondRoot: Data,
        proof: [Data]
    ) -> Bool {
        guard firstSize >= 0, firstSize <= secondSize else { return false }
        if firstSize == 0 { return proof.isEmpty }
        if firstSize == secondSize { return proof.isEmpty && firstRoot == secondRoot }
        var path = proof
        // When the first tree is complete (a power of two), its root begins the path.
        if firstSize & (firstSize - 1) == 0 { path.insert(firstRoot, at: 0) }
        guard !path.isEmpty else { return false }
        var fn = firstSize - 1
        var sn = secondSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}

import CordonCore
import Crypto
import Foundation
import Testing

/// The audit log's Merkle tree against RFC 6962's test vectors, and every proof for small trees
/// verified (and every tampered proof refused) with RFC 9162's algorithms.
@Suite struct MerkleTreeTests {
    /// RFC 6962's test leaves.
    static let leaves: [Data] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ]
    .map { Data(Hex.decode($0)!) }

    static func hashes(_ count: Int) -> [Data] {
        (0..<count).map { MerkleTree.leafHash(Data("leaf \($0)".utf8)) }
    }

    @Test func rootsAgreeWithRFC6962() {
        let hashes = Self.leaves.map { MerkleTree.leafHash($0) }
        #expect(
            Hex.encode(MerkleTree.root(hashes[0..<1]))
                == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        )
        #expect(
            Hex.encode(MerkleTree.root(hashes[0..<2]))
                == "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
        )
        #expect(
            Hex.encode(MerkleTree.root(hashes)) == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
        )
        #expect(
            Hex.encode(MerkleTree.root([Data]()))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
    }

    /// The root from the stack agrees with the recursive definition at every size.
    @Test func theRootMatchesTheRecursiveDefinition() {
        func recursive(_ leaves: ArraySlice<Data>) -> Data {
            if leaves.count == 1 { return leaves.first! }
            var k = 1
            while k * 2 < leaves.count { k *= 2 }
            let start = leaves.startIndex
            return MerkleTree.nodeHash(recursive(leaves[start..<start + k]), recursive(leaves[(start + k)...]))
        }
        let hashes = Self.hashes(70)
        for size in 1...70 { #expect(MerkleTree.root(hashes[0..<size]) == recursive(hashes[0..<size]), "size \(size)") }
    }

    @Test func everyInclusionProofVerifiesAndNoTamperedOneDoes() {
        let hashes = Self.hashes(20)
        for size in 1...20 {
            let root = MerkleTree.root(hashes[0..<size])
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, leaves: hashes[0..<size])
                #expect(
                    MerkleTree.verifyInclusion(leaf: hashes[index], index: index, size: size, proof: proof, root: root)
                )
                // Another leaf, another place, a flipped byte, a hash dropped or added. (The size is bound to the
                // root by the head's signature, not by the path: a left leaf's path may fit a bigger tree.)
                #expect(
                    !MerkleTree.verifyInclusion(
                        leaf: hashes[(index + 1) % 20],
                        index: index,
                        size: size,
                        proof: proof,
                        root: root
                    )
                )
                if size > 1 {
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leaf: hashes[index],
                            index: (index + 1) % size,
                            size: size,
                            proof: proof,
                            root: root
                        )
                    )
                }
                for position in proof.indices {
                    var flipped = proof
                    flipped[position][0] ^= 1
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leaf: hashes[index],
                            index: index,
                            size: size,
                            proof: flipped,
                            root: root
                        )
                    )
                    var dropped = proof
                    dropped.remove(at: position)
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leaf: hashes[index],
                            index: index,
                            size: size,
                            proof: dropped,
                            root: root
                        )
                    )
                }
                #expect(
                    !MerkleTree.verifyInclusion(
                        leaf: hashes[index],
                        index: index,
                        size: size,
                        proof: proof + [root],
                        root: root
                    )
                )
            }
        }
    }

    @Test func everyConsistencyProofVerifiesAndNoTamperedOneDoes() {
        let hashes = Self.hashes(20)
        for second in 1...20 {
            let secondRoot = MerkleTree.root(hashes[0..<second])
            for first in 0...second {
                let firstRoot = MerkleTree.root(hashes[0..<first])
                let proof = MerkleTree.consistencyProof(first: first, leaves: hashes[0..<second])
                #expect(
                    MerkleTree.verifyConsistency(
                        firstSize: first,
                        firstRoot: firstRoot,
                        secondSize: second,
                        secondRoot: secondRoot,
                        proof: proof
                    ),
                    "\(first) → \(second)"
                )
                guard first > 0, first < second else { continue }
                // A first tree with a record rewritten is no prefix, whatever proof the server gives.
                var rewritten = Array(hashes[0..<first])
                rewritten[first / 2] = MerkleTree.leafHash(Data("rewritten".utf8))
                #expect(
                    !MerkleTree.verifyConsistency(
                        firstSize: first,
                        firstRoot: MerkleTree.root(rewritten),
                        secondSize: second,
                        secondRoot: secondRoot,
                        proof: proof
                    )
                )
                for position in proof.indices {
                    var flipped = proof
                    flipped[position][31] ^= 0x80
                    #expect(
                        !MerkleTree.verifyConsistency(
                            firstSize: first,
                            firstRoot: firstRoot,
                            secondSize: second,
                            secondRoot: secondRoot,
                            proof: flipped
                        )
                    )
                }
                #expect(
                    !MerkleTree.verifyConsistency(
                        firstSize: first,
                        firstRoot: firstRoot,
                        secondSize: second,
                        secondRoot: secondRoot,
                        proof: Array(proof.dropLast())
                    )
                )
            }
        }
    }

    @Test func aTreeHeadVerifiesWithItsKeyOnly() throws {
        let key = Curve25519.Signing.PrivateKey()
        let root = MerkleTree.root(Self.hashes(5))
        let head = try SignedTreeHead(
            treeSize: 5,
            rootHash: root,
            at: Date(timeIntervalSince1970: 1_282_500_000),
            key: key
        )
        #expect(head.timestamp == 1_282_500_000_000)
        #expect(head.isSigned(byOneOf: [key.publicKey]))
        #expect(!head.isSigned(byOneOf: [Curve25519.Signing.PrivateKey().publicKey]))
        // The size, the time or the root changed: the signature no longer holds.
        for changed in [
            SignedTreeHead(
                treeSize: 4,
                timestamp: head.timestamp,
                rootHash: root,
                signature: head.signature,
                keyID: head.keyID
            ),
            SignedTreeHead(
                treeSize: 5,
                timestamp: head.timestamp + 1,
                rootHash: root,
                signature: head.signature,
                keyID: head.keyID
            ),
            SignedTreeHead(
                treeSize: 5,
                timestamp: head.timestamp,
                rootHash: MerkleTree.emptyRoot,
                signature: head.signature,
                keyID: head.keyID
            ),
        ] {
            #expect(!changed.isSigned(byOneOf: [key.publicKey]))
        }
        // RFC 6962's TreeHeadSignature layout: version, type, timestamp, size, root.
        let bytes = SignedTreeHead.signedBytes(treeSize: 5, timestamp: 1, rootHash: root)
        #expect(bytes.count == 2 + 8 + 8 + 32)
        #expect(Array(bytes.prefix(18)) == [0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5])
        let decoded = try JSONDecoder().decode(SignedTreeHead.self, from: JSONEncoder().encode(head))
        #expect(decoded == head)
    }
}

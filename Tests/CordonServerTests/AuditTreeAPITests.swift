import CordonCore
import CordonEvents
import CordonServer
import CordonStoreSQLite
import Crypto
import Foundation
import HTTPTypes
import Testing

/// The audit log's Merkle tree over the API: a head any account may read, signed with the key the
/// ledger holds; proofs that verify against it; refusals naming the parameter; and the latest head on
/// each alert frame a checkpoint receives.
@Suite(.timeLimit(.minutes(5))) struct AuditTreeAPITests {
    static func head(_ object: [String: Any]) throws -> SignedTreeHead {
        try JSONDecoder().decode(SignedTreeHead.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static func hashes(_ list: Any?) -> [Data] {
        (list as? [String] ?? []).compactMap { Data(base64Encoded: $0) }
    }

    @Test func headsAndProofsVerifyAgainstTheLog() async throws {
        try await withDemoServer { server in
            let officer = server.tokens[.checkpointOfficer]
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: server.parts.auditLedger.publicKey)
            let firstAnswer = try await server.api.call(.get, "/v1/audit/tree-head", token: officer)
            #expect(firstAnswer.status == .ok, "\(firstAnswer.text)")
            let first = try Self.head(firstAnswer.object)
            #expect(first.isSigned(byOneOf: [key]))
            // The root is the one over the records' hashes, computed here from the store.
            let records = try await server.store.auditRecords(after: 0, limit: 100_000)
            let leaves = records.map { MerkleTree.leafHash(Hex.decode($0.hash)!) }
            #expect(MerkleTree.root(leaves[0..<first.treeSize]) == first.rootHash)

            for name in ["Mirzoev", "Зиёев"] {
                #expect(
                    try await server.api.call(.post, "/v1/screen", token: officer, json: ["name": name]).status == .ok
                )
            }
            let secondAnswer = try await server.api.call(
                .get,
                "/v1/audit/tree-head?since=\(first.treeSize)",
                token: officer
            )
            let second = try Self.head(secondAnswer.object)
            #expect(second.treeSize > first.treeSize)
            #expect(second.isSigned(byOneOf: [key]))
            #expect(
                MerkleTree.verifyConsistency(
                    firstSize: first.treeSize,
                    firstRoot: first.rootHash,
                    secondSize: second.treeSize,
                    secondRoot: second.rootHash,
                    proof: Self.hashes(secondAnswer.object["consistency"])
                )
            )
            let all = try await server.store.auditRecords(after: 0, limit: 100_000)
            for sequence in [1, second.treeSize / 2, second.treeSize] {
                let proof = try await server.api.call(
                    .get,
                    "/v1/audit/proof/inclusion?sequence=\(sequence)&tree_size=\(second.treeSize)",
                    token: officer
                )
                let leaf = MerkleTree.leafHash(Hex.decode(all[sequence - 1].hash)!)
                #expect(Data(base64Encoded: proof.object["leaf_hash"] as? String ?? "") == leaf)
                #expect(
                    MerkleTree.verifyInclusion(
                        leaf: leaf,
                        index: sequence - 1,
                        size: second.treeSize,
                        proof: Self.hashes(proof.object["audit_path"]),
                        root: second.rootHash
                    ),
                    "record \(sequence)"
                )
            }
            let consistency = try await server.api.call(
                .get,
                "/v1/audit/proof/consistency?first=\(first.treeSize)&second=\(second.treeSize)",
                token: server.tokens[.auditor]
            )
            #expect(Self.hashes(consistency.object["consistency"]) == Self.hashes(secondAnswer.object["consistency"]))
            // Out of the log, backwards, missing: refused, naming the parameter.
            for (query, field) in [
                ("inclusion?sequence=1&tree_size=\(second.treeSize + 1000)", "?tree_size"),
                ("inclusion?sequence=\(second.treeSize + 1)&tree_size=\(second.treeSize)", "?sequence"),
                ("consistency?first=\(second.treeSize)&second=\(first.treeSize)", "?first"),
                ("inclusion?tree_size=3", "?sequence"),
            ] {
                let refused = try await server.api.call(.get, "/v1/audit/proof/\(query)", token: officer)
                #expect(refused.status == .badRequest, "\(query)")
                let pointers = (refused.object["errors"] as? [[String: Any]] ?? []).compactMap {
                    $0["pointer"] as? String
                }
                #expect(pointers == [field], "\(query): \(refused.text)")
            }
        }
    }

    @Test func aCheckpointsAlertFrameCarriesTheLatestHead() async throws {
        try await withDemoServer { server in
            let socket = AlertDeliveryTests.socket(server, "cp-air-dushanbe")
            socket.send(.hello(lastSequence: 0))
            _ = try await socket.next(type: "welcome")
            let composed = try await AlertDeliveryTests.compose(server, checkpoints: ["cp-air-dushanbe"])
            #expect(composed.status == .created)
            let frame = try await socket.next(type: "alert")
            let carried = try #require(frame["tree_head"])
            let head = try JSONDecoder().decode(SignedTreeHead.self, from: JSONEncoder().encode(carried))
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: server.parts.auditLedger.publicKey)
            #expect(head.isSigned(byOneOf: [key]))
            #expect(head == (await server.parts.auditLedger.latest))
            await socket.close()
        }
    }
}

import CordonCheckpoint
import CordonCore
import Crypto
import Foundation

/// Signed tree heads of the audit log held outside its database, for `cordon audit verify --heads`:
/// from a checkpoint's copy (which also names the key), or a JSON file of heads as
/// `GET /v1/audit/tree-head` gives them (an array, or one a line) with the server's key folder.
struct AuditHeads {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The heads signed by the audit key, smallest tree first.
    let heads: [SignedTreeHead]
    /// Heads that were not signed by the key, ignored.
    let unsigned: Int
    /// Where they came from, for the report.
    let source: String

    /// Reads heads from `path`: a checkpoint store folder or a file. `keys` is the server's key folder,
    /// for a file.
    static func read(_ path: String, keys: String?) throws -> AuditHeads {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Failure(description: "no heads at \(path)")
        }
        let heads: [SignedTreeHead]
        let keyTexts: [String]
        if isFolder.boolValue {
            guard FileManager.default.fileExists(atPath: path + "/checkpoint.sqlite") else {
                throw Failure(description: "\(path) is not a checkpoint's copy (no checkpoint.sqlite)")
            }
            let copy = try CheckpointStore(folder: path)
            heads = try copy.treeHeads().map(\.head)
            keyTexts = try copy.auditKeys()
            guard !keyTexts.isEmpty else { throw Failure(description: "the copy in \(path) names no audit key") }
        } else {
            heads = try decode(try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
            guard let keys else { throw Failure(description: "heads from a file need --keys, the server's key folder") }
            keyTexts = [try publicKey(in: keys)]
        }
        let publicKeys = keyTexts.compactMap { Hex.decode($0) }.compactMap {
            try? Curve25519.Signing.PublicKey(rawRepresentation: $0)
        }
        let signed = heads.filter { $0.isSigned(byOneOf: publicKeys) }
        return AuditHeads(
            heads: signed.sorted { ($0.treeSize, $0.timestamp) < ($1.treeSize, $1.timestamp) },
            unsigned: heads.count - signed.count,
            source: path
        )
    }

    private static func decode(_ data: Data, path: String) throws -> [SignedTreeHead] {
        let decoder = JSONDecoder()
        if let array = try? decoder.decode([SignedTreeHead].self, from: data) { return array }
        var heads: [SignedTreeHead] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let head = try? decoder.decode(SignedTreeHead.self, from: Data(line.utf8)) else {
                throw Failure(description: "\(path) line \(number + 1) is not a signed tree head")
            }
            heads.append(head)
        }
        return heads
    }

    /// The audit key's public half (hex) from the seed in the server's key folder; never makes a key.
    private static func publicKey(in folder: String) throws -> String {
        let file = "\(folder)/\(SignedTreeHead.keyName).ed25519"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
            let seed = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        else { throw Failure(description: "no audit key in \(folder) (\(SignedTreeHead.keyName).ed25519)") }
        return Hex.encode(key.publicKey.rawRepresentation)
    }

    /// The first head the log's leaves (record hashes, in order) contradict, as one line; nil when
    /// every head holds. One pass over the leaves, whatever the number of heads.
    func contradiction(leaves: [Data]) -> String? {
        var provenUpTo = 0
        var frontier = MerkleTree.Frontier()
        for head in heads {
            let time = head.date.formatted(.iso8601)
            if head.treeSize > leaves.count {
                return "records \(leaves.count + 1) to \(head.treeSize) removed: a head signed at \(time) covers "
                    + "\(head.treeSize) records, the log has \(leaves.count)"
            }
            while frontier.count < head.treeSize { frontier.append(leaves[frontier.count]) }
            if frontier.root != head.rootHash {
                let from = provenUpTo + 1
                return "records \(from) to \(head.treeSize) rewritten: the log's first \(head.treeSize) records "
                    + "differ from those signed at \(time)"
                    + (provenUpTo > 0 ? " (records 1 to \(provenUpTo) match an earlier head)" : "")
            }
            provenUpTo = head.treeSize
        }
        return nil
    }
}

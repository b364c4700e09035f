public import Crypto
public import Foundation

/// Headquarters' signed statement of the audit log's Merkle tree at one moment: its size and root.
///
/// The signature is Ed25519 over RFC 6962's `TreeHeadSignature` structure: version 0, signature type 1
/// (tree hash), the timestamp in milliseconds and the tree size as big-endian 64-bit integers, then the
/// 32-byte root. The key is headquarters' `audit-log` key, kept with its other keys and never in the
/// database. JSON fields as RFC 6962's `get-sth`, plus `key_id`: the hex SHA-256 of the raw public key.
public struct SignedTreeHead: Sendable, Hashable, Codable {
    /// The name of the signing key in headquarters' key ring.
    public static var keyName: String { "audit-log" }

    /// The number of records (leaves) the tree covers: records 1 through `treeSize`.
    public let treeSize: Int
    /// When it was signed, in milliseconds since 1970.
    public let timestamp: Int64
    /// The Merkle tree hash of the first `treeSize` records.
    public let rootHash: Data
    /// The Ed25519 signature (64 bytes).
    public let signature: Data
    /// The hex SHA-256 of the signing key's 32 raw bytes.
    public let keyID: String

    enum CodingKeys: String, CodingKey {
        case treeSize = "tree_size"
        case timestamp
        case rootHash = "sha256_root_hash"
        case signature = "tree_head_signature"
        case keyID = "key_id"
    }

    public init(treeSize: Int, timestamp: Int64, rootHash: Data, signature: Data, keyID: String) {
        self.treeSize = treeSize
        self.timestamp = timestamp
        self.rootHash = rootHash
        self.signature = signature
        self.keyID = keyID
    }

    /// Signs the tree of `treeSize` leaves with `root` at `date`.
    public init(
        treeSize: Int,
        rootHash: Data,
        at date: Date,
        key: Curve25519.Signing.PrivateKey
    ) throws {
        let timestamp = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        self.init(
            treeSize: treeSize,
            timestamp: timestamp,
            rootHash: rootHash,
            signature: try key.signature(
                for: Self.signedBytes(treeSize: treeSize, timestamp: timestamp, rootHash: rootHash)
            ),
            keyID: Self.keyID(of: key.publicKey)
        )
    }

    /// When it was signed.
    public var date: Date { Date(timeIntervalSince1970: Double(timestamp) / 1000) }

    /// The bytes the signature covers (RFC 6962 §3.5, `TreeHeadSignature`).
    public static func signedBytes(treeSize: Int, timestamp: Int64, rootHash: Data) -> Data {
        var bytes = Data([0, 1])
        withUnsafeBytes(of: UInt64(timestamp).bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(treeSize).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(rootHash)
        return bytes
    }

    /// The hex SHA-256 of a public key's raw bytes.
    public static func keyID(of key: Curve25519.Signing.PublicKey) -> String {
        Hex.encode(Data(SHA256.hash(data: key.rawRepresentation)))
    }

    /// Whether one of `keys` signed it, the key named by ``keyID``.
    public func isSigned(byOneOf keys: [Curve25519.Signing.PublicKey]) -> Bool {
        guard rootHash.count == 32, treeSize >= 0, timestamp >= 0,
            let key = keys.first(where: { Self.keyID(of: $0) == keyID })
        else { return false }
        return key.isValidSignature(
            signature,
            for: Self.signedBytes(treeSize: treeSize, timestamp: timestamp, rootHash: rootHash)
        )
    }
}

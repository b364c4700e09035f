import CordonCore
public import Crypto

/// Names a headquarters credential key: the first 8 bytes of the SHA-256 of its raw Ed25519 public key,
/// written as 16 hex digits. A credential carries the id of the key that signed it, so a checkpoint
/// holding several keys (an old one and its successor) knows which to try.
public struct CredentialKeyID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 8 bytes.
    public let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == 8, "a key id has 8 bytes")
        self.bytes = bytes
    }

    /// The id of `key`.
    public init(of key: Curve25519.Signing.PublicKey) {
        bytes = Array(SHA256.hash(data: key.rawRepresentation).prefix(8))
    }

    /// The id written as 16 hex digits; nil for other text.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 8 else { return nil }
        self.bytes = bytes
    }

    /// 16 lower-case hex digits.
    public var description: String { Hex.encode(bytes) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

import CordonCore
public import Crypto

/// One of headquarters' credential public keys (Ed25519), with its id: a value that can cross tasks.
public struct CredentialPublicKey: Sendable, Hashable {
    /// The key's id, which credentials signed with it carry.
    public let id: CredentialKeyID
    /// The 32 bytes of the raw public key.
    public let rawRepresentation: [UInt8]

    /// Wraps `key`.
    public init(_ key: Curve25519.Signing.PublicKey) {
        id = CredentialKeyID(of: key)
        rawRepresentation = Array(key.rawRepresentation)
    }

    /// The key written as 64 hex digits; nil for other text or bytes that are not a public key.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        else { return nil }
        self.init(key)
    }

    /// The key, for checking signatures.
    public var key: Curve25519.Signing.PublicKey {
        // The bytes came from a valid key.
        try! Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)
    }

    /// The key in lower-case hex.
    public var hex: String { Hex.encode(rawRepresentation) }
}

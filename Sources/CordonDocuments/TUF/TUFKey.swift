public import CordonCore
public import Crypto
import Foundation

/// An Ed25519 public key as TUF metadata lists it, with its key id.
public struct TUFKey: Sendable, Hashable {
    /// The raw 32-byte public key.
    public let rawKey: [UInt8]
    /// The key's id: the SHA-256 of its canonical JSON, in hex.
    public let keyID: String

    /// Wraps a public key.
    public init(_ publicKey: Curve25519.Signing.PublicKey) {
        rawKey = Array(publicKey.rawRepresentation)
        keyID = Hex.encode(SHA256.hash(data: Data(Self.json(publicKey).canonicalText.utf8)))
    }

    /// The key as TUF writes it: `{"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": HEX}}`.
    public var json: JSONValue { Self.json(publicKey) }

    /// The key, for verifying.
    public var publicKey: Curve25519.Signing.PublicKey {
        // The bytes were a valid key when this value was made.
        try! Curve25519.Signing.PublicKey(rawRepresentation: rawKey)
    }

    private static func json(_ key: Curve25519.Signing.PublicKey) -> JSONValue {
        .object([
            "keytype": .string("ed25519"),
            "scheme": .string("ed25519"),
            "keyval": .object(["public": .string(Hex.encode(key.rawRepresentation))]),
        ])
    }

    /// Reads a key from metadata; `nil` for another key type or a malformed key.
    public init?(json: JSONValue) {
        guard json["keytype"]?.stringValue == "ed25519", json["scheme"]?.stringValue == "ed25519",
            let hex = json["keyval"]?["public"]?.stringValue, let bytes = Hex.decode(hex), bytes.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        else { return nil }
        self.init(key)
    }

    public static func == (lhs: TUFKey, rhs: TUFKey) -> Bool { lhs.keyID == rhs.keyID }
    public func hash(into hasher: inout Hasher) { hasher.combine(keyID) }
}

public import Crypto

/// The text form of a signed ``OfficerCredential``, small enough for a QR code:
/// `CDC1.` followed by base64url (no padding) of the credential's ``OfficerCredential/payload`` and the
/// 64-byte Ed25519 signature of `CDC1.` + payload.
///
/// Typical sizes, for a guard of the ward (id `cr-` + 12 hex digits, service number `GK-07731`, unit
/// `fac-gknb-ward`, role `guard`): 279 characters with a three-part Cyrillic name (Назаров Фарҳод
/// Раҳимович) and a photo hash, 251 with the same name in Latin letters, 236 for the Cyrillic name without
/// a photo hash, and 211 for a two-part Cyrillic name without one. Each Cyrillic letter adds about 2.7
/// characters, a Latin one 1.3; the signature alone is 86.
public enum CredentialToken {
    /// The prefix that names the format and its version.
    public static let prefix = "CDC1."

    /// The longest token the format allows (every field at its longest); anything longer is refused
    /// before it is decoded.
    public static let maximumLength =
        prefix.utf8.count + (65 + 8 + 4 * (OfficerCredential.maximumFieldBytes + 2) + 33 + 8 + 64) * 4 / 3 + 4

    /// Why a token cannot be read: one line for people.
    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String

        public init(_ description: String) { self.description = description }
    }

    /// A token read but not yet checked: the credential, the bytes that were signed and the signature.
    public struct Parsed: Sendable, Hashable {
        public let credential: OfficerCredential
        /// `CDC1.` + the payload.
        public let signedBytes: [UInt8]
        public let signature: [UInt8]
    }

    /// Signs `credential` with `key` and writes the token.
    ///
    /// - Precondition: `credential.keyID` is the id of `key`.
    public static func make(
        _ credential: OfficerCredential,
        signedWith key: Curve25519.Signing.PrivateKey
    ) throws
        -> String
    {
        precondition(credential.keyID == CredentialKeyID(of: key.publicKey), "the credential names another key")
        let payload = credential.payload
        let signature = try key.signature(for: Array(prefix.utf8) + payload)
        return prefix + Base64URL.encode(payload + Array(signature))
    }

    /// Reads a token without checking its signature.
    ///
    /// - Throws: ``Malformed`` for a token without the prefix, with characters outside base64url, or
    ///   whose bytes are not a credential and a signature.
    public static func parse(_ token: String) throws -> Parsed {
        let text = Array(token.utf8)
        let head = Array(prefix.utf8)
        guard text.count <= maximumLength else {
            throw Malformed("\(text.count) characters; a credential has at most \(maximumLength)")
        }
        guard text.starts(with: head) else {
            if text.starts(with: Array("CDC".utf8)) {
                throw Malformed("an unknown credential format version (this reader knows \(prefix))")
            }
            throw Malformed("not a Cordon credential (it does not start with \(prefix))")
        }
        guard let bytes = Base64URL.decode(text.dropFirst(head.count)) else {
            throw Malformed("the text after \(prefix) is not unpadded base64url")
        }
        guard bytes.count > 64 else { throw Malformed("too short for a credential and its signature") }
        let payload = bytes.dropLast(64)
        let credential = try OfficerCredential(payload: payload)
        return Parsed(credential: credential, signedBytes: head + payload, signature: Array(bytes.suffix(64)))
    }
}

public import CordonCore
public import Crypto
public import Foundation

/// A signed TUF metadata file: `{"signatures": [{"keyid", "sig"}], "signed": {…}}`.
///
/// Signatures are Ed25519 over the canonical JSON of `signed` (sorted keys, no white space), as
/// TUF 1.0 and its reference client compute it.
public struct TUFEnvelope: Sendable {
    /// One signature.
    public struct Signature: Sendable, Hashable {
        public let keyID: String
        /// The 64-byte signature in hex.
        public let value: String
    }

    /// The signed part.
    public let signed: JSONValue
    /// Its signatures.
    public let signatures: [Signature]

    /// Signs `signed` with each key.
    public init(signing signed: JSONValue, with keys: [Curve25519.Signing.PrivateKey]) throws {
        let message = Data(signed.canonicalText.utf8)
        self.signed = signed
        signatures = try keys.map { key in
            Signature(
                keyID: TUFKey(key.publicKey).keyID,
                value: Hex.encode(try key.signature(for: message))
            )
        }
    }

    /// Reads an envelope from bytes.
    ///
    /// - Throws: ``TUFError/malformed(file:detail:)`` for anything but an envelope.
    public init(data: Data, file: String) throws(TUFError) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw .malformed(file: file, detail: "not JSON")
        }
        guard let signed = value["signed"], case .object = signed, case .array(let items)? = value["signatures"] else {
            throw .malformed(file: file, detail: "not a signed TUF envelope")
        }
        var signatures: [Signature] = []
        for item in items {
            guard let keyID = item["keyid"]?.stringValue, let sig = item["sig"]?.stringValue else {
                throw .malformed(file: file, detail: "a signature without keyid or sig")
            }
            signatures.append(Signature(keyID: keyID, value: sig))
        }
        self.signed = signed
        self.signatures = signatures
    }

    /// The file's bytes: the envelope as canonical JSON.
    public var data: Data {
        let json = JSONValue.object([
            "signatures": .array(
                signatures.map { .object(["keyid": .string($0.keyID), "sig": .string($0.value)]) }
            ),
            "signed": signed,
        ])
        return Data(json.canonicalText.utf8)
    }

    /// Checks that at least `threshold` distinct keys of `keyIDs` signed.
    ///
    /// - Throws: ``TUFError/signatures(role:valid:needed:)``.
    public func verify(role: String, keys: [String: TUFKey], keyIDs: [String], threshold: Int) throws(TUFError) {
        let message = Data(signed.canonicalText.utf8)
        var valid = Set<String>()
        let allowed = Set(keyIDs)
        for signature in signatures where allowed.contains(signature.keyID) && !valid.contains(signature.keyID) {
            guard let key = keys[signature.keyID], let bytes = Hex.decode(signature.value) else { continue }
            if key.publicKey.isValidSignature(bytes, for: message) { valid.insert(signature.keyID) }
        }
        guard valid.count >= max(threshold, 1) else {
            throw .signatures(role: role, valid: valid.count, needed: max(threshold, 1))
        }
    }
}

import CordonDocuments
import Crypto
import Foundation
import FuzzSupport

/// Officers' passes: the input is a credential token as a station or the server receives it, read by
/// `CredentialToken.parse(_:)` and checked by `CredentialVerifier`.
///
/// Invariants: a token is refused only as `Malformed`; a token read has one spelling (its payload and
/// base64url written again give the same text); the credential signed again with the harness's key
/// reads back the same and verifies as valid inside its window, not yet valid before it, expired at its
/// end and revoked when its id is revoked; no token verifies unless the harness's key signed it.
/// The harness's signing key (a computed value: private keys are not `Sendable`).
var key: Curve25519.Signing.PrivateKey {
    try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32))
}
let keyID = CredentialKeyID(of: key.publicKey)
let verifier = CredentialVerifier(keys: [key.publicKey])

let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

/// Base64url without padding, written independently of the reader.
func base64URL(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var buffer: UInt32 = 0
    var bits = 0
    for byte in bytes {
        buffer = buffer << 8 | UInt32(byte)
        bits += 8
        while bits >= 6 {
            bits -= 6
            out.append(alphabet[Int(buffer >> UInt32(bits) & 63)])
        }
        buffer &= (1 << UInt32(bits)) - 1
    }
    if bits > 0 { out.append(alphabet[Int(buffer << UInt32(6 - bits) & 63)]) }
    return String(decoding: out, as: UTF8.self)
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCredential(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let token = text(start, count)
    let parsed: CredentialToken.Parsed
    do {
        parsed = try CredentialToken.parse(token)
    } catch is CredentialToken.Malformed {
        invariant(verifier.verify(token, at: Date(timeIntervalSince1970: 0)).status == .malformed, "verified")
        return 0
    } catch {
        invariant(false, "threw \(error)")
        return 0
    }
    let credential = parsed.credential
    let prefix = Array(CredentialToken.prefix.utf8)
    invariant(parsed.signature.count == 64, "a signature of \(parsed.signature.count) bytes")
    invariant(parsed.signedBytes == prefix + credential.payload, "the payload is not written as it was read")
    invariant(
        token == CredentialToken.prefix + base64URL(credential.payload + parsed.signature),
        "a second spelling of the same bytes is read"
    )
    let from = credential.validFrom
    let until = credential.validUntil
    invariant(from < until, "a window from \(from) to \(until)")
    let middle = from.addingTimeInterval(until.timeIntervalSince(from) / 2)
    let status = verifier.verify(token, at: middle).status
    invariant(status == .unknownKey || status == .badSignature || credential.keyID == keyID, "\(status)")

    let resigned: OfficerCredential
    do {
        resigned = try OfficerCredential(
            id: credential.id,
            keyID: keyID,
            name: credential.name,
            serviceNumber: credential.serviceNumber,
            unit: credential.unit,
            role: credential.role,
            photoSHA256: credential.photoSHA256,
            validFrom: from,
            validUntil: until
        )
    } catch {
        invariant(false, "a credential read is refused when made again: \(error)")
        return 0
    }
    guard let signed = try? CredentialToken.make(resigned, signedWith: key) else {
        invariant(false, "signing failed")
        return 0
    }
    invariant(signed.utf8.count <= CredentialToken.maximumLength, "a token of \(signed.utf8.count) characters")
    invariant((try? CredentialToken.parse(signed))?.credential == resigned, "the signed credential reads otherwise")
    invariant(verifier.verify(signed, at: middle).status == .valid, "not valid inside its window")
    invariant(verifier.verify(signed, at: until).status == .expired, "not expired at its end")
    if from.timeIntervalSince1970 > 0 {
        let early = from.addingTimeInterval(-1)
        invariant(verifier.verify(signed, at: early).status == .notYetValid, "valid before its window")
    }
    let revoking = CredentialVerifier(keys: [key.publicKey], revoked: [credential.id: "lost"])
    invariant(revoking.verify(signed, at: middle).status == .revoked, "not revoked")
    return 0
}

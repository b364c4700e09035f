import CordonCore
import CordonDocuments
import Crypto
import Foundation
import Testing

/// Headquarters' key and another, both fixed so that failures repeat.
private var headquarters: Curve25519.Signing.PrivateKey {
    try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32))
}
private var stranger: Curve25519.Signing.PrivateKey {
    try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 9, count: 32))
}
private let issuedAt = Instant.parse("2010-08-01T00:00:00Z")!
private let night = Instant.parse("2010-08-23T01:10:00+05:00")!

private func guardCredential(
    id: String = "cr-0123456789ab",
    name: String = "Назаров Фарҳод Раҳимович",
    photo: Bool = true,
    key: Curve25519.Signing.PrivateKey = headquarters,
    from: Date = issuedAt,
    until: Date = issuedAt.addingTimeInterval(365 * 86400)
) throws -> OfficerCredential {
    try OfficerCredential(
        id: id,
        keyID: CredentialKeyID(of: key.publicKey),
        name: name,
        serviceNumber: "GK-07731",
        unit: "fac-gknb-ward",
        role: "guard",
        photoSHA256: photo ? Array(SHA256.hash(data: Data("photo".utf8))) : nil,
        validFrom: from,
        validUntil: until
    )
}

private let verifier = CredentialVerifier(keys: [headquarters.publicKey])

@Suite struct CredentialTokenTests {
    @Test func roundTripsAndVerifies() throws {
        let credential = try guardCredential()
        let token = try CredentialToken.make(credential, signedWith: headquarters)
        #expect(token.hasPrefix("CDC1."))
        let result = verifier.verify(token, at: night)
        #expect(result.status == .valid, "\(result.message)")
        #expect(result.isValid)
        #expect(result.credential == credential)
        #expect(try CredentialToken.parse(token).credential == credential)
    }

    /// The sizes quoted in ``CredentialToken``'s documentation: a 15-character id, service number
    /// GK-07731, unit fac-gknb-ward, role guard.
    @Test(arguments: [
        ("Назаров Фарҳод Раҳимович", true, 279),
        ("Nazarov Farhod Rahimovich", true, 251),
        ("Назаров Фарҳод Раҳимович", false, 236),
        ("Фарҳод Назаров", false, 211),
    ])
    func isSmallEnoughForAQRCode(name: String, photo: Bool, length: Int) throws {
        let token = try CredentialToken.make(try guardCredential(name: name, photo: photo), signedWith: headquarters)
        #expect(token.utf8.count == length, "\(token.utf8.count) characters for \(name), photo \(photo)")
        #expect(token.allSatisfy { $0.isASCII })
    }

    @Test func dropsFractionsOfSecondsSoWhatIsSignedIsWhatIsRead() throws {
        let credential = try guardCredential(from: issuedAt.addingTimeInterval(0.75))
        #expect(credential.validFrom == issuedAt)
        let token = try CredentialToken.make(credential, signedWith: headquarters)
        #expect(try CredentialToken.parse(token).credential == credential)
    }

    @Test func flippingAnySingleByteIsRejected() throws {
        let token = Array(try CredentialToken.make(try guardCredential(), signedWith: headquarters).utf8)
        for index in token.indices {
            for mask: UInt8 in [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80] {
                var flipped = token
                flipped[index] ^= mask
                let text = String(decoding: flipped, as: UTF8.self)
                let result = verifier.verify(text, at: night)
                #expect(result.status != .valid, "byte \(index) xor \(mask) was accepted")
            }
        }
    }

    @Test func aChangedCharacterIsABadSignatureOrMalformed() throws {
        let token = Array(try CredentialToken.make(try guardCredential(), signedWith: headquarters).utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var statuses: Set<CredentialVerification.Status> = []
        for index in 5..<token.count {
            for replacement in alphabet where replacement != token[index] {
                var changed = token
                changed[index] = replacement
                let result = verifier.verify(String(decoding: changed, as: UTF8.self), at: night)
                #expect(result.status != .valid)
                statuses.insert(result.status)
            }
        }
        #expect(statuses.contains(.badSignature))
        #expect(statuses.contains(.malformed))
    }

    @Test func expiredAndNotYetValid() throws {
        let token = try CredentialToken.make(
            try guardCredential(from: night.addingTimeInterval(3600), until: night.addingTimeInterval(7200)),
            signedWith: headquarters
        )
        let early = verifier.verify(token, at: night)
        #expect(early.status == .notYetValid)
        #expect(early.message.contains("not valid before"))
        #expect(verifier.verify(token, at: night.addingTimeInterval(3600)).status == .valid)
        let late = verifier.verify(token, at: night.addingTimeInterval(7200))
        #expect(late.status == .expired)
        #expect(late.message.contains("expired at"))
    }

    @Test func revokedWithAndWithoutAReason() throws {
        let token = try CredentialToken.make(try guardCredential(), signedWith: headquarters)
        let withReason = CredentialVerifier(
            keys: [headquarters.publicKey],
            revoked: ["cr-0123456789ab": "uniform taken in the attack"]
        )
        let result = withReason.verify(token, at: night)
        #expect(result.status == .revoked)
        #expect(result.revocationReason == "uniform taken in the attack")
        #expect(result.message.contains("uniform taken in the attack"))
        let without = CredentialVerifier(keys: [headquarters.publicKey], revoked: Set(["cr-0123456789ab"]))
        #expect(without.verify(token, at: night).status == .revoked)
        #expect(without.verify(token, at: night).revocationReason == nil)
        let other = CredentialVerifier(keys: [headquarters.publicKey], revoked: Set(["cr-other"]))
        #expect(other.verify(token, at: night).status == .valid)
    }

    @Test func aTokenSignedByAnotherKeyIsUnknown() throws {
        let token = try CredentialToken.make(try guardCredential(key: stranger), signedWith: stranger)
        let result = verifier.verify(token, at: night)
        #expect(result.status == .unknownKey)
        #expect(result.message.contains(CredentialKeyID(of: stranger.publicKey).description))
        // Both keys trusted: it verifies.
        let both = CredentialVerifier(keys: [headquarters.publicKey, stranger.publicKey])
        #expect(both.verify(token, at: night).status == .valid)
    }

    @Test func anotherKeyClaimingHeadquartersKeyIdIsABadSignature() throws {
        let credential = try guardCredential()
        let payload = credential.payload
        let signature = try stranger.signature(for: Array("CDC1.".utf8) + payload)
        let forged = "CDC1." + Self.base64url(payload + Array(signature))
        #expect(verifier.verify(forged, at: night).status == .badSignature)
        #expect(verifier.verify(try CredentialToken.make(credential, signedWith: headquarters), at: night).isValid)
    }

    @Test func trailingBytesAndOtherVersionsAreMalformed() throws {
        let credential = try guardCredential()
        let payload = credential.payload + [0]
        let signature = try headquarters.signature(for: Array("CDC1.".utf8) + payload)
        let padded = "CDC1." + Self.base64url(payload + Array(signature))
        let result = verifier.verify(padded, at: night)
        #expect(result.status == .malformed)
        #expect(result.message.contains("after the fields"))
        let token = try CredentialToken.make(credential, signedWith: headquarters)
        let version2 = verifier.verify("CDC2." + token.dropFirst(5), at: night)
        #expect(version2.status == .malformed)
        #expect(version2.message.contains("version"))
        #expect(verifier.verify("", at: night).status == .malformed)
        #expect(verifier.verify("CDC1.", at: night).status == .malformed)
        #expect(verifier.verify(token + "=", at: night).status == .malformed)
        #expect(verifier.verify(token + "A", at: night).status != .valid)
    }

    @Test func truncatedTokensNeverVerify() throws {
        let token = try CredentialToken.make(try guardCredential(), signedWith: headquarters)
        for length in 0..<token.count {
            let result = verifier.verify(String(token.prefix(length)), at: night)
            #expect(result.status == .malformed || result.status == .badSignature, "length \(length)")
        }
    }

    @Test func randomInputNeverCrashesNorVerifies() throws {
        var generator = SplitMix(seed: 2010)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for round in 0..<3000 {
            let length = Int(generator.next() % 400)
            var bytes: [UInt8]
            switch round % 3 {
            case 0:
                bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            case 1:
                bytes = Array("CDC1.".utf8) + (0..<length).map { _ in alphabet[Int(generator.next() % 64)] }
            default:
                // Valid base64url of random bytes whose length prefixes point anywhere.
                let raw = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next() % 40) }
                bytes = Array(("CDC1." + Self.base64url(raw)).utf8)
            }
            let result = verifier.verify(String(decoding: bytes, as: UTF8.self), at: night)
            #expect(result.status != .valid)
        }
    }

    @Test func refusesBadFieldsWithTheirPaths() throws {
        let error = #expect(throws: ValidationFailure.self) {
            try OfficerCredential(
                id: "",
                keyID: CredentialKeyID(of: headquarters.publicKey),
                name: " ",
                serviceNumber: "GK\u{7}",
                unit: "fac",
                role: "guard",
                photoSHA256: [1, 2, 3],
                validFrom: night,
                validUntil: night
            )
        }
        let paths = Set(error?.issues.map(\.path) ?? [])
        #expect(paths == ["id", "name", "service_number", "photo_sha256", "valid_until"])
    }

    @Test func keyIdsAreSixteenHexDigits() throws {
        let id = CredentialKeyID(of: headquarters.publicKey)
        #expect(id.description.count == 16)
        #expect(CredentialKeyID(hex: id.description) == id)
        #expect(CredentialKeyID(hex: "abc") == nil)
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// A small deterministic generator for fuzzing.
private struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

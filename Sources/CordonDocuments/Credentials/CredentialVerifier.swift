import CordonCore
public import Crypto
public import Foundation

/// Checks credential tokens offline against headquarters' public keys and a list of revoked credential
/// ids, at a time the caller gives.
public struct CredentialVerifier: Sendable {
    /// Headquarters' credential keys by id.
    public let keys: [CredentialKeyID: CredentialPublicKey]
    /// Revoked credential ids, each with its reason when known.
    public let revoked: [String: String?]

    /// A verifier trusting `keys` and refusing the credentials in `revoked` (id to reason, nil when the
    /// reason is not known).
    public init(keys: [CredentialPublicKey], revoked: [String: String?] = [:]) {
        self.keys = Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.revoked = revoked
    }

    /// A verifier trusting `keys` and refusing the credentials in `revoked` (id to reason, nil when the
    /// reason is not known).
    public init(keys: [Curve25519.Signing.PublicKey], revoked: [String: String?] = [:]) {
        self.init(keys: keys.map(CredentialPublicKey.init), revoked: revoked)
    }

    /// A verifier trusting `keys` and refusing the credentials in `revoked`, reasons unknown.
    public init(keys: [Curve25519.Signing.PublicKey], revoked: Set<String>) {
        self.init(keys: keys, revoked: Dictionary(uniqueKeysWithValues: revoked.map { ($0, String?.none) }))
    }

    /// Checks `token` at `now`: its form, its key, its signature, the revocation list, then its window.
    public func verify(_ token: String, at now: Date) -> CredentialVerification {
        let parsed: CredentialToken.Parsed
        do {
            parsed = try CredentialToken.parse(token)
        } catch let error as CredentialToken.Malformed {
            return CredentialVerification(status: .malformed, credential: nil, message: "malformed: \(error)")
        } catch {
            return CredentialVerification(status: .malformed, credential: nil, message: "malformed: \(error)")
        }
        let credential = parsed.credential
        guard let key = keys[credential.keyID] else {
            return CredentialVerification(
                status: .unknownKey,
                credential: credential,
                message: "signed by key \(credential.keyID), which is not one of headquarters' credential keys"
            )
        }
        guard key.key.isValidSignature(parsed.signature, for: parsed.signedBytes) else {
            return CredentialVerification(
                status: .badSignature,
                credential: credential,
                message: "the signature does not match: the credential was altered or not issued by headquarters"
            )
        }
        if let entry = revoked[credential.id] {
            return CredentialVerification(
                status: .revoked,
                credential: credential,
                revocationReason: entry,
                message: "credential \(credential.id) is revoked" + (entry.map { ": \($0)" } ?? "")
            )
        }
        if now < credential.validFrom {
            return CredentialVerification(
                status: .notYetValid,
                credential: credential,
                message: "not valid before \(Self.format(credential.validFrom))"
            )
        }
        if now >= credential.validUntil {
            return CredentialVerification(
                status: .expired,
                credential: credential,
                message: "expired at \(Self.format(credential.validUntil))"
            )
        }
        return CredentialVerification(
            status: .valid,
            credential: credential,
            message: "valid until \(Self.format(credential.validUntil))"
        )
    }

    static func format(_ date: Date) -> String {
        Instant.format(date, in: TimeZone(secondsFromGMT: 0)!)
    }
}

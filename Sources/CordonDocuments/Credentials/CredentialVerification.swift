/// What a check of a credential token found: a status, the credential's fields when the token could be
/// read, and one line for the officer at the checkpoint.
///
/// The fields of a token that is not ``Status/valid`` are what the token claims, not what headquarters
/// vouches for; show them only to say who the bearer pretends to be.
public struct CredentialVerification: Sendable, Hashable {
    /// What holds or fails, in the order it is checked.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// The token is not a credential of this format.
        case malformed
        /// Signed by a key that is not among headquarters' keys.
        case unknownKey = "unknown_key"
        /// The signature does not match: altered, or forged.
        case badSignature = "bad_signature"
        /// Headquarters revoked the credential.
        case revoked
        /// Its window has not started.
        case notYetValid = "not_yet_valid"
        /// Its window has ended.
        case expired
        /// Signed by headquarters, not revoked, within its window.
        case valid
    }

    public let status: Status
    /// The credential as the token states it; nil when malformed.
    public let credential: OfficerCredential?
    /// Why the credential was revoked, when the revocation list says.
    public let revocationReason: String?
    /// One line for people.
    public let message: String

    public init(status: Status, credential: OfficerCredential?, revocationReason: String? = nil, message: String) {
        self.status = status
        self.credential = credential
        self.revocationReason = revocationReason
        self.message = message
    }

    /// Whether the bearer may be treated as the officer the credential names.
    public var isValid: Bool { status == .valid }
}

public import Foundation

/// An officer's credential as headquarters issued it: the signed token, what it states, who issued it
/// and, once revoked, when, by whom and why.
///
/// The token is what the officer carries (as a QR code); the other fields repeat what it states so that
/// headquarters can list, find and revoke credentials without reading tokens.
public struct IssuedCredential: Sendable, Hashable, Codable, Identifiable {
    /// A revocation: the credential no longer vouches for its bearer.
    public struct Revocation: Sendable, Hashable, Codable {
        public let at: Date
        /// The account that revoked it.
        public let by: String
        public let reason: String

        /// Creates a revocation.
        ///
        /// - Throws: ``ValidationFailure`` for a reason or an account name that is empty, too long (200
        ///   and 64 characters) or holds control characters.
        public init(at: Date, by: String, reason: String) throws {
            var issues = IssueCollector()
            TextRules.check(by, at: "by", maxLength: 64, into: &issues)
            TextRules.check(reason, at: "reason", maxLength: 200, into: &issues)
            try issues.finish()
            self.at = at
            self.by = by
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case at, by, reason
        }

        public init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let at = object.required(.at, as: Date.self)
            let by = object.required(.by, as: String.self)
            let reason = object.required(.reason, as: String.self)
            try object.finish()
            self = try object.construct { try Revocation(at: at!, by: by!, reason: reason!) }
        }
    }

    public let id: CredentialID
    /// The signed token (`CDC1.…`).
    public let token: String
    /// The issuing key's id, 16 hex digits.
    public let keyID: String
    public let name: String
    public let serviceNumber: String
    public let unit: String
    public let role: String
    /// The SHA-256 of the officer's photo in hex, when the credential binds one.
    public let photoSHA256: String?
    /// The member of staff it was issued to, when issued from the staff record.
    public let staff: StaffID?
    /// The facility the member of staff serves at, when known: what a facility-wide revocation finds.
    public let facility: FacilityID?
    public let validFrom: Date
    public let validUntil: Date
    public let issuedAt: Date
    /// The account that issued it.
    public let issuedBy: String
    /// Set once the credential is revoked; never cleared.
    public var revocation: Revocation?

    /// Whether the credential has been revoked.
    public var isRevoked: Bool { revocation != nil }

    /// Creates an issued credential.
    ///
    /// - Throws: ``ValidationFailure`` for a token that is not a `CDC1.` token, a key id or photo hash
    ///   that is not hex of the right length, bad text, or a window that ends before it starts.
    public init(
        id: CredentialID,
        token: String,
        keyID: String,
        name: String,
        serviceNumber: String,
        unit: String,
        role: String,
        photoSHA256: String? = nil,
        staff: StaffID? = nil,
        facility: FacilityID? = nil,
        validFrom: Date,
        validUntil: Date,
        issuedAt: Date,
        issuedBy: String,
        revocation: Revocation? = nil
    ) throws {
        var issues = IssueCollector()
        issues.check(
            token.hasPrefix("CDC1.") && token.utf8.count <= 2000 && token.allSatisfy(\.isASCII),
            "token",
            .invalidFormat,
            "a credential token starts with CDC1."
        )
        issues.check(
            keyID.utf8.count == 16 && Hex.decode(keyID) != nil,
            "key_id",
            .invalidFormat,
            "a key id is 16 hex digits"
        )
        TextRules.check(name, at: "name", maxLength: 100, into: &issues)
        TextRules.check(serviceNumber, at: "service_number", maxLength: 64, into: &issues)
        TextRules.check(unit, at: "unit", maxLength: 64, into: &issues)
        TextRules.check(role, at: "role", maxLength: 64, into: &issues)
        if let photoSHA256 {
            issues.check(
                photoSHA256.utf8.count == 64 && Hex.decode(photoSHA256) != nil,
                "photo_sha256",
                .invalidFormat,
                "a SHA-256 hash is 64 hex digits"
            )
        }
        issues.check(validUntil > validFrom, "valid_until", .inconsistent, "must be after valid_from")
        TextRules.check(issuedBy, at: "issued_by", maxLength: 64, into: &issues)
        try issues.finish()
        self.id = id
        self.token = token
        self.keyID = keyID
        self.name = name
        self.serviceNumber = serviceNumber
        self.unit = unit
        self.role = role
        self.photoSHA256 = photoSHA256
        self.staff = staff
        self.facility = facility
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.issuedAt = issuedAt
        self.issuedBy = issuedBy
        self.revocation = revocation
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, token
        case keyID = "key_id"
        case name
        case serviceNumber = "service_number"
        case unit, role
        case photoSHA256 = "photo_sha256"
        case staff, facility
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case issuedAt = "issued_at"
        case issuedBy = "issued_by"
        case revocation
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: CredentialID.self)
        let token = object.required(.token, as: String.self)
        let keyID = object.required(.keyID, as: String.self)
        let name = object.required(.name, as: String.self)
        let serviceNumber = object.required(.serviceNumber, as: String.self)
        let unit = object.required(.unit, as: String.self)
        let role = object.required(.role, as: String.self)
        let photo = object.optional(.photoSHA256, as: String.self)
        let staff = object.optional(.staff, as: StaffID.self)
        let facility = object.optional(.facility, as: FacilityID.self)
        let validFrom = object.required(.validFrom, as: Date.self)
        let validUntil = object.required(.validUntil, as: Date.self)
        let issuedAt = object.required(.issuedAt, as: Date.self)
        let issuedBy = object.required(.issuedBy, as: String.self)
        let revocation = object.optional(.revocation, as: Revocation.self)
        try object.finish()
        self = try object.construct {
            try IssuedCredential(
                id: id!,
                token: token!,
                keyID: keyID!,
                name: name!,
                serviceNumber: serviceNumber!,
                unit: unit!,
                role: role!,
                photoSHA256: photo,
                staff: staff,
                facility: facility,
                validFrom: validFrom!,
                validUntil: validUntil!,
                issuedAt: issuedAt!,
                issuedBy: issuedBy!,
                revocation: revocation
            )
        }
    }
}

import CordonCore
import CordonDocuments
import CordonPublishing
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird

/// Officers' signed credentials over HTTP: issue, revoke (one, or a facility's), verify, and the keys
/// and revocations a checkpoint needs to verify offline.
struct CredentialController<S: Store>: Sendable {
    let service: CredentialService<S>
    let now: @Sendable () -> Date

    /// `POST /v1/credentials`: either `staff`, or `name`, `service_number`, `unit` and `role`.
    struct IssueRequest: Decodable {
        let subject: CredentialService<S>.Subject
        let photoSHA256: [UInt8]?
        let validFrom: Date?
        let validUntil: Date?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case staff, name
            case serviceNumber = "service_number"
            case unit, role
            case photoSHA256 = "photo_sha256"
            case validFrom = "valid_from"
            case validUntil = "valid_until"
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let staff = object.optional(.staff, as: StaffID.self)
            let name = object.optional(.name, as: String.self)
            let serviceNumber = object.optional(.serviceNumber, as: String.self)
            let unit = object.optional(.unit, as: String.self)
            let role = object.optional(.role, as: StaffMember.Role.self)
            let photo = object.optional(.photoSHA256, as: String.self)
            validFrom = object.optional(.validFrom, as: Date.self)
            validUntil = object.optional(.validUntil, as: Date.self)
            // Every problem in one answer: unknown keys and badly typed fields with the rules below.
            let explicit: [(String, Any?)] = [
                ("name", name), ("service_number", serviceNumber), ("unit", unit), ("role", role),
            ]
            if staff != nil {
                for (path, value) in explicit where value != nil {
                    object.collector.add(path, .notAllowed, "comes from the staff record when staff is given")
                }
            } else {
                for (path, value) in explicit where value == nil {
                    object.collector.add(path, .missing, "is required without staff")
                }
            }
            TextRules.check(name, at: "name", maxLength: 100, into: &object.collector)
            if let serviceNumber {
                object.collector.check(
                    (1...20).contains(serviceNumber.count)
                        && serviceNumber.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" },
                    "service_number",
                    .invalidFormat,
                    "'\(serviceNumber)' is not a service number (1-20 letters, digits or dashes)"
                )
            }
            TextRules.check(unit, at: "unit", maxLength: 64, into: &object.collector)
            var hash: [UInt8]?
            if let photo {
                hash = Hex.decode(photo)
                object.collector.check(
                    hash?.count == 32,
                    "photo_sha256",
                    .invalidFormat,
                    "a SHA-256 hash is 64 hex digits"
                )
            }
            if let validFrom, let validUntil {
                object.collector.check(validUntil > validFrom, "valid_until", .inconsistent, "must be after valid_from")
            }
            let range = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: TimeInterval(UInt32.max))
            if let validFrom {
                object.collector.check(
                    range.contains(validFrom),
                    "valid_from",
                    .outOfRange,
                    "must be between 1970 and 2106"
                )
            }
            if let validUntil {
                object.collector.check(
                    range.contains(validUntil),
                    "valid_until",
                    .outOfRange,
                    "must be between 1970 and 2106"
                )
            }
            try object.finish()
            photoSHA256 = hash
            if let staff {
                subject = .staff(staff)
            } else {
                subject = .holder(.init(name: name!, serviceNumber: serviceNumber!, unit: unit!, role: role!.rawValue))
            }
        }
    }

    /// A revocation's reason.
    struct RevokeRequest: Decodable {
        let reason: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case reason
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let reason = object.required(.reason, as: String.self)
            try object.finish()
            var issues = IssueCollector()
            TextRules.check(reason!, at: "reason", maxLength: 200, into: &issues)
            try issues.finish()
            self.reason = reason!
        }
    }

    /// A token to verify.
    struct VerifyRequest: Decodable {
        let token: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case token
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let token = object.required(.token, as: String.self)
            try object.finish()
            var issues = IssueCollector()
            issues.check(token!.utf8.count <= 4096, "token", .tooLong, "a credential token has at most 4096 characters")
            try issues.finish()
            self.token = token!
        }
    }

    struct Issued: Encodable {
        let token: String
        let credential: IssuedCredential
    }

    struct Revoked: Encodable {
        let credential: IssuedCredential
        /// Whether this call revoked it (false: it was revoked already).
        let changed: Bool
    }

    struct FacilityRevoked: Encodable {
        let facility: FacilityID
        let revoked: [IssuedCredential]
    }

    struct Revocations: Encodable {
        let revocations: [CredentialService<S>.Revocation]
    }

    struct Key: Encodable {
        let id: String
        let algorithm = "ed25519"
        let publicKey: String

        enum CodingKeys: String, CodingKey {
            case id, algorithm
            case publicKey = "public_key"
        }
    }

    struct Keys: Encodable {
        let keys: [Key]
    }

    /// What a verification found, with the fields the token states.
    struct Verdict: Encodable {
        struct Fields: Encodable {
            let id: String
            let keyID: String
            let name: String
            let serviceNumber: String
            let unit: String
            let role: String
            let photoSHA256: String?
            let validFrom: Date
            let validUntil: Date

            enum CodingKeys: String, CodingKey {
                case id
                case keyID = "key_id"
                case name
                case serviceNumber = "service_number"
                case unit, role
                case photoSHA256 = "photo_sha256"
                case validFrom = "valid_from"
                case validUntil = "valid_until"
            }
        }

        let status: String
        let valid: Bool
        let message: String
        let credential: Fields?
        let revocationReason: String?

        enum CodingKeys: String, CodingKey {
            case status, valid, message, credential
            case revocationReason = "revocation_reason"
        }

        init(_ result: CredentialVerification) {
            status = result.status.rawValue
            valid = result.isValid
            message = result.message
            revocationReason = result.revocationReason
            credential = result.credential.map {
                Fields(
                    id: $0.id,
                    keyID: $0.keyID.description,
                    name: $0.name,
                    serviceNumber: $0.serviceNumber,
                    unit: $0.unit,
                    role: $0.role,
                    photoSHA256: $0.photoSHA256.map(Hex.encode),
                    validFrom: $0.validFrom,
                    validUntil: $0.validUntil
                )
            }
        }
    }

    func register(on router: inout SecuredRouter) {
        let command = router.group(Roles.command)
        let screeners = router.group(Roles.screeners)
        command.on(.post, "/v1/credentials") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let body = try await HTTPSupport.decode(IssueRequest.self, from: request, context: context, now: now())
            let issued = try await service.issue(
                for: body.subject,
                photoSHA256: body.photoSHA256,
                validFrom: body.validFrom,
                validUntil: body.validUntil,
                by: identity,
                address: context.remoteAddress
            )
            return try HTTPSupport.json(
                Issued(token: issued.token, credential: issued),
                status: .created,
                headers: [.location: "/v1/credentials/\(issued.id.rawValue)"]
            )
        }

        command.on(.post, "/v1/credentials/{id}/revoke") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "credentials", as: CredentialID.self)
            let body = try await HTTPSupport.decode(RevokeRequest.self, from: request, context: context, now: now())
            let result = try await service.revoke(
                id,
                reason: body.reason,
                by: identity,
                address: context.remoteAddress
            )
            return try HTTPSupport.json(Revoked(credential: result.credential, changed: result.changed))
        }

        command.on(.post, "/v1/facilities/{id}/credentials/revoke") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "facilities", as: FacilityID.self)
            let body = try await HTTPSupport.decode(RevokeRequest.self, from: request, context: context, now: now())
            let revoked = try await service.revokeAll(
                at: id,
                reason: body.reason,
                by: identity,
                address: context.remoteAddress
            )
            return try HTTPSupport.json(FacilityRevoked(facility: id, revoked: revoked))
        }

        screeners.on(.get, "/v1/credentials/revocations") { request, _, _ in
            try HTTPSupport.allowQuery(request, [])
            return try HTTPSupport.json(Revocations(revocations: try await service.revocations()))
        }

        screeners.on(.get, "/v1/credentials/keys") { request, _, _ in
            try HTTPSupport.allowQuery(request, [])
            let keys = try service.publicKeys().map { Key(id: $0.id.description, publicKey: $0.hex) }
            return try HTTPSupport.json(Keys(keys: keys))
        }

        screeners.on(.post, "/v1/credentials/verify") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let body = try await HTTPSupport.decode(VerifyRequest.self, from: request, context: context, now: now())
            let result = try await service.verify(body.token, by: identity, address: context.remoteAddress)
            return try HTTPSupport.json(Verdict(result))
        }
    }
}

public import CordonCore
public import CordonDocuments
public import CordonStore
import Crypto
public import Foundation

/// Issues, revokes and verifies officers' signed credentials, and tells checkpoints what is revoked.
///
/// Credentials are signed with headquarters' key named `credentials` in the ``KeyRing``. Every issue and
/// revocation is stored with its audit record in one transaction; after a revocation the alert center
/// is given the new list of revoked ids, which goes out with the next alert frame to every checkpoint.
public struct CredentialService<S: Store>: Sendable {
    /// The key ring name of headquarters' credential key.
    public static var keyName: String { "credentials" }

    /// What a checkpoint needs to verify credentials offline: headquarters' public keys and the
    /// revoked credential ids with their reasons. The list snapshot publisher signs this in.
    public struct TrustMaterial: Sendable {
        /// Headquarters' credential public keys, each with its id.
        public let keys: [CredentialPublicKey]
        /// Every revocation, oldest first.
        public let revocations: [Revocation]

        /// The revoked ids with their reasons, as ``CredentialVerifier`` takes them.
        public var revokedReasons: [String: String?] {
            Dictionary(revocations.map { ($0.id, Optional($0.reason)) }, uniquingKeysWith: { first, _ in first })
        }

        /// A verifier for these keys and revocations.
        public var verifier: CredentialVerifier {
            CredentialVerifier(keys: keys, revoked: revokedReasons)
        }
    }

    /// One revoked credential, as `GET /v1/credentials/revocations` lists it.
    public struct Revocation: Sendable, Hashable, Encodable {
        public let id: String
        public let revokedAt: Date
        public let reason: String

        enum CodingKeys: String, CodingKey {
            case id
            case revokedAt = "revoked_at"
            case reason
        }
    }

    /// What a credential states when it is not issued from a staff record.
    public struct Holder: Sendable {
        public var name: String
        public var serviceNumber: String
        public var unit: String
        public var role: String

        public init(name: String, serviceNumber: String, unit: String, role: String) {
            self.name = name
            self.serviceNumber = serviceNumber
            self.unit = unit
            self.role = role
        }
    }

    /// Who a new credential is for.
    public enum Subject: Sendable {
        /// A member of staff on record: name, service number, unit (facility) and role come from it.
        case staff(StaffID)
        /// Someone described in full.
        case holder(Holder)
    }

    let store: S
    let keys: KeyRing
    /// Told of every revocation, so that alerts carry it to checkpoints at once.
    let onRevoked: @Sendable ([String]) async -> Void
    let now: @Sendable () -> Date

    /// Creates the service.
    public init(
        store: S,
        keys: KeyRing,
        now: @escaping @Sendable () -> Date,
        onRevoked: @escaping @Sendable ([String]) async -> Void = { _ in }
    ) {
        self.store = store
        self.keys = keys
        self.onRevoked = onRevoked
        self.now = now
    }

    /// Gives the alert center the stored revocations; call once before serving.
    public func start() async throws {
        await onRevoked(try await revocations().map(\.id))
    }

    // MARK: Keys and revocations

    /// Headquarters' credential public keys with their ids.
    public func publicKeys() throws -> [CredentialPublicKey] {
        [CredentialPublicKey(try keys.publicKey(named: Self.keyName))]
    }

    /// Every revoked credential, oldest revocation first.
    public func revocations() async throws -> [Revocation] {
        try await credentials(filters: [DocumentTag("revoked", "true")])
            .compactMap { credential in
                credential.revocation.map {
                    Revocation(id: credential.id.rawValue, revokedAt: $0.at, reason: $0.reason)
                }
            }
            .sorted { ($0.revokedAt, $0.id) < ($1.revokedAt, $1.id) }
    }

    /// The public keys and the revocations in one: what a signed offline list snapshot carries so that
    /// checkpoints can verify credentials with no connection.
    public func trustMaterial() async throws -> TrustMaterial {
        TrustMaterial(keys: try publicKeys(), revocations: try await revocations())
    }

    // MARK: Issuing

    /// Issues a credential, signs it and stores it with its audit record.
    ///
    /// - Parameters:
    ///   - validFrom: when it starts to hold; now when nil.
    ///   - validUntil: when it stops; a year after `validFrom` when nil.
    /// - Throws: ``OperationError`` (not found) for an unknown member of staff, ``ValidationFailure`` for fields that make no credential.
    public func issue(
        for subject: Subject,
        photoSHA256: [UInt8]?,
        validFrom: Date?,
        validUntil: Date?,
        by identity: Identity,
        address: String?
    ) async throws -> IssuedCredential {
        let issuedAt = now()
        let from = validFrom ?? issuedAt
        let until = validUntil ?? from.addingTimeInterval(365 * 86400)
        let holder: Holder
        var staffID: StaffID?
        var facility: FacilityID?
        switch subject {
        case .holder(let given):
            holder = given
        case .staff(let id):
            guard let member = try await store.entity(StaffMember.self, id: id.rawValue)?.entity else {
                throw OperationError.notFound("no staff '\(id)'")
            }
            holder = Holder(
                name: member.name.fullName,
                serviceNumber: member.serviceNumber,
                unit: member.facility?.rawValue ?? "headquarters",
                role: member.role.rawValue
            )
            staffID = id
            facility = member.facility
        }
        let signingKey = try keys.signingKey(named: Self.keyName)
        let keyID = CredentialKeyID(of: signingKey.publicKey)
        let id = try CredentialID(
            "cr-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        )
        let credential: OfficerCredential
        do {
            credential = try OfficerCredential(
                id: id.rawValue,
                keyID: keyID,
                name: holder.name,
                serviceNumber: holder.serviceNumber,
                unit: holder.unit,
                role: holder.role,
                photoSHA256: photoSHA256,
                validFrom: from,
                validUntil: until
            )
        } catch let failure as ValidationFailure {
            throw failure
        }
        let token = try CredentialToken.make(credential, signedWith: signingKey)
        let issued = try IssuedCredential(
            id: id,
            token: token,
            keyID: keyID.description,
            name: credential.name,
            serviceNumber: credential.serviceNumber,
            unit: credential.unit,
            role: credential.role,
            photoSHA256: photoSHA256.map(Hex.encode),
            staff: staffID,
            facility: facility,
            validFrom: credential.validFrom,
            validUntil: credential.validUntil,
            issuedAt: issuedAt,
            issuedBy: identity.username
        )
        var details: [String: JSONValue] = [
            "key_id": .string(keyID.description),
            "service_number": .string(issued.serviceNumber),
            "valid_from": .string(Instant.format(issued.validFrom, in: TimeZone(secondsFromGMT: 0)!)),
            "valid_until": .string(Instant.format(issued.validUntil, in: TimeZone(secondsFromGMT: 0)!)),
        ]
        if let staffID { details["staff"] = .string(staffID.rawValue) }
        _ = try await store.apply(
            [try S.write(issued, operation: .create)],
            audit: AuditRecord.Draft(
                actor: identity.username,
                role: identity.role,
                action: "credentials.issue",
                target: "credentials/\(id.rawValue)",
                address: address,
                details: .object(details)
            )
        )
        return issued
    }

    // MARK: Revoking

    /// Revokes one credential. Revoking a revoked credential changes nothing and answers it as it is.
    ///
    /// - Returns: the credential and whether this call revoked it.
    /// - Throws: ``OperationError`` (not found) for an unknown credential.
    public func revoke(
        _ id: CredentialID,
        reason: String,
        by identity: Identity,
        address: String?
    ) async throws -> (credential: IssuedCredential, changed: Bool) {
        guard let stored = try await store.entity(IssuedCredential.self, id: id.rawValue) else {
            throw OperationError.notFound("no credentials '\(id)'")
        }
        if stored.entity.isRevoked { return (stored.entity, false) }
        let revoked = try revoked(stored.entity, reason: reason, by: identity)
        do {
            _ = try await store.apply(
                [try S.write(revoked, operation: .replace(expectedRevision: stored.revision))],
                audit: AuditRecord.Draft(
                    actor: identity.username,
                    role: identity.role,
                    action: "credentials.revoke",
                    target: "credentials/\(id.rawValue)",
                    address: address,
                    details: .object(["reason": .string(reason)])
                )
            )
        } catch let error as StoreError where error.code == .conflict {
            // Revoked (or changed) meanwhile: answer what is stored now.
            guard let again = try await store.entity(IssuedCredential.self, id: id.rawValue)?.entity,
                again.isRevoked
            else { throw error }
            return (again, false)
        }
        await onRevoked([id.rawValue])
        return (revoked, true)
    }

    /// Revokes every credential held by the staff of a facility that is not revoked yet, in one
    /// transaction: the passes of an attacked facility's guards.
    ///
    /// - Returns: the credentials this call revoked (none when all were revoked already).
    /// - Throws: ``OperationError`` (not found) for an unknown facility.
    public func revokeAll(
        at facility: FacilityID,
        reason: String,
        by identity: Identity,
        address: String?
    ) async throws -> [IssuedCredential] {
        guard try await store.document(kind: .facility, id: facility.rawValue) != nil else {
            throw OperationError.notFound("no facilities '\(facility)'")
        }
        let held = try await versionedCredentials(
            filters: [DocumentTag("facility", facility.rawValue), DocumentTag("revoked", "false")]
        )
        guard !held.isEmpty else { return [] }
        var writes: [DocumentWrite] = []
        var revoked: [IssuedCredential] = []
        for (credential, revision) in held {
            let changed = try self.revoked(credential, reason: reason, by: identity)
            writes.append(try S.write(changed, operation: .replace(expectedRevision: revision)))
            revoked.append(changed)
        }
        _ = try await store.apply(
            writes,
            audit: AuditRecord.Draft(
                actor: identity.username,
                role: identity.role,
                action: "credentials.revoke_facility",
                target: "facilities/\(facility.rawValue)",
                address: address,
                details: .object([
                    "reason": .string(reason),
                    "credentials": .array(revoked.map { .string($0.id.rawValue) }),
                ])
            )
        )
        await onRevoked(revoked.map(\.id.rawValue))
        return revoked
    }

    private func revoked(
        _ credential: IssuedCredential,
        reason: String,
        by identity: Identity
    ) throws
        -> IssuedCredential
    {
        var copy = credential
        do {
            copy.revocation = try IssuedCredential.Revocation(at: now(), by: identity.username, reason: reason)
        } catch let failure as ValidationFailure {
            throw failure
        }
        return copy
    }

    // MARK: Verifying

    /// Verifies a token against headquarters' keys and the stored revocations, now, and audits the check
    /// (who checked which credential, and the verdict), as screening is audited.
    public func verify(
        _ token: String,
        by identity: Identity,
        address: String?
    ) async throws
        -> CredentialVerification
    {
        let result = try await trustMaterial().verifier.verify(token, at: now())
        var details: [String: JSONValue] = ["status": .string(result.status.rawValue)]
        if let credential = result.credential {
            details["service_number"] = .string(credential.serviceNumber)
            details["key_id"] = .string(credential.keyID.description)
        }
        _ = try await store.appendAudit(
            AuditRecord.Draft(
                actor: identity.username,
                role: identity.role,
                action: "credentials.verify",
                target: result.credential.map { "credentials/\($0.id)" },
                address: address,
                details: .object(details)
            )
        )
        return result
    }

    // MARK: Reading

    private func credentials(filters: [DocumentTag]) async throws -> [IssuedCredential] {
        try await versionedCredentials(filters: filters).map(\.0)
    }

    private func versionedCredentials(filters: [DocumentTag]) async throws -> [(IssuedCredential, Int64)] {
        var out: [(IssuedCredential, Int64)] = []
        var cursor: String?
        repeat {
            let page = try await store.entities(
                IssuedCredential.self,
                query: DocumentQuery(after: cursor, limit: 1000, filters: filters)
            )
            out += page.items.map { ($0.entity, $0.revision) }
            cursor = page.nextCursor
        } while cursor != nil
        return out
    }
}

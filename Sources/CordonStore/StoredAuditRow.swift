package import CordonCore
import Foundation

/// An audit record's columns as every back end stores them: the role by name, the time in milliseconds
/// and the details as their canonical JSON text.
package struct StoredAuditRow: Sendable {
    package var sequence: Int64
    package var atMilliseconds: Int64
    package var actor: String
    package var role: String?
    package var action: String
    package var target: String?
    package var address: String?
    package var listVersion: Int64
    package var details: String
    package var previousHash: String
    package var hash: String

    package init(
        sequence: Int64,
        atMilliseconds: Int64,
        actor: String,
        role: String?,
        action: String,
        target: String?,
        address: String?,
        listVersion: Int64,
        details: String,
        previousHash: String,
        hash: String
    ) {
        self.sequence = sequence
        self.atMilliseconds = atMilliseconds
        self.actor = actor
        self.role = role
        self.action = action
        self.target = target
        self.address = address
        self.listVersion = listVersion
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The record as stored, hash included, so that ``AuditChain/Verifier`` can judge it.
    ///
    /// - Throws: ``StoreError`` `corrupt` when the role is unknown or the details are not JSON.
    package func record() throws -> AuditRecord {
        let unreadable = StoreError(.corrupt, "audit record \(sequence) cannot be read back")
        var knownRole: Role?
        if let role {
            guard let known = Role(rawValue: role) else { throw unreadable }
            knownRole = known
        }
        let decoded: JSONValue
        do {
            decoded = try JSONDecoder().decode(JSONValue.self, from: Data(details.utf8))
        } catch {
            throw StoreError(.corrupt, unreadable.message, underlying: SendableError(error))
        }
        return AuditRecord(
            sequence: sequence,
            at: Milliseconds(atMilliseconds).date,
            actor: actor,
            role: knownRole,
            action: action,
            target: target,
            address: address,
            listVersion: listVersion,
            details: decoded,
            previousHash: previousHash,
            hash: hash
        )
    }
}

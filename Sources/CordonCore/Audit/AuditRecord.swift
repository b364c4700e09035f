public import Foundation

/// One entry of the append-only audit log: who did what, when, from where, against which list.
///
/// Records are hash-chained: ``previousHash`` is the ``hash`` of the record before, and ``hash`` is
/// the SHA-256 of this record's canonical content (every field but the hash itself, previous hash
/// included). Changing, inserting or removing a record breaks the chain at that record.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// What a caller hands the log; the store assigns the sequence, time and hashes.
    public struct Draft: Sendable, Hashable {
        /// The account name, or `system`.
        public var actor: String
        public var role: Role?
        /// What was done: `person.create`, `screen`, `auth.login`.
        public var action: String
        /// What it was done to: `person/p-mirzoyev-abdurasul`.
        public var target: String?
        /// The client's network address.
        public var address: String?
        /// Anything else worth keeping: the query and its hits, the fields changed.
        public var details: JSONValue

        /// Creates a draft.
        public init(
            actor: String,
            role: Role? = nil,
            action: String,
            target: String? = nil,
            address: String? = nil,
            details: JSONValue = .object([:])
        ) {
            self.actor = actor
            self.role = role
            self.action = action
            self.target = target
            self.address = address
            self.details = details
        }
    }

    /// The position in the log, from 1, without gaps.
    public let sequence: Int64
    /// When the record was written, to the millisecond.
    public let at: Date
    public let actor: String
    public let role: Role?
    public let action: String
    public let target: String?
    public let address: String?
    /// The version of the wanted list at the time (screening ran against it).
    public let listVersion: Int64
    public let details: JSONValue
    /// The hash of the record before, or 64 zeros for the first.
    public let previousHash: String
    /// The SHA-256 of this record's canonical content, as 64 lower-case hex digits.
    public let hash: String

    /// Creates the next record of a chain, computing its hash.
    ///
    /// - Parameters:
    ///   - draft: what to record.
    ///   - sequence: the position, one more than the previous record's.
    ///   - at: when; truncated to the millisecond so it survives storage exactly.
    ///   - listVersion: the wanted list's version.
    ///   - previousHash: the previous record's hash, or ``AuditChain/genesisHash``.
    public init(draft: AuditRecord.Draft, sequence: Int64, at: Date, listVersion: Int64, previousHash: String) {
        self.init(
            sequence: sequence,
            at: Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded(.down) / 1000),
            actor: draft.actor,
            role: draft.role,
            action: draft.action,
            target: draft.target,
            address: draft.address,
            listVersion: listVersion,
            details: draft.details,
            previousHash: previousHash,
            hash: ""
        )
    }

    /// Recreates a stored record exactly as stored, hash included (which may not match: see ``AuditChain``).
    public init(
        sequence: Int64,
        at: Date,
        actor: String,
        role: Role?,
        action: String,
        target: String?,
        address: String?,
        listVersion: Int64,
        details: JSONValue,
        previousHash: String,
        hash: String
    ) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.role = role
        self.action = action
        self.target = target
        self.address = address
        self.listVersion = listVersion
        self.details = details
        self.previousHash = previousHash
        self.hash =
            hash.isEmpty
            ? AuditChain.digest(
                Self.canonicalContent(
                    sequence: sequence,
                    at: at,
                    actor: actor,
                    role: role,
                    action: action,
                    target: target,
                    address: address,
                    listVersion: listVersion,
                    details: details,
                    previousHash: previousHash
                )
            ) : hash
    }

    /// The milliseconds since 1970 of ``at``, as stored.
    public var atMilliseconds: Int64 { Int64((at.timeIntervalSince1970 * 1000).rounded()) }

    /// The canonical text the hash covers.
    public var canonicalContent: String {
        Self.canonicalContent(
            sequence: sequence,
            at: at,
            actor: actor,
            role: role,
            action: action,
            target: target,
            address: address,
            listVersion: listVersion,
            details: details,
            previousHash: previousHash
        )
    }

    /// Whether ``hash`` is the SHA-256 of ``canonicalContent``.
    public var hasValidHash: Bool { AuditChain.digest(canonicalContent) == hash }

    static func canonicalContent(
        sequence: Int64,
        at: Date,
        actor: String,
        role: Role?,
        action: String,
        target: String?,
        address: String?,
        listVersion: Int64,
        details: JSONValue,
        previousHash: String
    ) -> String {
        let object: [String: JSONValue] = [
            "sequence": .number(Double(sequence)),
            "at_ms": .number(Double(Int64((at.timeIntervalSince1970 * 1000).rounded()))),
            "actor": .string(actor),
            "role": role.map { .string($0.rawValue) } ?? .null,
            "action": .string(action),
            "target": target.map { .string($0) } ?? .null,
            "address": address.map { .string($0) } ?? .null,
            "list_version": .number(Double(listVersion)),
            "details": details,
            "previous_hash": .string(previousHash),
        ]
        return JSONValue.object(object).canonicalText
    }

    enum CodingKeys: String, CodingKey {
        case sequence, at, actor, role, action, target, address
        case listVersion = "list_version"
        case details
        case previousHash = "previous_hash"
        case hash
    }
}

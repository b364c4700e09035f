public import Foundation

/// A past screening that would alert now: a checkpoint screened a name, a document or a plate before the
/// person or vehicle it names was on the list (or before the entry read as it does now), and screening
/// the same query against the new entry alerts.
///
/// Leads are found by looking back over the checkpoints' queries when the list changes. Each is kept once
/// per entry and query (its id is derived from both), and may be turned into a ``Sighting`` of the person
/// or vehicle at the checkpoint, at the time of the query, once.
public struct Lead: Sendable, Hashable, Codable, Identifiable {
    /// What the checkpoint screened.
    public enum QueryKind: String, CodedEnum {
        /// A name as typed.
        case name
        /// A travel document's machine-readable zone, screened by its name, birth date and number.
        case document
        /// A vehicle's plate.
        case plate
    }

    /// The past query: who screened what, where and when.
    public struct Query: Sendable, Hashable, Codable {
        public let kind: QueryKind
        /// The name or plate as screened.
        public let text: String
        /// The document number, for a document.
        public let document: String?
        /// When the checkpoint screened it.
        public let at: Date
        /// The account that screened it, or that uploaded the checkpoint's report.
        public let account: String
        /// The checkpoint, when the record or the account names exactly one.
        public let checkpoint: CheckpointID?
        /// The audit record that holds the query.
        public let auditSequence: Int64
        /// The query's place among the record's queries, from 0.
        public let index: Int
        /// The checkpoint's report id, for a query uploaded in a report.
        public let report: String?

        public init(
            kind: QueryKind,
            text: String,
            document: String? = nil,
            at: Date,
            account: String,
            checkpoint: CheckpointID?,
            auditSequence: Int64,
            index: Int,
            report: String? = nil
        ) {
            self.kind = kind
            self.text = text
            self.document = document
            self.at = at
            self.account = account
            self.checkpoint = checkpoint
            self.auditSequence = auditSequence
            self.index = index
            self.report = report
        }

        enum CodingKeys: String, CodingKey {
            case kind, text, document, at, account, checkpoint
            case auditSequence = "audit_sequence"
            case index, report
        }
    }

    /// How a lead was used.
    public struct Use: Sendable, Hashable, Codable {
        /// The sighting made from the lead.
        public let sighting: SightingID
        public let at: Date
        /// The account that made it.
        public let by: String

        public init(sighting: SightingID, at: Date, by: String) {
            self.sighting = sighting
            self.at = at
            self.by = by
        }
    }

    public let id: LeadID
    /// When the look back found it.
    public let foundAt: Date
    /// The list version the look back ran for.
    public let listVersion: Int64
    /// The wanted person the query now names, for a name or a document.
    public let person: PersonID?
    /// The vehicle of interest the query now names, for a plate.
    public let vehicle: VehicleID?
    /// The entry's name on the list, or the listed plate.
    public let listed: String
    /// The score the query gets against the entry now.
    public let score: Double
    /// Why it matches, as screening explains a hit (`HitExplanation` or `PlateExplanation`).
    public let explanation: JSONValue
    /// The explanation's one-line summary.
    public let summary: String
    public let query: Query
    /// Set once the lead was turned into a sighting.
    public let used: Use?

    /// Creates a lead.
    public init(
        id: LeadID,
        foundAt: Date,
        listVersion: Int64,
        person: PersonID? = nil,
        vehicle: VehicleID? = nil,
        listed: String,
        score: Double,
        explanation: JSONValue,
        summary: String,
        query: Query,
        used: Use? = nil
    ) {
        self.id = id
        self.foundAt = foundAt
        self.listVersion = listVersion
        self.person = person
        self.vehicle = vehicle
        self.listed = listed
        self.score = score
        self.explanation = explanation
        self.summary = summary
        self.query = query
        self.used = used
    }

    /// The id of the lead an entry and a query make: the same pair always makes the same id, so a lead is
    /// found once however many times the list changes.
    ///
    /// - Parameters:
    ///   - entry: the person's or vehicle's id.
    ///   - auditSequence: the audit record that holds the query.
    ///   - index: the query's place in the record.
    public static func makeID(entry: String, auditSequence: Int64, index: Int) -> LeadID {
        let digest = AuditChain.digest("\(entry)\u{1F}\(auditSequence)\u{1F}\(index)")
        return LeadID(rawValue: "l-" + digest.prefix(24))!
    }

    /// The lead marked as used by a sighting.
    public func using(_ use: Use) -> Lead {
        Lead(
            id: id,
            foundAt: foundAt,
            listVersion: listVersion,
            person: person,
            vehicle: vehicle,
            listed: listed,
            score: score,
            explanation: explanation,
            summary: summary,
            query: query,
            used: use
        )
    }

    enum CodingKeys: String, CodingKey {
        case id
        case foundAt = "found_at"
        case listVersion = "list_version"
        case person, vehicle, listed, score, explanation, summary, query, used
    }
}

/// Identifies a ``Lead``.
public typealias LeadID = Identifier<Lead>

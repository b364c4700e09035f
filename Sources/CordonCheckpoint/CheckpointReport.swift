public import Foundation

/// A report made at a checkpoint while it may be offline: a screening hit or a sighting.
///
/// Its id is made when the report is made and travels with it, so the server keeps it once however
/// many times it is uploaded (a lost answer means it is sent again).
public struct CheckpointReport: Sendable, Hashable, Codable {
    /// `hit` (a screening alert) or `sighting` (an officer's report).
    public enum Kind: String, Sendable, Hashable, Codable {
        case hit
        case sighting
    }

    public var id: String
    public var kind: Kind
    public var observedAt: Date
    public var person: String?
    public var vehicle: String?
    /// The screening score, for a hit.
    public var score: Double?
    /// What was screened (the name as typed, the plate), for a hit.
    public var query: String?
    /// The list version screened against.
    public var listVersion: Int64?
    public var note: String?
    /// What the officers decided about a hit (`detained`, `released_after_check`, `not_him`).
    public var outcome: String?
    /// The officer who decided, as their pass names them.
    public var officer: String?
    /// The travel document screened (`P TJK 4012345`).
    public var document: String?

    enum CodingKeys: String, CodingKey {
        case id, kind
        case observedAt = "observed_at"
        case person, vehicle, score, query
        case listVersion = "list_version"
        case note, outcome, officer, document
    }

    public init(
        id: String = UUID().uuidString.lowercased(),
        kind: Kind,
        observedAt: Date,
        person: String? = nil,
        vehicle: String? = nil,
        score: Double? = nil,
        query: String? = nil,
        listVersion: Int64? = nil,
        note: String? = nil,
        outcome: String? = nil,
        officer: String? = nil,
        document: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.observedAt = observedAt
        self.person = person
        self.vehicle = vehicle
        self.score = score
        self.query = query
        self.listVersion = listVersion
        self.note = note
        self.outcome = outcome
        self.officer = officer
        self.document = document
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601DateFormatter().string(from: date))
        }
        return encoder
    }
}

extension CheckpointStore {
    /// Queues a report for upload.
    public func enqueue(_ report: CheckpointReport) throws {
        try enqueue(
            id: report.id,
            kind: report.kind.rawValue,
            body: try CheckpointReport.encoder.encode(report),
            at: report.observedAt
        )
    }
}

public import CordonMatch
public import Foundation

/// The answer to "why did this query not alert on this entry?", as every front end shows it: the score
/// against the threshold the entry is judged at, whether the index would have scored the entry at all,
/// and what each factor cost in score points, largest first.
public struct MissReport: Encodable, Sendable {
    /// One factor and what it cost.
    public struct Cost: Encodable, Sendable {
        /// What the factor is (`spelling`, `missing_from_query`, `not_on_list`, `structure`,
        /// `weak_alias`, `birth_date`, `nationality`, `gender`, `document`, `no_match`).
        public let factor: String
        /// Score points it cost; negative when it added to the score.
        public let points: Double
        /// A readable description.
        public let detail: String
    }

    public let entity: String
    public let kind: String
    public let name: String
    /// The list the entry is on, when named.
    public let list: String?
    public let score: Double
    public let threshold: Double
    public let gap: Double
    public let candidate: Bool
    public let alert: Bool
    public let costs: [Cost]
    public let explanation: HitExplanation
    public let summary: String

    enum CodingKeys: String, CodingKey {
        case entity, kind, name, list, score, threshold, gap, candidate, alert, costs, explanation, summary
    }

    /// The report of a miss on `entry`, judged at `threshold` (the entry's own, or a stricter one asked for).
    public init(_ miss: MissExplanation, entry: WatchlistEntry, threshold: Double? = nil) {
        var miss = miss
        if let threshold, threshold > miss.threshold {
            miss = MissExplanation(
                entryID: miss.entryID,
                score: miss.score,
                threshold: threshold,
                isCandidate: miss.isCandidate,
                costs: miss.costs,
                explanation: miss.explanation
            )
        }
        entity = entry.id
        kind = entry.kind.rawValue
        name = entry.name
        list = entry.list
        score = rounded(miss.score)
        self.threshold = miss.threshold
        gap = rounded(miss.gap)
        candidate = miss.isCandidate
        alert = miss.isAlert
        costs = miss.costs.map { Cost(factor: $0.factor.rawValue, points: rounded($0.points), detail: $0.detail) }
        explanation = HitExplanation(miss.explanation)
        summary = miss.summary
    }

    // Encodes `list` as null when absent, so that the key is always there.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entity, forKey: .entity)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
        try container.encode(list, forKey: .list)
        try container.encode(score, forKey: .score)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(gap, forKey: .gap)
        try container.encode(candidate, forKey: .candidate)
        try container.encode(alert, forKey: .alert)
        try container.encode(costs, forKey: .costs)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(summary, forKey: .summary)
    }

    /// The report as pretty JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

public import CordonMatch

/// The report of one hit as every front end shows it: who, how sure, whether it alerts at the threshold
/// used, and why (which part of the name matched which, by what rule, and the evidence beyond the name).
public struct HitReport: Encodable, Sendable {
    public let id: String
    public let kind: String
    public let name: String
    public let score: Double
    /// Of hits with this score, the share that were the person (``ScoreCalibration``).
    public let probability: Double
    public let alert: Bool
    /// The threshold `alert` was decided with for this hit.
    public let threshold: Double
    /// The list the entry is on, when named.
    public let list: String?
    public let explanation: HitExplanation

    /// The report of a hit on a listed entry, alerting when its score reaches `threshold`.
    public init(_ hit: ScreeningHit, entry: WatchlistEntry, threshold: Double) {
        id = entry.id
        kind = entry.kind.rawValue
        name = entry.name
        score = rounded(hit.score)
        probability = rounded(hit.probability)
        alert = hit.score >= threshold
        self.threshold = threshold
        list = entry.list
        explanation = HitExplanation(hit.explanation)
    }

    /// The report of a hit judged at its entry's list threshold (``ScreeningHit/threshold``), or at
    /// `requested` when a query asked for a stricter one: a query may only raise the bar.
    public init(_ hit: ScreeningHit, entry: WatchlistEntry, requested: Double?) {
        self.init(hit, entry: entry, threshold: max(hit.threshold, requested ?? 0))
    }
}

/// Why a hit scored what it did.
public struct HitExplanation: Encodable, Sendable {
    public struct Part: Encodable, Sendable {
        public let queryPart: String
        public let listPart: String
        public let rule: String
        public let wording: String
        public let similarity: Double

        enum CodingKeys: String, CodingKey {
            case queryPart = "query_part"
            case listPart = "list_part"
            case rule, wording, similarity
        }
    }

    public struct Evidence: Encodable, Sendable {
        public let kind: String
        public let effect: Double
        public let detail: String
    }

    public let summary: String
    public let matchedName: String
    public let isPrimaryName: Bool
    public let nameScore: Double
    public let parts: [Part]
    public let unmatchedQueryParts: [String]
    public let unmatchedListParts: [String]
    public let evidence: [Evidence]

    enum CodingKeys: String, CodingKey {
        case summary
        case matchedName = "matched_name"
        case isPrimaryName = "is_primary_name"
        case nameScore = "name_score"
        case parts
        case unmatchedQueryParts = "unmatched_query_parts"
        case unmatchedListParts = "unmatched_list_parts"
        case evidence
    }

    public init(_ explanation: MatchExplanation) {
        summary = explanation.summary
        matchedName = explanation.matchedName
        isPrimaryName = explanation.isPrimaryName
        nameScore = rounded(explanation.nameScore)
        parts = explanation.parts.map {
            Part(
                queryPart: $0.queryPart,
                listPart: $0.listPart,
                rule: $0.rule.rawValue,
                wording: $0.rule.wording,
                similarity: rounded($0.similarity)
            )
        }
        unmatchedQueryParts = explanation.unmatchedQueryParts
        unmatchedListParts = explanation.unmatchedListParts
        evidence = explanation.evidence.map {
            Evidence(kind: $0.kind.rawValue, effect: rounded($0.effect), detail: $0.detail)
        }
    }
}

/// A score rounded to four decimals for display and storage.
public func rounded(_ value: Double) -> Double {
    (value * 10_000).rounded() / 10_000
}

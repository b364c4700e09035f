/// Why a listed entry did not alert for a query: its score, the threshold it was judged at, and what
/// each factor cost in score points.
///
/// A factor's cost is how much higher the score would be had that factor alone been different (the
/// query part spelled as the list spells it, the missing part present, the penalty not applied, the
/// piece of evidence not given), with everything else as it was. Costs overlap, so they do not add up
/// to the gap: a part left out also triggers a structure penalty, and both are shown. A negative cost is
/// a factor that helped.
public struct MissExplanation: Sendable, Hashable {
    /// One factor and its cost.
    public struct Cost: Sendable, Hashable {
        /// What the factor is.
        public enum Factor: String, Sendable, Hashable, Codable, CaseIterable {
            /// A query part matched its list part by a rule other than the same spelling.
            case spelling
            /// A part of the listed name the query leaves out.
            case missingFromQuery = "missing_from_query"
            /// A part of the query the listed name does not have.
            case notOnList = "not_on_list"
            /// A structure penalty on the name match (parts that contradict, one part alone, common parts).
            case structure
            /// The name matched is a weak alias.
            case weakAlias = "weak_alias"
            /// The birth date given.
            case birthDate = "birth_date"
            /// The nationality given.
            case nationality
            /// The sex given.
            case gender
            /// The document number given.
            case document
            /// No part of the query corresponds to any name of the entry.
            case noMatch = "no_match"
        }

        /// What the factor is.
        public var factor: Factor
        /// How many score points it cost (negative: how many it added).
        public var points: Double
        /// A readable description.
        public var detail: String

        /// Creates a cost.
        public init(factor: Factor, points: Double, detail: String) {
            self.factor = factor
            self.points = points
            self.detail = detail
        }
    }

    /// The entry's identifier.
    public var entryID: String
    /// The query's score against the entry, scored directly whether or not it was a candidate.
    public var score: Double
    /// The threshold the entry is judged at (its list's, or the index's).
    public var threshold: Double
    /// How far the score falls short of the threshold (zero or less: it reaches it).
    public var gap: Double
    /// Whether the index scores the entry for the query at all: it found it among its candidates.
    public var isCandidate: Bool
    /// Whether the query alerts on the entry when screened: a candidate scoring at least the threshold.
    public var isAlert: Bool
    /// What each factor cost, largest first.
    public var costs: [Cost]
    /// The full explanation of the score.
    public var explanation: MatchExplanation

    /// Creates an explanation.
    public init(
        entryID: String,
        score: Double,
        threshold: Double,
        isCandidate: Bool,
        costs: [Cost],
        explanation: MatchExplanation
    ) {
        self.entryID = entryID
        self.score = score
        self.threshold = threshold
        self.gap = ((threshold - score) * 10_000).rounded() / 10_000
        self.isCandidate = isCandidate
        self.isAlert = isCandidate && score >= threshold
        self.costs = costs
        self.explanation = explanation
    }

    /// A readable account for an analyst: the verdict, then the costs, largest first.
    public var summary: String {
        var lines: [String] = []
        let numbers = "score \(Self.format(score)), threshold \(Self.format(threshold))"
        if isAlert {
            lines.append("alerts: \(numbers)")
        } else if score >= threshold {
            lines.append("silent: \(numbers), but the index never scored it (not among the query's candidates)")
        } else {
            lines.append("silent: \(numbers), \(Self.format(gap)) short")
            if !isCandidate { lines.append("the index would not have scored it: not among the query's candidates") }
        }
        for cost in costs {
            let sign = cost.points >= 0 ? "−" : "+"
            lines.append("  \(sign)\(Self.format(abs(cost.points)))  \(cost.factor.rawValue): \(cost.detail)")
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ x: Double) -> String {
        let v = (x * 1000).rounded() / 1000
        return String(v == 0 ? 0 : v)
    }
}

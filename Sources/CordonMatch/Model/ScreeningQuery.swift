/// What a checkpoint knows about the person in front of it.
public struct ScreeningQuery: Sendable, Hashable {
    /// The name as written or scanned, in any script and order.
    public var name: String
    /// The birth date, possibly partial.
    public var birthDate: ScreeningDate?
    /// Nationality as an ISO 3166-1 alpha-2 code.
    public var nationality: String?
    /// The person's sex, when known.
    public var gender: WatchlistEntry.Gender?
    /// A travel or identity document number.
    public var documentNumber: String?
    /// Restricts results to one kind of entry; `nil` screens against both.
    public var kind: WatchlistEntry.Kind?

    /// Creates a query.
    public init(
        name: String,
        birthDate: ScreeningDate? = nil,
        nationality: String? = nil,
        gender: WatchlistEntry.Gender? = nil,
        documentNumber: String? = nil,
        kind: WatchlistEntry.Kind? = nil
    ) {
        self.name = name
        self.birthDate = birthDate
        self.nationality = nationality?.uppercased()
        self.gender = gender
        self.documentNumber = documentNumber
        self.kind = kind
    }
}

/// Why a query could not be screened.
public enum ScreeningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name has no letters or digits after normalisation.
    case emptyName

    /// A one-line description for an operator.
    public var description: String {
        switch self {
        case .emptyName: "the name has no letters or digits to screen"
        }
    }
}

/// One watchlist entry found for a query, with its score and explanation.
public struct ScreeningHit: Sendable, Hashable {
    /// The entry's identifier.
    public var entryID: String
    /// The score in [0, 1]: how alike the query and the entry are, after the evidence beyond the name.
    /// Thresholds are set on it; ``probability`` says what it means.
    public var score: Double
    /// Whether the score reaches the alert threshold.
    public var isAlert: Bool
    /// The threshold the hit was judged at: its entry's list threshold, or the index's.
    public var threshold: Double
    /// Why the entry scored as it did.
    public var explanation: MatchExplanation

    /// Of hits with this score, the share that were the person (``ScoreCalibration/standard``).
    public var probability: Double { ScoreCalibration.standard.probability(of: score) }
}

/// How a query part relates to a list part.
public enum MatchRule: String, Sendable, Hashable, Codable {
    /// Identical after normalisation.
    case exact
    /// The same name in another romanisation or script (phonetic keys equal).
    case transliteration
    /// Same consonants, vowels differ or are unwritten (Arabic script).
    case consonantSkeleton
    /// A known short form or nickname.
    case nickname
    /// A shortened form (`Hikmat` for `Hikmatullo`).
    case shortForm
    /// Close spelling: a typo or a rarer variant.
    case fuzzy
    /// The same name with vowels that romanisations of one language family trade (a/o, o/u, e/i, a/e:
    /// Zelimkhon and Zelimkhan, Rustam and Rostam).
    case vowelAlternation
    /// The same name with a suffix of address or a surname ending traded (Farrukhjon and Farrukh,
    /// Sharifov and Sharifzoda).
    case nameSuffix
    /// An initial matching the first letter.
    case initial
    /// One part on one side written as two on the other (`Abdulaziz` / `Abdul Aziz`).
    case joined
    /// An organisation's acronym (`IMU`).
    case acronym

    /// Plain-language wording for an officer.
    public var wording: String {
        switch self {
        case .exact: "same spelling"
        case .transliteration: "same name, other spelling or script"
        case .consonantSkeleton: "same consonants"
        case .nickname: "known short form"
        case .shortForm: "shortened form"
        case .fuzzy: "close spelling (typo or variant)"
        case .vowelAlternation: "same name, vowels as another romanisation writes them"
        case .nameSuffix: "same name with a suffix added, dropped or traded"
        case .initial: "initial"
        case .joined: "written joined/split"
        case .acronym: "acronym"
        }
    }
}

/// The explanation of one hit, as structured data and as text.
public struct MatchExplanation: Sendable, Hashable {
    /// One aligned pair of name parts.
    public struct PartMatch: Sendable, Hashable {
        /// The query part as written.
        public var queryPart: String
        /// The list part as written.
        public var listPart: String
        /// The rule that related them.
        public var rule: MatchRule
        /// Their similarity in [0, 1].
        public var similarity: Double
        /// The weight of the part (rarer parts weigh more), in [0, 1].
        public var weight: Double
    }

    /// One piece of non-name evidence.
    public struct Evidence: Sendable, Hashable {
        /// What the evidence is about.
        public enum Kind: String, Sendable, Hashable {
            /// Birth date or year.
            case birthDate
            /// Nationality.
            case nationality
            /// Sex.
            case gender
            /// Document number.
            case document
            /// The matched name is a weak alias.
            case weakAlias
            /// The structure of the name match (conflicting parts, single part).
            case structure
        }

        /// What the evidence is about.
        public var kind: Kind
        /// Its effect on the score (positive raises, negative lowers), in score points.
        public var effect: Double
        /// A readable description.
        public var detail: String
    }

    /// The list name (primary or alias) that matched best.
    public var matchedName: String
    /// Whether the matched name is the entry's primary name.
    public var isPrimaryName: Bool
    /// Aligned pairs, query order.
    public var parts: [PartMatch]
    /// Query parts with no counterpart.
    public var unmatchedQueryParts: [String]
    /// List parts with no counterpart.
    public var unmatchedListParts: [String]
    /// The score from names alone.
    public var nameScore: Double
    /// Other evidence, in the order applied.
    public var evidence: [Evidence]

    /// A readable summary for a checkpoint officer.
    public var summary: String {
        var lines: [String] = []
        lines.append("name \"\(matchedName)\"\(isPrimaryName ? "" : " (alias)"): \(Self.format(nameScore))")
        for p in parts {
            lines.append(
                "  \(p.queryPart) ↔ \(p.listPart): \(p.rule.wording) (\(Self.format(p.similarity)), weight \(Self.format(p.weight)))"
            )
        }
        if !unmatchedQueryParts.isEmpty {
            lines.append("  not on the list name: \(unmatchedQueryParts.joined(separator: " "))")
        }
        if !unmatchedListParts.isEmpty {
            lines.append("  not in the query: \(unmatchedListParts.joined(separator: " "))")
        }
        for e in evidence {
            let sign = e.effect >= 0 ? "+" : "−"
            lines.append("  \(e.detail) (\(sign)\(Self.format(abs(e.effect))))")
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ x: Double) -> String {
        let v = (x * 100).rounded() / 100
        var s = String(v)
        if s.hasSuffix(".0") { s += "0" }
        return s
    }
}

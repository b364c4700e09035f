import Foundation

extension NameScorer {
    // MARK: - Evidence

    static func applyEvidence(
        query: ScreeningQuery,
        entry: WatchlistEntry,
        score s: inout Double,
        evidence: inout [MatchExplanation.Evidence]
    ) {
        func raise(_ k: Double, _ kind: MatchExplanation.Evidence.Kind, _ detail: String) {
            let before = s
            s += (1 - s) * k
            evidence.append(.init(kind: kind, effect: s - before, detail: detail))
        }
        func lower(_ factor: Double, _ kind: MatchExplanation.Evidence.Kind, _ detail: String) {
            let before = s
            s *= factor
            evidence.append(.init(kind: kind, effect: s - before, detail: detail))
        }
        if let born = query.birthDate, !entry.birthDates.isEmpty {
            let (factor, boost, detail) = birthDateEvidence(born, entry.birthDates, strongName: s >= 0.9)
            if boost > 0 { raise(boost, .birthDate, detail) } else if factor < 1 { lower(factor, .birthDate, detail) }
        }
        if let nat = query.nationality, !entry.nationalities.isEmpty {
            if entry.nationalities.contains(nat) {
                raise(0.1, .nationality, "nationality \(nat) matches")
            } else {
                lower(0.95, .nationality, "nationality \(nat) not among \(entry.nationalities.joined(separator: ", "))")
            }
        }
        if let g = query.gender, let eg = entry.gender, g != eg {
            lower(0.85, .gender, "sex \(g.rawValue) differs from listed \(eg.rawValue)")
        }
        if let doc = query.documentNumber.map(normaliseDocument), !doc.isEmpty, !entry.documentNumbers.isEmpty {
            if entry.documentNumbers.map(normaliseDocument).contains(doc) {
                raise(0.9, .document, "document number \(doc) matches")
            } else {
                // People hold several documents and lists know the old ones: a number not on the list
                // says nothing against the name, so it is recorded without effect.
                evidence.append(.init(kind: .document, effect: 0, detail: "document number \(doc) not on the list"))
            }
        }
    }

    static func normaliseDocument(_ s: String) -> String {
        String(s.uppercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil })
    }

    /// Birth date evidence: `(factor, boost, detail)`; the closest listed date counts. A year off costs
    /// little when the name is strong (records are often a year off), more when the name is weak and the
    /// dates are most of what tells two candidates apart.
    static func birthDateEvidence(
        _ q: ScreeningDate,
        _ listed: [ScreeningDate],
        strongName: Bool = true
    ) -> (Double, Double, String) {
        var bestFactor = 0.0
        var bestBoost = 0.0
        var bestDetail = ""
        for d in listed {
            var factor = 1.0
            var boost = 0.0
            var detail: String
            let years = abs(q.year - d.year)
            if years == 0 {
                if let qm = q.month, let dm = d.month, qm != dm {
                    let swapped = q.day == dm && d.day == qm
                    factor = swapped ? 0.95 : 0.82
                    detail = "born \(q), listed \(d): same year, other month"
                } else if let qd = q.day, let dd = d.day, qd != dd {
                    factor = 0.85
                    detail = "born \(q), listed \(d): same month, other day"
                } else if q.day != nil && d.day != nil {
                    boost = 0.4
                    detail = "birth date \(d) matches"
                } else {
                    boost = 0.2
                    detail = "birth year \(d.year) matches"
                }
            } else {
                // Records are often a year off (a registration date, a year counted from a season): a
                // near year costs little, a far one much.
                switch years {
                case 1:
                    let sameDay = q.month != nil && q.month == d.month && q.day == d.day
                    factor = strongName ? (sameDay ? 0.97 : 0.95) : (sameDay ? 0.9 : 0.82)
                case 2: factor = 0.8
                case 3...5: factor = 0.62
                case 6...10: factor = 0.5
                default: factor = 0.4
                }
                detail = "born \(q), listed \(d): \(years) year\(years == 1 ? "" : "s") apart"
            }
            if boost > bestBoost || (bestBoost == 0 && factor > bestFactor) {
                bestFactor = factor
                bestBoost = boost
                bestDetail = detail
            }
        }
        return (bestFactor, bestBoost, bestDetail)
    }

    // MARK: - Explanation

    func explain(_ result: EntryResult, entry: PreparedEntry) -> MatchExplanation {
        let a = result.alignment
        guard a.nameIndex >= 0 else {
            return MatchExplanation(
                matchedName: entry.entry.name,
                isPrimaryName: true,
                parts: [],
                unmatchedQueryParts: parts.map(\.text),
                unmatchedListParts: [],
                nameScore: 0,
                evidence: result.evidence
            )
        }
        let name = entry.names[a.nameIndex]
        return MatchExplanation(
            matchedName: name.text,
            isPrimaryName: name.isPrimary,
            parts: a.pairs.map { p in
                MatchExplanation.PartMatch(
                    queryPart: p.query.map { parts[$0].text }.joined(separator: " "),
                    listPart: p.list.map { name.parts[$0].text }.joined(separator: " "),
                    rule: p.rule,
                    similarity: (p.similarity * 100).rounded() / 100,
                    weight: (p.weight * 100).rounded() / 100
                )
            },
            unmatchedQueryParts: a.unmatchedQuery.map { parts[$0].text },
            unmatchedListParts: a.unmatchedList.map { name.parts[$0].text },
            nameScore: (result.nameScore * 10_000).rounded() / 10_000,
            evidence: result.evidence
        )
    }
}

/// Explaining a miss: scoring a query against one named entry, whether or not the index would have
/// scored it, and pricing each factor that kept the score down.
extension ScreeningIndex {
    /// Scores a query against one entry directly, as ``screen(_:limit:)`` would score it were it a
    /// candidate.
    ///
    /// - Parameters:
    ///   - query: the name and whatever else is known.
    ///   - entryID: the entry's identifier.
    /// - Returns: the hit (score zero when nothing corresponds), or `nil` when no entry has that id.
    /// - Throws: ``ScreeningError/emptyName`` when the name has nothing to match on.
    public func score(_ query: ScreeningQuery, entryID: String) throws -> ScreeningHit? {
        guard let slot = slotByID[entryID], let prepared = slots[Int(slot)] else { return nil }
        let parts = normalizer.parts(of: query.name)
        if parts.isEmpty { throw ScreeningError.emptyName }
        let scorer = NameScorer(index: self, parts: parts)
        let result = scorer.score(
            query: query,
            acronymQuery: Self.isAcronymQuery(query.name, parts: parts),
            entry: prepared
        )
        let score = Self.round(result.score)
        let threshold = options.threshold(forList: prepared.entry.list)
        return ScreeningHit(
            entryID: entryID,
            score: score,
            isAlert: score >= threshold,
            threshold: threshold,
            explanation: scorer.explain(result, entry: prepared)
        )
    }

    /// Explains why a query did or did not alert on one entry: its direct score, the entry's threshold,
    /// whether the index would have scored it at all, and what each factor cost in score points.
    ///
    /// - Parameters:
    ///   - query: the name and whatever else is known.
    ///   - entryID: the entry's identifier.
    /// - Returns: the explanation, or `nil` when no entry has that id.
    /// - Throws: ``ScreeningError/emptyName`` when the name has nothing to match on.
    public func explainMiss(_ query: ScreeningQuery, entryID: String) throws -> MissExplanation? {
        guard let slot = slotByID[entryID], let prepared = slots[Int(slot)] else { return nil }
        let parts = normalizer.parts(of: query.name)
        if parts.isEmpty { throw ScreeningError.emptyName }
        let acronym = Self.isAcronymQuery(query.name, parts: parts)
        let kindMatches = query.kind.map { $0 == prepared.entry.kind } ?? true
        let isCandidate = kindMatches && candidates(for: parts, acronym: acronym).contains(slot)
        let scorer = NameScorer(index: self, parts: parts)
        let result = scorer.score(query: query, acronymQuery: acronym, entry: prepared)
        let score = Self.round(result.score)
        let costs = Self.sorted(
            nameCosts(result, parts: parts, query: query, acronym: acronym, entry: prepared)
                + evidenceCosts(result, parts: parts, query: query, acronym: acronym, entry: prepared)
        )
        return MissExplanation(
            entryID: entryID,
            score: score,
            threshold: options.threshold(forList: prepared.entry.list),
            isCandidate: isCandidate,
            costs: costs,
            explanation: scorer.explain(result, entry: prepared)
        )
    }

    /// The score the entry would get for other query parts or another query, all else equal.
    private func rescore(
        _ parts: [NamePart],
        _ query: ScreeningQuery,
        acronym: Bool,
        entry: PreparedEntry
    ) -> Double {
        guard !parts.isEmpty else { return 0 }
        let scorer = NameScorer(index: self, parts: parts)
        return scorer.score(query: query, acronymQuery: acronym && parts.count == 1, entry: entry).score
    }

    /// Costs of the name match: each part not spelled as listed, each part left over on either side, and
    /// each structure penalty.
    private func nameCosts(
        _ result: NameScorer.EntryResult,
        parts: [NamePart],
        query: ScreeningQuery,
        acronym: Bool,
        entry: PreparedEntry
    ) -> [MissExplanation.Cost] {
        let alignment = result.alignment
        guard alignment.nameIndex >= 0, result.score > 0 else {
            return [.init(factor: .noMatch, points: 1, detail: "no part of the query corresponds to any listed name")]
        }
        let name = entry.names[alignment.nameIndex]
        let listed = name.parts
        let base = result.score
        var costs: [MissExplanation.Cost] = []
        func cost(_ factor: MissExplanation.Cost.Factor, _ other: [NamePart], _ detail: String) {
            let points = Self.round(rescore(other, query, acronym: acronym, entry: entry) - base)
            costs.append(.init(factor: factor, points: points, detail: detail))
        }
        for pair in alignment.pairs where pair.similarity < 0.9999 {
            var other = parts
            other.replaceSubrange(pair.query, with: listed[pair.list])
            let queryText = pair.query.map { parts[$0].text }.joined(separator: " ")
            let listText = pair.list.map { listed[$0].text }.joined(separator: " ")
            let similarity = (pair.similarity * 100).rounded() / 100
            cost(
                .spelling,
                other,
                "\"\(queryText)\" ↔ \"\(listText)\": \(pair.rule.wording) (\(similarity)), not the same spelling"
            )
        }
        for j in alignment.unmatchedList {
            cost(
                .missingFromQuery,
                parts + [listed[j]],
                "\"\(listed[j].text)\" of \"\(name.text)\" is not in the query"
            )
        }
        if parts.count > 1 {
            for i in alignment.unmatchedQuery {
                var other = parts
                other.remove(at: i)
                cost(.notOnList, other, "\"\(parts[i].text)\" of the query is not in \"\(name.text)\"")
            }
        }
        // A penalty on the name score, taken away, with the other evidence applied again to what is left.
        for note in result.evidence where note.kind == .structure || note.kind == .weakAlias {
            var without = min(1, max(0, result.nameScore - note.effect))
            var ignored: [MatchExplanation.Evidence] = []
            NameScorer.applyEvidence(query: query, entry: entry.entry, score: &without, evidence: &ignored)
            let points = Self.round(min(1, max(0, without)) - base)
            costs.append(
                .init(factor: note.kind == .weakAlias ? .weakAlias : .structure, points: points, detail: note.detail)
            )
        }
        return costs
    }

    /// Costs of the evidence beyond the name: each given field against the score without it.
    private func evidenceCosts(
        _ result: NameScorer.EntryResult,
        parts: [NamePart],
        query: ScreeningQuery,
        acronym: Bool,
        entry: PreparedEntry
    ) -> [MissExplanation.Cost] {
        guard result.alignment.nameIndex >= 0, result.score > 0 else { return [] }
        var costs: [MissExplanation.Cost] = []
        for evidence in result.evidence {
            var without = query
            let factor: MissExplanation.Cost.Factor
            switch evidence.kind {
            case .birthDate:
                without.birthDate = nil
                factor = .birthDate
            case .nationality:
                without.nationality = nil
                factor = .nationality
            case .gender:
                without.gender = nil
                factor = .gender
            case .document:
                without.documentNumber = nil
                factor = .document
            case .structure, .weakAlias:
                continue
            }
            let points = Self.round(rescore(parts, without, acronym: acronym, entry: entry) - result.score)
            costs.append(.init(factor: factor, points: points, detail: evidence.detail))
        }
        return costs
    }

    /// Costs largest first; equal costs in the order found.
    private static func sorted(_ costs: [MissExplanation.Cost]) -> [MissExplanation.Cost] {
        costs.enumerated().sorted { a, b in
            a.element.points > b.element.points || (a.element.points == b.element.points && a.offset < b.offset)
        }.map(\.element)
    }

    private static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

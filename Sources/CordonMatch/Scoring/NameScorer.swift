import Foundation

/// Scores one candidate entry against a query: aligns name parts, weighs them by rarity, then
/// applies the other evidence. See `docs/MATCHING.md` for the model.
///
/// One scorer serves one query: it caches part comparisons and weights across candidates, since
/// the same list parts (Muhammad, Aleksandrovich) recur in many of them.
final class NameScorer {
    let index: ScreeningIndex
    let parts: [NamePart]
    let queryWeights: [Double]
    private var comparisons: [String: [(similarity: Double, rule: MatchRule)]] = [:]
    private var weights: [String: Double] = [:]

    init(index: ScreeningIndex, parts: [NamePart]) {
        self.index = index
        self.parts = parts
        self.queryWeights = parts.map { index.weight(of: $0) }
    }

    /// Similarities of every query part to one list part, cached by the list part's spelling.
    func comparisons(to part: NamePart) -> [(similarity: Double, rule: MatchRule)] {
        let key = part.isVowelless ? "\u{1}" + part.latin : part.latin
        if let cached = comparisons[key] { return cached }
        let result = parts.map { PartSimilarity.compare($0, part) }
        comparisons[key] = result
        return result
    }

    func weight(of part: NamePart) -> Double {
        let key = part.isVowelless ? "\u{1}" + part.latin : part.latin
        if let cached = weights[key] { return cached }
        let w = index.weight(of: part)
        weights[key] = w
        return w
    }

    struct Pair {
        /// Query parts (one, or two written apart).
        var query: Range<Int>
        /// List parts (one, or two written apart).
        var list: Range<Int>
        var similarity: Double
        var rule: MatchRule
        var weight: Double
    }

    struct Alignment {
        var nameIndex: Int
        var pairs: [Pair] = []
        var unmatchedQuery: [Int] = []
        var unmatchedList: [Int] = []
        var score: Double = 0
        var notes: [MatchExplanation.Evidence] = []
    }

    struct EntryResult {
        var alignment: Alignment
        var nameScore: Double
        var score: Double
        var evidence: [MatchExplanation.Evidence]
    }

    // MARK: - Entry score

    /// The most names of one entry scored per query (primary name and strong aliases come first).
    static let maximumNames = 24

    func score(query: ScreeningQuery, acronymQuery: Bool, entry: PreparedEntry) -> EntryResult {
        var best = Alignment(nameIndex: -1)
        for (n, name) in entry.names.prefix(Self.maximumNames).enumerated() {
            var a: Alignment
            if acronymQuery, let acronym = name.acronym ?? (name.parts.count == 1 ? name.parts[0].latin : nil),
                acronym == parts[0].latin
            {
                // A one-word name equal to the query (an acronym the list records) is exact; an
                // acronym derived from the words of a name is weaker evidence.
                let derived = name.acronym != nil
                a = Alignment(nameIndex: n)
                a.pairs = [
                    Pair(
                        query: 0..<1,
                        list: name.parts.indices,
                        similarity: derived ? 0.86 : 1,
                        rule: derived ? .acronym : .exact,
                        weight: 1
                    )
                ]
                a.score = derived ? 0.86 : 1
            } else {
                a = align(parts, name: name, kind: entry.entry.kind)
                a.nameIndex = n
            }
            if name.isWeak, a.score > 0 {
                let before = a.score
                a.score *= 0.92
                a.notes.append(.init(kind: .weakAlias, effect: a.score - before, detail: "matched a weak alias"))
            }
            if a.score > best.score { best = a }
        }
        guard best.nameIndex >= 0 else {
            return EntryResult(alignment: best, nameScore: 0, score: 0, evidence: [])
        }
        var evidence = best.notes
        let nameScore = best.score
        var s = nameScore
        Self.applyEvidence(query: query, entry: entry.entry, score: &s, evidence: &evidence)
        return EntryResult(alignment: best, nameScore: nameScore, score: min(1, max(0, s)), evidence: evidence)
    }

    // MARK: - Alignment

    func align(_ q: [NamePart], name: PreparedEntry.Name, kind: WatchlistEntry.Kind) -> Alignment {
        let l = name.parts
        var a = Alignment(nameIndex: 0)
        if l.isEmpty { return a }
        let listWeights = l.map { part -> Double in
            if kind == .organization, index.normalizer.isStopword(part.latin) { return 0.05 }
            return weight(of: part)
        }
        var qWeights = queryWeights
        if kind == .organization {
            for (i, part) in q.enumerated() where index.normalizer.isStopword(part.latin) { qWeights[i] = 0.05 }
        }
        // All pairwise similarities above the minimum, best first; a part may also pair with two
        // adjacent parts of the other side written joined (Abdulaziz / Abdul Aziz).
        var candidates: [Pair] = []
        for j in l.indices {
            let row = comparisons(to: l[j])
            for i in q.indices where row[i].similarity >= PartSimilarity.minimum {
                candidates.append(
                    Pair(
                        query: i..<(i + 1),
                        list: j..<(j + 1),
                        similarity: row[i].similarity,
                        rule: row[i].rule,
                        weight: listWeights[j]
                    )
                )
            }
        }
        var (usedQ, usedL, pairs) = Self.greedy(candidates, q.count, l.count)
        let leftQ = q.indices.contains { usedQ & (1 << UInt32($0)) == 0 && !q[$0].isInitial }
        let leftL = l.indices.contains { usedL & (1 << UInt32($0)) == 0 && !l[$0].isInitial }
        if leftQ || leftL {
            let before = candidates.count
            for i in q.indices where !q[i].isInitial {
                let length = q[i].skeleton.utf8.count
                for j in 0..<max(0, l.count - 1) where !l[j].isInitial && !l[j + 1].isInitial {
                    let joinedLength = l[j].skeleton.utf8.count + l[j + 1].skeleton.utf8.count
                    guard abs(joinedLength - length) <= 2, Self.mayJoin(q[i], l[j]) else { continue }
                    let (s, _) = PartSimilarity.compare(q[i], Self.join(l[j], l[j + 1]))
                    if s >= 0.8 {
                        let w = max(listWeights[j], listWeights[j + 1])
                        candidates.append(
                            Pair(query: i..<(i + 1), list: j..<(j + 2), similarity: s * 0.98, rule: .joined, weight: w)
                        )
                    }
                }
            }
            for j in l.indices where !l[j].isInitial {
                let length = l[j].skeleton.utf8.count
                for i in 0..<max(0, q.count - 1) where !q[i].isInitial && !q[i + 1].isInitial {
                    let joinedLength = q[i].skeleton.utf8.count + q[i + 1].skeleton.utf8.count
                    guard abs(joinedLength - length) <= 2, Self.mayJoin(q[i], l[j]) else { continue }
                    let (s, _) = PartSimilarity.compare(Self.join(q[i], q[i + 1]), l[j])
                    if s >= 0.8 {
                        candidates.append(
                            Pair(
                                query: i..<(i + 2),
                                list: j..<(j + 1),
                                similarity: s * 0.98,
                                rule: .joined,
                                weight: listWeights[j]
                            )
                        )
                    }
                }
            }
            if candidates.count > before { (usedQ, usedL, pairs) = Self.greedy(candidates, q.count, l.count) }
        }
        a.pairs = pairs
        a.unmatchedQuery = q.indices.filter { usedQ & (1 << UInt32($0)) == 0 }
        a.unmatchedList = l.indices.filter { usedL & (1 << UInt32($0)) == 0 }
        a.pairs.sort { $0.query.lowerBound < $1.query.lowerBound }
        if a.pairs.isEmpty { return a }

        var matched = 0.0
        var matchedWeight = 0.0
        for p in a.pairs {
            var w = p.weight
            if p.rule == .initial { w = min(w, 0.35) }
            matched += p.similarity * w
            matchedWeight += w
        }
        // A query part the list name lacks counts more than the reverse, but a list that knows a
        // person by fewer names is common (short aliases), and patronymics are often left out.
        let extraQuery = a.unmatchedQuery.reduce(0.0) { sum, i in
            sum + qWeights[i] * (Self.isPatronymicLike(q[i]) ? 0.15 : 0.6)
        }
        // A list part the query leaves out is weak evidence (patronymics and middle names are often
        // omitted); a patronymic-like part weighs least.
        let extraList = a.unmatchedList.reduce(0.0) { sum, j in
            sum + listWeights[j] * (Self.isPatronymicLike(l[j]) ? 0.1 : 0.4)
        }
        let qCov = matched / (matchedWeight + extraQuery)
        let lCov = matched / (matchedWeight + extraList)
        var s = pow(qCov, 0.6) * pow(lCov, 0.4)

        // Parts left over on both sides contradict each other (Sergei vs Ivan, M. vs Aleksandr).
        let significantQ = a.unmatchedQuery.filter { qWeights[$0] > 0.1 }
        let significantL = a.unmatchedList.filter { listWeights[$0] > 0.1 }
        if !significantQ.isEmpty && !significantL.isEmpty {
            let before = s
            s *= 0.8
            a.notes.append(
                .init(
                    kind: .structure,
                    effect: s - before,
                    detail: "parts on both sides do not correspond (a different given name?)"
                )
            )
        }
        let strongPairs = a.pairs.filter { $0.rule != .initial && !l[$0.list.lowerBound].isTitle }.count
        let sides = max(
            q.filter { !$0.isInitial && !$0.isTitle }.count,
            l.filter { !$0.isInitial && !$0.isTitle }.count
        )
        let leftOver = !significantQ.isEmpty || !significantL.isEmpty
        if strongPairs <= 1, sides >= 2, leftOver, s > 0.7 {
            let before = s
            s = 0.7 + (s - 0.7) * 0.3
            a.notes.append(.init(kind: .structure, effect: s - before, detail: "only one name part corresponds"))
        }
        // A match on common parts only (Muhammad Ibrahim) says less than one on a rare surname:
        // estimate how many list entries would share the matched parts by chance.
        let n = Double(max(index.count, 2000))
        var expected = n
        for p in a.pairs where !l[p.list.lowerBound].isTitle {
            if p.rule == .initial {
                expected /= 15
            } else {
                let df = p.list.map { index.frequency(of: l[$0]) }.max() ?? 0
                expected *= (Double(df) + 1) / n
            }
        }
        if expected > 0.2 {
            let before = s
            s *= max(0.7, 1 - 0.15 * log10(1 + expected))
            if before - s > 0.005 {
                a.notes.append(
                    .init(kind: .structure, effect: s - before, detail: "the matching parts are common names")
                )
            }
        }
        a.score = s
        return a
    }

    /// Greedy one-to-one assignment, best similarity first. Returns bit sets of the used parts.
    static func greedy(_ candidates: [Pair], _ n: Int, _ m: Int) -> (UInt32, UInt32, [Pair]) {
        let sorted = candidates.sorted {
            $0.similarity > $1.similarity || ($0.similarity == $1.similarity && $0.list.count > $1.list.count)
        }
        var usedQ: UInt32 = 0
        var usedL: UInt32 = 0
        var pairs: [Pair] = []
        for c in sorted {
            let qBits = bits(c.query)
            let lBits = bits(c.list)
            if usedQ & qBits != 0 || usedL & lBits != 0 { continue }
            usedQ |= qBits
            usedL |= lBits
            pairs.append(c)
        }
        return (usedQ, usedL, pairs)
    }

    @inline(__always) static func bits(_ r: Range<Int>) -> UInt32 {
        var b: UInt32 = 0
        for i in r { b |= 1 << UInt32(i) }
        return b
    }

    static func isPatronymicLike(_ part: NamePart) -> Bool {
        part.key.hasSuffix("oviC") || part.key.hasSuffix("ovna") || part.key.hasSuffix("ogli")
            || part.key.hasSuffix("kizi") || part.key.hasSuffix("iC")
    }

    /// A cheap test before joining: the whole and the first of the two parts start with the same
    /// consonant (or both with a vowel).
    static func mayJoin(_ whole: NamePart, _ first: NamePart) -> Bool {
        let a = whole.skeleton.utf8.first
        let b = first.skeleton.utf8.first
        let aVowel = whole.key.utf8.first.map(PhoneticKey.isVowel) ?? false
        let bVowel = first.key.utf8.first.map(PhoneticKey.isVowel) ?? false
        return a == b || (aVowel && bVowel) || whole.isVowelless != first.isVowelless
    }

    static func join(_ a: NamePart, _ b: NamePart) -> NamePart {
        NameNormalizer.makePart(text: a.text + b.text, latin: a.latin + b.latin, script: a.script)
    }

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
            let (factor, boost, detail) = birthDateEvidence(born, entry.birthDates)
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

    /// Birth date evidence: `(factor, boost, detail)`; the closest listed date counts.
    static func birthDateEvidence(_ q: ScreeningDate, _ listed: [ScreeningDate]) -> (Double, Double, String) {
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
                switch years {
                case 1: factor = (q.month != nil && q.month == d.month && q.day == d.day) ? 0.9 : 0.82
                case 2: factor = 0.75
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

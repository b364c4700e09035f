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
            let middle = l.count >= 3 && j > 0 && j < l.count - 1
            return sum + listWeights[j] * (Self.isPatronymicLike(l[j]) ? 0.1 : middle ? Self.middleLeftOut : 0.4)
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

    /// The share of its weight a middle part of a list name of three or more counts when the query
    /// leaves it out (Mohammed Al-Harbi for Mohammed bin Salem Al-Harbi): middle names and the links of
    /// an Arabic name's chain are the parts most often dropped.
    static let middleLeftOut = 0.25

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
}

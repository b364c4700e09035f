/// Compares two name parts and says by which rule they correspond.
enum PartSimilarity {
    /// Below this a pair of parts is not aligned at all.
    static let minimum = 0.62

    static func compare(_ q: NamePart, _ l: NamePart) -> (similarity: Double, rule: MatchRule) {
        if q.latin == l.latin { return (1.0, .exact) }
        let qInitial = q.isInitial
        let lInitial = l.isInitial
        if qInitial || lInitial {
            if qInitial && lInitial { return (0, .initial) }
            let full = qInitial ? l : q
            let initial = qInitial ? q : l
            return initialMatches(initial.latin, full) ? (0.72, .initial) : (0, .initial)
        }
        if q.isVowelless || l.isVowelless {
            return skeletonCompare(q, l)
        }
        if q.key == l.key { return (0.96, .transliteration) }
        if Nicknames.areEquivalent(q.key, l.key) { return (0.88, .nickname) }
        var best: (Double, MatchRule) = (0, .fuzzy)
        var sim = fuzzySimilarity(q.key, l.key)
        if sim < 0.9 { sim = max(sim, fuzzySimilarity(q.latin, l.latin)) }
        if sim >= fuzzyMinimum { best = (0.94 - (1 - sim) * 1.2, .fuzzy) }
        if q.skeleton == l.skeleton, q.skeleton.utf8.count >= 3, best.0 < 0.85 { best = (0.85, .consonantSkeleton) }
        if best.0 < 0.82, isShortForm(q.key, l.key) { best = (0.82, .shortForm) }
        return best
    }

    /// Below this edit similarity two keys are different names, not a typo.
    static let fuzzyMinimum = 0.75

    /// Endings shared by many names; a typo is judged on what precedes them.
    static let commonEndings: [String] = ["ovich", "ovna", "ova", "ov", "ina", "in", "enko", "ski", "skaia", "ian"]

    /// Edit similarity of two keys in [0, 1]; a shared common ending is set aside first so that
    /// Kulakov and Kotikov are judged on "kulak" and "kotik".
    static func fuzzySimilarity(_ a: String, _ b: String) -> Double {
        var a = Substring(a)
        var b = Substring(b)
        for ending in commonEndings where a.hasSuffix(ending) && b.hasSuffix(ending) {
            a = a.dropLast(ending.count)
            b = b.dropLast(ending.count)
            break
        }
        let longest = Double(max(a.utf8.count, b.utf8.count))
        if longest == 0 { return 1 }
        if longest < 3 { return a == b ? 1 : 0 }
        let d = EditDistance.weighted(String(a), String(b))
        return 1 - d / longest
    }

    static func skeletonCompare(_ q: NamePart, _ l: NamePart) -> (similarity: Double, rule: MatchRule) {
        if q.isVowelless && l.isVowelless && q.key == l.key { return (0.97, .transliteration) }
        let a = q.skeleton
        let b = l.skeleton
        if a.isEmpty || b.isEmpty { return (0, .consonantSkeleton) }
        if a == b { return (a.utf8.count >= 2 ? 0.93 : 0.8, .consonantSkeleton) }
        let d = EditDistance.weighted(a, b)
        let longest = Double(max(a.utf8.count, b.utf8.count))
        let sim = 1 - d / longest
        if longest >= 3, sim >= 0.66 { return (min(0.9, 0.3 + 0.65 * sim), .fuzzy) }
        return (0, .fuzzy)
    }

    static func initialMatches(_ initial: String, _ full: NamePart) -> Bool {
        guard let i = initial.utf8.first, let f = full.latin.utf8.first else { return false }
        if i == f { return true }
        // Romanisations that change the first letter: Yuriy/Iurii/Jurij, Khasan/Hasan, Evgeniy/Yevgeniy.
        let classes: [Set<UInt8>] = [
            [0x79, 0x69, 0x6A, 0x65], [0x6B, 0x68, 0x78], [0x63, 0x74, 0x6B], [0x7A, 0x6A],
        ]
        return classes.contains { $0.contains(i) && $0.contains(f) }
    }

    /// Suffixes that make a different name, not a short form (Ivan / Ivanov, Petr / Petrovich).
    static let derivingSuffixes: [String] = [
        "ov", "ova", "ovich", "ovna", "in", "ina", "ski", "skaia", "enko", "ian", "ic", "ich", "uk", "iuk", "ev",
        "i", "a", "zade", "zada", "pur", "far", "ii",
    ]

    static func isShortForm(_ a: String, _ b: String) -> Bool {
        let (short, long) = a.utf8.count <= b.utf8.count ? (a, b) : (b, a)
        guard short.utf8.count >= 4, long.utf8.count > short.utf8.count, long.hasPrefix(short) else { return false }
        let rest = String(long.dropFirst(short.count))
        return !derivingSuffixes.contains(rest)
    }
}

/// A weighted Damerau–Levenshtein distance on phonetic keys.
///
/// Substitutions between vowels and between sounds that romanisations confuse cost less than other
/// edits; a vowel inserted or dropped costs less than a consonant.
enum EditDistance {
    static let maxLength = 40

    static func substitutionCost(_ a: UInt8, _ b: UInt8) -> Double {
        if a == b { return 0 }
        let va = PhoneticKey.isVowel(a)
        let vb = PhoneticKey.isVowel(b)
        if va && vb { return 0.45 }
        switch (min(a, b), max(a, b)) {
        case (0x4A, 0x69),  // J / i (j as y)
            (0x67, 0x68),  // g / h (Ukrainian г)
            (0x68, 0x6B),  // h / k (x, kh)
            (0x73, 0x7A),  // s / z
            (0x64, 0x7A),  // d / z (Arabic ض ذ)
            (0x73, 0x74),  // s / t (Arabic ث)
            (0x62, 0x76),  // b / v
            (0x62, 0x70),  // b / p
            (0x66, 0x70),  // f / p
            (0x4A, 0x67),  // J / g (Arabic ج in Egyptian romanisation)
            (0x63, 0x73),  // c / s
            (0x63, 0x6B),  // c / k (ISO 9 c is ц; English c is k)
            (0x43, 0x53),  // ch / sh
            (0x4A, 0x7A),  // J / z
            (0x64, 0x74):  // d / t
            return 0.5
        default:
            return 1
        }
    }

    static func indelCost(_ c: UInt8) -> Double {
        PhoneticKey.isVowel(c) ? 0.55 : (c == 0x68 ? 0.6 : 1)
    }

    static func weighted(_ a: String, _ b: String) -> Double {
        var a = a
        var b = b
        return a.withUTF8 { pa in b.withUTF8 { pb in weighted(pa, pb) } }
    }

    static func weighted(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let n = min(a.count, maxLength)
        let m = min(b.count, maxLength)
        if n == 0 { return (0..<m).reduce(0) { $0 + indelCost(b[$1]) } }
        if m == 0 { return (0..<n).reduce(0) { $0 + indelCost(a[$1]) } }
        let width = m + 1
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: (n + 1) * width) { d in
            d[0] = 0
            for j in 1...m { d[j] = d[j - 1] + indelCost(b[j - 1]) }
            for i in 1...n {
                let ai = a[i - 1]
                let row = i * width
                d[row] = d[row - width] + indelCost(ai)
                for j in 1...m {
                    let bj = b[j - 1]
                    var v = d[row - width + j - 1] + substitutionCost(ai, bj)
                    let del = d[row - width + j] + indelCost(ai)
                    if del < v { v = del }
                    let ins = d[row + j - 1] + indelCost(bj)
                    if ins < v { v = ins }
                    if i > 1, j > 1, ai == b[j - 2], a[i - 2] == bj, ai != bj {
                        let t = d[row - 2 * width + j - 2] + 0.8
                        if t < v { v = t }
                    }
                    d[row + j] = v
                }
            }
            return d[n * width + m]
        }
    }
}

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
            return initialMatches(initial.latin, full) ? (initialSimilarity, .initial) : (0, .initial)
        }
        if q.isVowelless || l.isVowelless {
            return skeletonCompare(q, l)
        }
        if q.key == l.key { return (0.98, .transliteration) }
        if let traded = VariantForms.vowelsTraded(q.key, l.key) {
            return (traded == 1 ? 0.96 : 0.93, .vowelAlternation)
        }
        if let suffix = VariantForms.suffixTraded(q, l) { return (suffix, .nameSuffix) }
        if let uzbek = VariantForms.uzbekX(q, l) { return uzbek }
        if Nicknames.areEquivalent(q.key, l.key) { return (0.9, .nickname) }
        var best: (Double, MatchRule) = (0, .fuzzy)
        // A slip to a neighbouring key is a typist's error: between two parts written in Latin letters.
        let typed = q.script == .latin && l.script == .latin
        var sim = fuzzySimilarity(q.key, l.key, typed: typed)
        if sim < 0.9 { sim = max(sim, fuzzySimilarity(q.latin, l.latin, typed: typed)) }
        if sim >= fuzzyMinimum { best = (fuzzyTop - (1 - sim) * fuzzySlope, .fuzzy) }
        if q.skeleton == l.skeleton, q.skeleton.utf8.count >= 3, best.0 < 0.85 { best = (0.85, .consonantSkeleton) }
        if best.0 < 0.82, isShortForm(q.key, l.key) { best = (0.82, .shortForm) }
        return best
    }

    /// A close spelling's similarity: `fuzzyTop − fuzzySlope · (1 − edit similarity)`.
    static let fuzzyTop = 0.95
    static let fuzzySlope = 0.6

    /// An initial that begins the part it stands for: the name it abbreviates, less what an initial
    /// cannot tell (brothers share initials).
    static let initialSimilarity = 0.9

    /// Below this edit similarity two keys are different names, not a typo.
    static let fuzzyMinimum = 0.75

    /// Endings shared by many names; a typo is judged on what precedes them.
    static let commonEndings: [String] = ["ovich", "ovna", "ova", "ov", "ina", "in", "enko", "ski", "skaia", "ian"]

    /// Edit similarity of two keys in [0, 1]; a shared common ending is set aside first so that
    /// Kulakov and Kotikov are judged on "kulak" and "kotik". Returns 0 early when a cheap bound
    /// shows the similarity is below ``fuzzyMinimum``.
    static func fuzzySimilarity(_ a: String, _ b: String, typed: Bool = false) -> Double {
        var a = a
        var b = b
        return a.withUTF8 { pa in b.withUTF8 { pb in fuzzySimilarity(pa, pb, typed: typed) } }
    }

    static let commonEndingBytes: [[UInt8]] = commonEndings.map { Array($0.utf8) }

    static func fuzzySimilarity(
        _ a: UnsafeBufferPointer<UInt8>,
        _ b: UnsafeBufferPointer<UInt8>,
        typed: Bool = false
    ) -> Double {
        var n = a.count
        var m = b.count
        for ending in commonEndingBytes where n >= ending.count && m >= ending.count {
            var shared = true
            for k in 0..<ending.count where a[n - ending.count + k] != ending[k] || b[m - ending.count + k] != ending[k]
            {
                shared = false
                break
            }
            if shared {
                n -= ending.count
                m -= ending.count
                break
            }
        }
        let longest = Double(max(n, m))
        if longest == 0 { return 1 }
        if longest < 3 { return n == m && (0..<n).allSatisfy { a[$0] == b[$0] } ? 1 : 0 }
        // Lower bound: every letter of one side missing from the other costs at least 0.45.
        var maskA: UInt64 = 0
        var maskB: UInt64 = 0
        for k in 0..<n { maskA |= 1 &<< UInt64(a[k] & 63) }
        for k in 0..<m { maskB |= 1 &<< UInt64(b[k] & 63) }
        let missing = max((maskA & ~maskB).nonzeroBitCount, (maskB & ~maskA).nonzeroBitCount)
        let lengthGap = Double(abs(n - m)) * 0.55
        let bound = max(Double(missing) * 0.45, lengthGap)
        if 1 - bound / longest < fuzzyMinimum { return 0 }
        let d = EditDistance.weighted(
            UnsafeBufferPointer(rebasing: a[0..<n]),
            UnsafeBufferPointer(rebasing: b[0..<m]),
            limit: (1 - fuzzyMinimum) * longest,
            typed: typed
        )
        return 1 - d / longest
    }

    static func skeletonCompare(
        _ q: NamePart,
        _ l: NamePart,
        articleAsWritten: Bool = false
    ) -> (similarity: Double, rule: MatchRule) {
        // Long vowels are written in Arabic script, so keys can still agree (ایوب / Ayyub / Ayoub).
        if q.key == l.key, q.key.utf8.count >= 3 { return (0.97, .transliteration) }
        let crossScript = q.isVowelless != l.isVowelless
        if crossScript, !articleAsWritten {
            // The article inside a compound is not written in Latin letters as it is in Arabic script:
            // before a sun letter its l takes that letter's sound (صدرالدین / Sadriddin), and الله at the end
            // is -ullo, -ullah (حکمت‌الله / Hikmatullo).
            let arabic = q.isVowelless ? q : l
            if let spoken = spokenArticle(arabic) {
                let other = q.isVowelless ? l : q
                let result = skeletonCompare(spoken, other)
                let written = skeletonCompare(q, l, articleAsWritten: true)
                return result.similarity > written.similarity ? result : written
            }
        }
        // Across scripts: و inside a word is a vowel as often as w (انور / Anwar), and ض ذ ظ are
        // romanised d or z alike (فضل / Fazal / Fadl).
        let a = crossScript ? crossScriptSkeleton(q) : q.skeleton
        let b = crossScript ? crossScriptSkeleton(l) : l.skeleton
        if a.isEmpty || b.isEmpty { return (0, .consonantSkeleton) }
        if crossScript, let russian = russianEndingInPersian(q, l) { return russian }
        if a == b {
            // Same consonants, and every long vowel Arabic script writes is in the Latin spelling
            // too: the same name in another script (محمد / Mohammad, حسن / Hasan, not حسني / Hasan).
            let compatible =
                crossScript
                && isVowelCompatible(q.isVowelless ? q.key : l.key, within: q.isVowelless ? l.key : q.key)
            if a.utf8.count >= 3 { return compatible ? (0.97, .transliteration) : (0.9, .consonantSkeleton) }
            // One or two consonants say little (علي / Ali, الله / Ali): the vowels must agree too.
            if compatible, max(q.key.utf8.count, l.key.utf8.count) >= 3 { return (0.95, .transliteration) }
            return fuzzySimilarity(q.key, l.key) >= 0.6 ? (0.8, .consonantSkeleton) : (0.7, .consonantSkeleton)
        }
        let d = EditDistance.weighted(a, b)
        let longest = Double(max(a.utf8.count, b.utf8.count))
        let sim = 1 - d / longest
        // Three consonants with one changed (شمس / Tomas) is not the same name; longer skeletons
        // may differ by one.
        if longest >= 3, sim >= (longest >= 4 ? 0.66 : 0.8) { return (min(0.9, 0.3 + 0.65 * sim), .fuzzy) }
        return (0, .fuzzy)
    }

    /// An Arabic-script part with its inner article as Latin letters write it, or nil when it has none:
    /// `al` between a consonant and a sun letter dropped with its vowel (the connecting vowel varies:
    /// -uddin, -iddin, -addin), a final `alh` (الله) written `ulh`.
    static func spokenArticle(_ part: NamePart) -> NamePart? {
        // Most keys have no `al` at all: ruled out without copying the key.
        let utf8 = part.key.utf8
        guard utf8.count >= 5, zip(utf8, utf8.dropFirst()).contains(where: { $0 == 0x61 && $1 == 0x6C }) else {
            return nil
        }
        var key = Array(utf8)
        var changed = false
        if key.suffix(3) == [0x61, 0x6C, 0x68], key.count >= 6 {
            key[key.count - 3] = 0x75
            changed = true
        }
        // Inside a compound only: three letters before it at least, a name of three after.
        var i = 3
        while i + 5 <= key.count {
            if key[i] == 0x61, key[i + 1] == 0x6C, sunLetters.contains(key[i + 2]), !PhoneticKey.isVowel(key[i - 1]) {
                key.removeSubrange(i...(i + 1))
                changed = true
            }
            i += 1
        }
        guard changed else { return nil }
        let text = String(decoding: key, as: UTF8.self)
        return NamePart(
            text: part.text,
            latin: text,
            key: text,
            skeleton: String(decoding: PhoneticKey.skeleton(key), as: UTF8.self),
            script: .arabic
        )
    }

    /// The letters before which the article takes their sound (t, d, r, z, s, sh, n in key letters).
    static let sunLetters: Set<UInt8> = [0x74, 0x64, 0x72, 0x7A, 0x73, 0x53, 0x6E]

    /// A Russian surname ending as Persian and Dari write it: -ov/-ev/-yev as -وف/-ف/-یف (f for the
    /// final в), and the Tajik о of the stem as ا (خالماتوف for Kholmatov, میرزایف for Mirzoyev,
    /// دولتف for Davlatov). The stems must have the same consonants; the long vowels the Persian stem
    /// writes must be in the Latin one (0.96), or not (0.9).
    static func russianEndingInPersian(_ q: NamePart, _ l: NamePart) -> (similarity: Double, rule: MatchRule)? {
        let arabic = q.isVowelless ? q : l
        let latin = q.isVowelless ? l : q
        guard arabic.key.utf8.last == 0x66, latin.latin.utf8.last == 0x76 else { return nil }
        var persian = Array(arabic.key.utf8)
        var russian = Array(latin.latin.utf8)
        guard persian.count >= 4, persian.last == 0x66, russian.count >= 5 else { return nil }
        // -yev, -iev, -ev, -ov on the Latin side; -یف, -وف or -ف on the Persian one.
        if russian.suffix(3) == [0x79, 0x65, 0x76] || russian.suffix(3) == [0x69, 0x65, 0x76] {
            russian.removeLast(3)
        } else if russian.suffix(2) == [0x65, 0x76] || russian.suffix(2) == [0x6F, 0x76] {
            russian.removeLast(2)
        } else {
            return nil
        }
        persian.removeLast()
        if let last = persian.last, last == 0x69 || last == 0x75, persian.count >= 4 { persian.removeLast() }
        // The stems as parts of their own (the Persian key's letters are already its key).
        let persianKey = String(decoding: persian, as: UTF8.self)
        let persianStem = NamePart(
            text: persianKey,
            latin: persianKey,
            key: persianKey,
            skeleton: String(decoding: PhoneticKey.skeleton(persian), as: UTF8.self),
            script: .arabic
        )
        let russianStem = NameNormalizer.makePart(text: latin.text, bytes: russian, script: latin.script)
        guard persianStem.skeleton.utf8.count >= 2, crossScriptSkeleton(persianStem) == crossScriptSkeleton(russianStem)
        else { return nil }
        let compatible = isVowelCompatible(persianStem.key, within: String(decoding: russian, as: UTF8.self))
        return compatible ? (0.96, .transliteration) : (0.9, .consonantSkeleton)
    }

    /// The skeleton used to compare a part with one in the other script: v (w) inside a word
    /// dropped, z read as d.
    static func crossScriptSkeleton(_ part: NamePart) -> String {
        var out: [UInt8] = []
        for (i, c) in part.skeleton.utf8.enumerated() {
            if c == 0x76, i > 0 { continue }
            let mapped: UInt8 = c == 0x7A ? 0x64 : c
            if out.last != mapped { out.append(mapped) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the letters of an Arabic-script key appear in order in a Latin key, long vowels
    /// matching their usual romanisations (ا a/e, ي i/e/y, و u/o/w).
    static func isVowelCompatible(_ arabic: String, within latin: String) -> Bool {
        var it = latin.utf8.makeIterator()
        let letters = Array(arabic.utf8)
        outer: for (index, c) in letters.enumerated() {
            // A final ى / ة / ه is often not romanised as such (حقانى / Haqqani, عبدالله / Abdulla).
            if index == letters.count - 1, index > 0, c == 0x61 || c == 0x68 { return true }
            // An initial alef carries whatever vowel begins the name (اسماعیل / Ismail).
            if index == 0, c == 0x61, let first = latin.utf8.first, PhoneticKey.isVowel(first) {
                _ = it.next()
                continue
            }
            while let l = it.next() {
                if l == c || (l == 0x7A && c == 0x64) || (l == 0x64 && c == 0x7A) { continue outer }
                switch c {
                // ا is a/e, and the o Tajik and Uzbek write for Persian ā (خالماتوف / Kholmatov).
                case 0x61 where l == 0x65 || l == 0x6F: continue outer
                case 0x69 where l == 0x65: continue outer
                case 0x75 where l == 0x6F || l == 0x76: continue outer
                default: continue
                }
            }
            return false
        }
        return true
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

    /// Suffixes (in key form) that make a different name, not a short form (Ivan / Ivanov,
    /// Petr / Petrovich).
    static let derivingSuffixes: Set<String> = [
        "ov", "ova", "oviC", "ovna", "in", "ina", "ski", "skaia", "enko", "ian", "ik", "iC", "uk", "iuk", "ev", "i",
        "a", "e", "zade", "zada", "pur", "far", "ii", "ia", "ko", "iev", "ovic",
    ]

    static func isShortForm(_ a: String, _ b: String) -> Bool {
        let (short, long) = a.utf8.count <= b.utf8.count ? (a, b) : (b, a)
        guard short.utf8.count >= 4, long.utf8.count > short.utf8.count, long.hasPrefix(short) else { return false }
        let rest = String(long.dropFirst(short.count))
        if long.hasSuffix("oviC") || long.hasSuffix("ovna") { return false }
        return rest.utf8.count >= 2 && !derivingSuffixes.contains(rest)
    }
}

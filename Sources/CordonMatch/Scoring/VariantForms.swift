/// Variants of one name that Persian, Tajik, Uzbek, Russian and Arabic romanisations produce, each an
/// explained rule rather than a typo's distance.
enum VariantForms {
    /// Vowel pairs romanisations trade within a name: a/o (Tajik о for Persian ā: Rahmon, Rakhman), o/u
    /// (Uzbek and Russian: Nurullo, Norullo), e/i (Persian and Turkic: Hekmat, Hikmat), a/e (Arabic
    /// fatha: Ahmad, Ahmed), i/u (Tajik and Uzbek: Bahodur, Bahodir).
    private static func isTraded(_ a: UInt8, _ b: UInt8) -> Bool {
        switch (min(a, b), max(a, b)) {
        case (0x61, 0x6F), (0x6F, 0x75), (0x65, 0x69), (0x61, 0x65), (0x69, 0x75): true
        default: false
        }
    }

    /// How many vowels two keys trade when they are the same otherwise (1 or 2), or nil. Both keys are
    /// four letters at least, the consonants the same in the same places, the first letter the same.
    static func vowelsTraded(_ a: String, _ b: String) -> Int? {
        let x = a.utf8
        let y = b.utf8
        guard x.count == y.count, x.count >= 4, x.first == y.first else { return nil }
        var traded = 0
        for (p, q) in zip(x, y) where p != q {
            guard PhoneticKey.isVowel(p), PhoneticKey.isVowel(q), isTraded(p, q) else { return nil }
            traded += 1
            if traded > 2 { return nil }
        }
        // Two vowels traded in a short name make another name (Omar, Amir).
        guard traded > 0, traded == 1 || x.count >= 7 else { return nil }
        return traded
    }

    /// Suffixes of address or affection that join a given name without making another one (Uzbek and
    /// Tajik -jon, -bek), as romanisations write them.
    static let addressSuffixes: [[UInt8]] = ["jon", "dzhon", "djon", "zhon", "bek", "beg"].map { Array($0.utf8) }

    /// Surname endings that Tajik and Uzbek surnames trade (Russian -ov/-ev for Persian -zoda/-zade).
    static let surnameEndings: (russian: [[UInt8]], persian: [[UInt8]]) = (
        ["yev", "iev", "ov", "ev"].map { Array($0.utf8) }, ["zoda", "zade", "zada", "zod"].map { Array($0.utf8) }
    )

    /// The similarity of two parts that are one name with a suffix added, dropped or traded, or nil:
    /// 0.95 for a suffix of address (Farrukhjon, Farrukh), 0.92 for a surname ending traded (Sharifov,
    /// Sharifzoda). What remains must be four letters at least and the same name.
    static func suffixTraded(_ q: NamePart, _ l: NamePart) -> Double? {
        let a = q.latin.utf8
        let b = l.latin.utf8
        guard a.count >= 4, b.count >= 4, a.first == b.first else { return nil }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        if long.count > short.count {
            for suffix in addressSuffixes where long.count - suffix.count >= 4 && long.ends(with: suffix) {
                if sameName(Array(long.dropLast(suffix.count)), Array(short)) { return 0.95 }
            }
        }
        // Only a part ending in z…a/e/d on one side can trade -zoda for -ov.
        return endingTraded(a, b) || endingTraded(b, a) ? 0.92 : nil
    }

    /// Whether `russian` ends in -ov/-ev, `persian` in -zoda/-zade, and what precedes is one name.
    private static func endingTraded(_ russian: String.UTF8View, _ persian: String.UTF8View) -> Bool {
        guard persian.count >= 7, russian.last == 0x76,
            let zoda = surnameEndings.persian.first(where: { persian.ends(with: $0) }),
            let ov = surnameEndings.russian.first(where: { russian.ends(with: $0) })
        else { return false }
        let base = Array(russian.dropLast(ov.count))
        return base.count >= 4 && sameName(base, Array(persian.dropLast(zoda.count)))
    }

    /// Two parts compared as Uzbek Latin writes them, where x is the kh of other romanisations
    /// anywhere in a word (Zelimxon, Farrux; the key reads x inside a word as ks, as in Aleksandr).
    static func uzbekX(_ q: NamePart, _ l: NamePart) -> (similarity: Double, rule: MatchRule)? {
        guard q.latin.utf8.contains(0x78) || l.latin.utf8.contains(0x78) else { return nil }
        func key(_ part: NamePart) -> String {
            var bytes: [UInt8] = []
            for byte in part.latin.utf8 {
                if byte == 0x78 { bytes.append(contentsOf: [0x6B, 0x68]) } else { bytes.append(byte) }
            }
            return String(decoding: PhoneticKey.key(bytes), as: UTF8.self)
        }
        let a = key(q)
        let b = key(l)
        if a == b { return (0.97, .transliteration) }
        if let traded = vowelsTraded(a, b) { return (traded == 1 ? 0.96 : 0.93, .vowelAlternation) }
        return nil
    }

    private static func sameName(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count >= 4, b.count >= 4 else { return false }
        let x = PhoneticKey.key(a)
        let y = PhoneticKey.key(b)
        if x == y { return true }
        return vowelsTraded(String(decoding: x, as: UTF8.self), String(decoding: y, as: UTF8.self)) == 1
    }
}

extension String.UTF8View {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self.reversed().starts(with: suffix.reversed())
    }
}

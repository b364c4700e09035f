/// Folds a romanised name part (lower-case ASCII) into a phonetic key and a consonant skeleton.
///
/// The key collapses the spelling differences between romanisation schemes and the regional
/// equivalences: `-ov/-ev/-yev/-oev/-iev`, `-ova/-eva`, `-ovich/-evich/-yevich`, `-ovna/-evna`,
/// `-ullo/-ulloh/-ullah/-ulla`, `y/i`, `kh/h/x`, `q/k`, `gh/g`, `dzh/dj/j/zh`, `yu/iu`, `ya/ia`,
/// `yo/io/e`, `ts/tz/c`, `ch/tch/tsch`, `sh/sch`, `shch`, `w/v`, `ph/f`, `ou/oo/u`, doubled letters.
/// Upper-case bytes stand for single sounds: `C` = ch, `S` = sh, `J` = j/dzh/zh.
enum PhoneticKey {
    static func isVowel(_ c: UInt8) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79
    }

    /// The phonetic key of a lower-case ASCII name part.
    static func key(_ input: [UInt8]) -> [UInt8] {
        var s = input
        if s.isEmpty { return s }
        // Word-initial "ye" (BGN/PCGN) and "e" (ICAO) for Cyrillic е/э.
        if s.count > 3, s[0] == 0x79, s[1] == 0x65 { s.removeFirst() }
        normaliseSuffix(&s)
        normaliseArabicArticle(&s)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        let n = s.count
        @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? s[k] : 0 }
        while i < n {
            let c = s[i]
            let c1 = at(i + 1)
            let c2 = at(i + 2)
            let c3 = at(i + 3)
            switch c {
            case 0x73:  // s
                if c1 == 0x68, c2 == 0x63, c3 == 0x68 {  // shch
                    out.append(0x53)
                    i += 4
                } else if c1 == 0x63, c2 == 0x68, c3 == 0x74, at(i + 4) == 0x73, at(i + 5) == 0x63,
                    at(i + 6) == 0x68
                {  // schtsch (German щ)
                    out.append(0x53)
                    i += 7
                } else if c1 == 0x68, c2 == 0x68 {  // shh (GOST 7.79 B щ)
                    out.append(0x53)
                    i += 3
                } else if c1 == 0x63, c2 == 0x68 {  // sch
                    out.append(0x53)
                    i += 3
                } else if c1 == 0x68 {  // sh
                    out.append(0x53)
                    i += 2
                } else if c1 == 0x7A {  // sz
                    out.append(0x53)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            case 0x74:  // t
                if c1 == 0x73, c2 == 0x63, c3 == 0x68 {  // tsch
                    out.append(0x43)
                    i += 4
                } else if c1 == 0x63, c2 == 0x68 {  // tch
                    out.append(0x43)
                    i += 3
                } else if c1 == 0x73 || c1 == 0x7A {  // ts, tz
                    out.append(0x63)
                    i += 2
                } else if c1 == 0x68 {  // th
                    out.append(0x74)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            case 0x63:  // c
                if c1 == 0x68, c2 == 0x74, c3 == 0x63, at(i + 4) == 0x68 {  // chtch (French щ)
                    out.append(0x53)
                    i += 5
                } else if c1 == 0x68 {  // ch
                    out.append(0x43)
                    i += 2
                } else if c1 == 0x7A {  // cz (GOST 7.79 B)
                    out.append(0x63)
                    i += 2
                } else if c1 == 0x6B {  // ck
                    out.append(0x6B)
                    i += 2
                } else if c1 == 0x65 || c1 == 0x69 || c1 == 0x79 {
                    out.append(0x63)
                    i += 1
                } else {
                    out.append(0x6B)
                    i += 1
                }
            case 0x64:  // d
                if c1 == 0x7A, c2 == 0x68 {  // dzh
                    out.append(0x4A)
                    i += 3
                } else if c1 == 0x6A {  // dj
                    out.append(0x4A)
                    i += 2
                } else if c1 == 0x68 {  // dh
                    out.append(0x64)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            case 0x7A:  // z
                if c1 == 0x68 {  // zh
                    out.append(0x4A)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            case 0x6A:  // j: between a vowel and a consonant or the end it is й (Sergej, Zajcev)
                if let last = out.last, isVowel(last), !isVowel(c1) {
                    out.append(0x69)
                } else {
                    out.append(0x4A)
                }
                i += 1
            case 0x6B:  // k
                if c1 == 0x68 {  // kh
                    out.append(0x68)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            case 0x67:  // g
                if c1 == 0x68 {  // gh
                    out.append(0x67)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            case 0x70:  // p
                if c1 == 0x68 {  // ph
                    out.append(0x66)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            case 0x71:  // q
                out.append(0x6B)
                i += 1
            case 0x78:  // x: initial x is kh (Uzbek Latin), elsewhere ks
                if out.isEmpty {
                    out.append(0x68)
                } else {
                    out.append(0x6B)
                    out.append(0x73)
                }
                i += 1
            case 0x77:  // w
                out.append(0x76)
                i += 1
            case 0x79:  // y
                out.append(0x69)
                i += 1
            case 0x6F:  // o
                if c1 == 0x75 || c1 == 0x6F {  // ou, oo
                    out.append(0x75)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            case 0x65:  // e
                if c1 == 0x65 {  // ee
                    out.append(0x69)
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            default:
                out.append(c)
                i += 1
            }
        }
        // In place: consonant + "io" → consonant + "e" (Fyodor/Fiodor/Fedor, Pyotr/Piotr/Petr), and
        // doubled letters collapsed.
        var collapsed = out
        var w = 0
        var k = 0
        while k < out.count {
            var c = out[k]
            if c == 0x69, k + 1 < out.count, out[k + 1] == 0x6F, w > 0, !isVowel(collapsed[w - 1]),
                collapsed[w - 1] >= 0x61
            {
                c = 0x65
                k += 1
            }
            if w == 0 || collapsed[w - 1] != c {
                collapsed[w] = c
                w += 1
            }
            k += 1
        }
        collapsed.removeLast(collapsed.count - w)
        // Final "iJ" (Dmitrij) → "i"; final "h" after a vowel (Abdullah, Fatimah) dropped.
        if collapsed.count > 2, collapsed[collapsed.count - 1] == 0x4A, collapsed[collapsed.count - 2] == 0x69 {
            collapsed.removeLast()
        }
        if collapsed.count > 3, collapsed[collapsed.count - 1] == 0x68, isVowel(collapsed[collapsed.count - 2]) {
            collapsed.removeLast()
        }
        return collapsed
    }

    /// The key of a part written in Arabic script, whose romanisation is already in key form:
    /// doubled letters collapsed, a final h after a vowel dropped.
    static func arabicKey(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        for c in input where out.last != c { out.append(c) }
        if out.count > 3, out[out.count - 1] == 0x68, isVowel(out[out.count - 2]) { out.removeLast() }
        return out
    }

    /// Consonant skeleton of a phonetic key: vowels removed, doubles collapsed, final h dropped.
    static func skeleton(_ key: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(key.count)
        for c in key where !isVowel(c) && out.last != c { out.append(c) }
        if out.count > 1, out.last == 0x68 { out.removeLast() }
        return out
    }

    // MARK: - Arabic article

    /// `Abd` + article + name is written abdul-, abdur-, abdel-, abdal-, abdus-, abdu- …: the
    /// article (assimilated or not) is dropped so that all spellings meet (Abdurrahman,
    /// Abdulrahman, Abd al-Rahman, عبدالرحمن).
    static func normaliseArabicArticle(_ s: inout [UInt8]) {
        guard s.count >= 4, s[0] == 0x61, s[1] == 0x62, s[2] == 0x64 else { return }
        var k = 3
        if k < s.count, isVowel(s[k]) { k += 1 } else { return }
        // The article before a moon letter is l (Abdul Karim, Abdulaziz): dropped with its vowel. Before
        // a sun letter it takes that letter's sound (Abdur-Rahman): the vowel goes, and the letter goes
        // only when written twice, so Abdurrahman and Abdurahman, Abdussattor and Abdusattor meet.
        if k < s.count, s[k] == 0x6C {
            k += 1
        } else if k + 1 < s.count, s[k] == s[k + 1],
            s[k] == 0x72 || s[k] == 0x73 || s[k] == 0x6E || s[k] == 0x74 || s[k] == 0x64 || s[k] == 0x7A
        {
            k += 1
        }
        s.replaceSubrange(3..<k, with: [])
    }

    // MARK: - Suffixes

    private static func hasSuffix(_ s: [UInt8], _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard s.count >= n else { return false }
        let p = suffix.utf8Start
        let base = s.count - n
        for k in 0..<n where s[base + k] != p[k] { return false }
        return true
    }

    private static func isStemVowel(_ c: UInt8) -> Bool { isVowel(c) || c == 0x6A }

    private static func replaceEnding(_ s: inout [UInt8], dropping count: Int, with ending: StaticString) {
        s.removeLast(count)
        while s.count > 1, let last = s.last, isStemVowel(last) { s.removeLast() }
        s.append(contentsOf: UnsafeBufferPointer(start: ending.utf8Start, count: ending.utf8CodeUnitCount))
    }

    /// Folds patronymic and surname endings to one form.
    static func normaliseSuffix(_ s: inout [UInt8]) {
        let n = s.count
        if n >= 7 {
            if hasSuffix(s, "witsch") {
                replaceEnding(&s, dropping: 6, with: "ovich")
                return
            }
            if hasSuffix(s, "vitch") {
                replaceEnding(&s, dropping: 5, with: "ovich")
                return
            }
            if hasSuffix(s, "vich") || hasSuffix(s, "vych") {
                replaceEnding(&s, dropping: 4, with: "ovich")
                return
            }
            if hasSuffix(s, "vic") {
                replaceEnding(&s, dropping: 3, with: "ovich")
                return
            }
        }
        if n >= 6 {
            if hasSuffix(s, "vna") {
                replaceEnding(&s, dropping: 3, with: "ovna")
                return
            }
            if hasSuffix(s, "ullakh") {
                s.removeLast(2)
                return
            }
            if hasSuffix(s, "ullah") || hasSuffix(s, "ulloh") {
                s.removeLast(2)
                s.append(0x61)
                return
            }
            if hasSuffix(s, "ova") || hasSuffix(s, "eva") {
                replaceEnding(&s, dropping: 3, with: "ova")
                return
            }
        }
        if n >= 6, hasSuffix(s, "ander") {  // Alexander / Aleksandr
            s.remove(at: s.count - 2)
            return
        }
        if n >= 5 {
            if hasSuffix(s, "ullo") {
                s.removeLast()
                s.append(0x61)
                return
            }
            if hasSuffix(s, "ov") || hasSuffix(s, "ev") {
                replaceEnding(&s, dropping: 2, with: "ov")
                return
            }
            if hasSuffix(s, "off") || hasSuffix(s, "eff") {
                replaceEnding(&s, dropping: 3, with: "ov")
                return
            }
        }
    }
}

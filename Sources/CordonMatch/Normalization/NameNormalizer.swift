import Foundation
import Synchronization

/// One part (token) of a normalised name.
public struct NamePart: Sendable, Hashable {
    /// The part as written (after NFKC and lower-casing).
    public var text: String
    /// The part romanised to lower-case ASCII.
    public var latin: String
    /// The phonetic key: romanisation schemes and regional equivalences folded.
    public var key: String
    /// The consonant skeleton of ``key``.
    public var skeleton: String
    /// The script the part was written in.
    public var script: NameScript
    /// Whether the part is a single letter (an initial).
    public var isInitial: Bool { latin.utf8.count == 1 }
    /// Whether short vowels are missing (Arabic script), so only the skeleton is reliable.
    public var isVowelless: Bool { script == .arabic }
    /// Whether the part is an honorific or rank (Haji, Mullah, Qari, General), which weighs little.
    public var isTitle: Bool { NameNormalizer.titles.contains(latin) }
}

/// The normaliser used for the watchlist and for queries alike.
///
/// Steps: control and format characters removed (tabs and line breaks separate words) and length
/// bounded; Unicode NFKC; lower-casing; words split
/// on anything that is not a letter or digit (apostrophes inside words are dropped); each word
/// romanised by its script — own tables for Cyrillic (incl. Tajik and Uzbek letters), Arabic script
/// and Latin letters with diacritics, ICU `Any-Latin; Latin-ASCII` for other scripts (cached) — and
/// folded into a phonetic key and consonant skeleton (see ``NamePart``). Honorifics, particles and
/// (for organisations) legal-form words are set aside so they neither help nor hurt a match.
public struct NameNormalizer: Sendable {
    /// The most Unicode scalars read from one name; the rest is ignored.
    public static let maximumScalars = 256
    /// The most parts kept from one name.
    public static let maximumParts = 10

    /// Creates a normaliser.
    public init() {}

    /// Normalises a name into its significant parts.
    ///
    /// - Parameter name: the name as written, in any script.
    /// - Returns: the parts that take part in matching, in written order (particles removed;
    ///   honorifics flagged by ``NamePart/isTitle`` and legal-form words by ``isStopword(_:)``).
    public func parts(of name: String) -> [NamePart] {
        let words = tokens(of: name)
        var parts: [NamePart] = []
        parts.reserveCapacity(words.count)
        for word in words {
            for part in romanise(word) where !Self.particles.contains(part.latin) {
                parts.append(part)
                if parts.count == Self.maximumParts { return parts }
            }
        }
        return parts
    }

    /// Whether a romanised part is a legal-form or function word of organisation names.
    public func isStopword(_ latin: String) -> Bool { Self.stopwords.contains(latin) }

    // MARK: - Tokenising

    struct Word {
        var scalars: [Unicode.Scalar] = []
    }

    func tokens(of name: String) -> [Word] {
        var count = 0
        for s in name.unicodeScalars {
            if count == Self.maximumScalars { break }
            count += 1
            if !Self.isFastScalar(s) { return slowTokens(of: name) }
        }
        // Fast path: ASCII, Cyrillic and Arabic letters need no NFKC and no property lookups.
        var words: [Word] = []
        var current = Word()
        count = 0
        for s in name.unicodeScalars {
            if count == Self.maximumScalars { break }
            count += 1
            let v = s.value
            if v < 0x80 {
                switch v {
                case 0x41...0x5A: current.scalars.append(Unicode.Scalar(v + 0x20)!)
                case 0x61...0x7A, 0x30...0x39: current.scalars.append(s)
                case 0x27, 0x60, 0x22: continue
                case 0x00...0x08, 0x0E...0x1F, 0x7F: continue
                default:
                    if !current.scalars.isEmpty {
                        words.append(current)
                        current = Word()
                    }
                }
            } else if ScriptTables.isWordInternalMark(s) || ScriptTables.isArabicIgnorable(s) {
                continue
            } else if (0x200B...0x200F).contains(v) || (0x202A...0x202E).contains(v) || (0x2060...0x206F).contains(v)
                || (0x600...0x605).contains(v) || v == 0x61C
            {
                continue  // invisible format characters, Arabic ones (number signs, the letter mark) among them
            } else if let lower = Self.fastLetter(v) {
                current.scalars.append(lower)
            } else if (0x483...0x489).contains(v) {
                continue
            } else if !current.scalars.isEmpty {
                words.append(current)
                current = Word()
            }
        }
        if !current.scalars.isEmpty { words.append(current) }
        return words
    }

    /// Scalars the fast path handles: ASCII, Cyrillic, Arabic letters and the apostrophes. Double, triple
    /// and quadruple primes are not among them: NFKC makes them primes, which join a word. Nor are the
    /// combining maddah and hamzas (U+0653–0655): NFKC joins them to the letter before (alef and hamza
    /// below is alef with hamza below, read `i`).
    static func isFastScalar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x80 || (0x400...0x52F).contains(v)
            || ((0x600...0x6FF).contains(v) && !(0x675...0x678).contains(v) && !(0x653...0x655).contains(v))
            || ScriptTables.isWordInternalMark(s)
            || ((0x2000...0x206F).contains(v) && v != 0x2033 && v != 0x2034 && v != 0x2057) || v == 0xA0
    }

    /// The lower-case form of a Cyrillic or Arabic letter or digit, or nil for other scalars.
    static func fastLetter(_ v: UInt32) -> Unicode.Scalar? {
        switch v {
        case 0x400...0x40F: return Unicode.Scalar(v + 0x50)
        case 0x410...0x42F: return Unicode.Scalar(v + 0x20)
        case 0x430...0x45F: return Unicode.Scalar(v)
        case 0x460...0x481, 0x48A...0x4BF, 0x4D0...0x52F: return Unicode.Scalar(v | 1)
        case 0x4C0: return Unicode.Scalar(0x4CF)
        case 0x4C1...0x4CE: return Unicode.Scalar(v % 2 == 1 ? v + 1 : v)
        case 0x4CF: return Unicode.Scalar(v)
        case 0x620...0x64A, 0x660...0x669, 0x66E...0x66F, 0x671...0x6D3, 0x6D5, 0x6EE...0x6FC, 0x6FF:
            return Unicode.Scalar(v)
        default: return nil
        }
    }

    /// The general path: NFKC, full lower-casing and Unicode properties.
    func slowTokens(of name: String) -> [Word] {
        var bounded = String.UnicodeScalarView()
        var count = 0
        for s in name.unicodeScalars {
            if count == Self.maximumScalars { break }
            count += 1
            if s.properties.generalCategory == .control || s.properties.generalCategory == .format {
                // Line breaks and tabs separate words; other control and format characters are noise.
                if s.properties.isWhitespace { bounded.append(" ") }
            } else if !ScriptTables.isWordInternalMark(s) {
                // Apostrophes are dropped before NFKC, which makes the acute accent ´ a space and a mark.
                bounded.append(s)
            }
        }
        let folded = String(bounded).precomposedStringWithCompatibilityMapping.lowercased()
        var words: [Word] = []
        var current = Word()
        for s in folded.unicodeScalars {
            // Cyrillic combining marks (titlo, breathings, the enclosing number signs) are dropped, as on
            // the fast path: they neither end a word nor make it Cyrillic.
            if ScriptTables.isWordInternalMark(s) || ScriptTables.isArabicIgnorable(s)
                || (0x483...0x489).contains(s.value)
            {
                continue
            }
            let p = s.properties
            if p.isAlphabetic || p.numericType != nil {
                current.scalars.append(s)
            } else if p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark {
                if !current.scalars.isEmpty { current.scalars.append(s) }
            } else if !current.scalars.isEmpty {
                words.append(current)
                current = Word()
            }
        }
        if !current.scalars.isEmpty { words.append(current) }
        return words
    }

    // MARK: - Romanising

    func romanise(_ word: Word) -> [NamePart] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.scalars.count * 2)
        var script = NameScript.latin
        var hasOther = false
        var hasArabic = false
        let scalars = word.scalars
        for (index, s) in scalars.enumerated() {
            let v = s.value
            if v < 0x80 {
                switch v {
                case 0x61...0x7A, 0x30...0x39: bytes.append(UInt8(v))
                case 0x41...0x5A: bytes.append(UInt8(v + 0x20))
                default: break
                }
            } else if ScriptTables.isCyrillic(s) {
                script = .cyrillic
                if let l = ScriptTables.cyrillicLatin(s) { bytes.append(contentsOf: l.utf8) }
            } else if ScriptTables.isArabic(s) {
                hasArabic = true
                script = .arabic
                if (0x660...0x669).contains(v) || (0x6F0...0x6F9).contains(v) {
                    bytes.append(0x30 + UInt8(v & 0xF))
                } else if (s == "و" || s == "ي" || s == "ی") && index == 0 {
                    bytes.append(s == "و" ? 0x76 : 0x69)
                } else if s == "ى" || s == "ي" || s == "ی", index == scalars.count - 1 {
                    bytes.append(s == "ى" ? 0x61 : 0x69)
                } else if let l = ScriptTables.arabicLatin(s) {
                    bytes.append(contentsOf: l.utf8)
                }
            } else if let l = ScriptTables.latin[s] {
                bytes.append(contentsOf: l.utf8)
            } else if s.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                hasOther = true
            }
        }
        // عبدال… : the article after Abd is dropped, as in the Latin key (see PhoneticKey).
        if hasArabic, bytes.count > 5, bytes[0] == 0x62, bytes[1] == 0x64, bytes[2] == 0x61, bytes[3] == 0x6C {
            bytes.removeSubrange(2..<4)
        }
        // Lower-case ASCII words are their own romanisation: build one string, not two.
        let isASCII = scalars.allSatisfy(\.isASCII)
        let text = isASCII ? String(decoding: bytes, as: UTF8.self) : String(String.UnicodeScalarView(scalars))
        if hasOther {
            script = script == .latin ? .other : script
            let romanised = Self.romaniseOther(word: text, partial: String(decoding: bytes, as: UTF8.self))
            bytes = romanised.utf8.filter { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
        }
        if bytes.isEmpty { return [] }
        // Arabic article al- written joined: keep the article apart so it is treated as a particle.
        if hasArabic, scalars.count > 4, scalars[0] == "ا", scalars[1] == "ل", bytes.count > 2, bytes[0] == 0x61,
            bytes[1] == 0x6C
        {
            return [
                Self.makePart(text: "ال", bytes: [0x61, 0x6C], script: .arabic),
                Self.makePart(
                    text: String(String.UnicodeScalarView(scalars.dropFirst(2))),
                    bytes: Array(bytes.dropFirst(2)),
                    script: .arabic
                ),
            ]
        }
        return [Self.makePart(text: text, bytes: bytes, script: script)]
    }

    static func makePart(text: String, latin: String, script: NameScript) -> NamePart {
        makePart(text: text, bytes: Array(latin.utf8), script: script)
    }

    static func makePart(text: String, bytes: [UInt8], script: NameScript) -> NamePart {
        let key = script == .arabic ? PhoneticKey.arabicKey(bytes) : PhoneticKey.key(bytes)
        let skeleton = PhoneticKey.skeleton(key)
        return NamePart(
            text: text,
            latin: String(decoding: bytes, as: UTF8.self),
            key: String(decoding: key, as: UTF8.self),
            skeleton: String(decoding: skeleton, as: UTF8.self),
            script: script
        )
    }

    /// Romanises a word in a script without an own table through ICU, with a bounded cache.
    static func romaniseOther(word: String, partial: String) -> String {
        if let cached = icuCache.withLock({ $0[word] }) { return cached }
        let romanised =
            word.applyingTransform(StringTransform("Any-Latin; Latin-ASCII; Lower"), reverse: false)
            ?? partial.replacingOccurrences(of: "\u{0}", with: "")
        icuCache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll(keepingCapacity: true) }
            cache[word] = romanised
        }
        return romanised
    }

    static let icuCache = Mutex<[String: String]>([:])

    // MARK: - Word lists

    /// Particles that say nothing about identity: articles, "son of", "also known as".
    static let particles: Set<String> = [
        "al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "bint", "binti", "ben", "van", "von",
        "der", "den", "de", "da", "di", "du", "la", "le", "son", "of", "walad", "uld", "ould", "bn", "bnt", "vld",
        "ogli", "ugli", "ogly", "oglu", "uly", "kizi", "qizi", "gizi", "kyzy", "uulu", "aka", "alias", "fka", "nee",
    ]

    /// Honorifics and ranks: kept as parts (Zakir Qari, Haji Azizullah) but weighing almost nothing.
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "miss", "dr", "prof", "haji", "hajji", "hadji", "alhaji", "alhaj", "hoji", "mullah",
        "mulla", "molla", "maulvi", "mawlawi", "moulvi", "maulana", "mawlana", "sheikh", "shaikh", "sheik", "shaykh",
        "qari", "gen", "general", "col", "colonel", "maj", "major", "lt", "capt", "captain", "sgt",
    ]

    /// Legal-form and function words of organisation names: kept, but weigh almost nothing.
    static let stopwords: Set<String> = [
        "the", "and", "for", "in", "on", "ltd", "llc", "llp", "inc", "co", "corp", "corporation", "company",
        "limited", "gmbh", "ag", "sa", "sas", "srl", "spa", "bv", "nv", "plc", "jsc", "ojsc", "cjsc", "pjsc",
        "ooo", "oao", "zao", "pao", "ao", "tov", "fzc", "fze", "fzco", "group", "holding", "holdings",
        "international", "trading", "organization", "organisation", "association", "foundation", "society",
        "obshchestvo",
    ]
}

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
    /// - Returns: the parts that take part in matching, in written order (particles and honorifics
    ///   removed; legal-form words kept but flagged by ``isStopword(_:)``).
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
        var bounded = String.UnicodeScalarView()
        var count = 0
        for s in name.unicodeScalars {
            if count == Self.maximumScalars { break }
            count += 1
            if s.properties.generalCategory == .control || s.properties.generalCategory == .format {
                // Line breaks and tabs separate words; other control and format characters are noise.
                if s.properties.isWhitespace { bounded.append(" ") }
            } else {
                bounded.append(s)
            }
        }
        let folded = String(bounded).precomposedStringWithCompatibilityMapping.lowercased()
        var words: [Word] = []
        var current = Word()
        for s in folded.unicodeScalars {
            if ScriptTables.isWordInternalMark(s) || ScriptTables.isArabicIgnorable(s) { continue }
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
        var latin = ""
        var script = NameScript.latin
        var other = String.UnicodeScalarView()
        var hasArabic = false
        let scalars = word.scalars
        for (index, s) in scalars.enumerated() {
            if s.isASCII {
                latin.unicodeScalars.append(s)
            } else if ScriptTables.isCyrillic(s) {
                script = .cyrillic
                if let l = ScriptTables.cyrillic[s] { latin += l }
            } else if ScriptTables.isArabic(s) {
                hasArabic = true
                script = .arabic
                if let digit = s.properties.numericType != nil ? s.properties.numericValue : nil {
                    latin += String(Int(digit))
                } else if (s == "و" || s == "ي" || s == "ی") && index == 0 {
                    latin += s == "و" ? "w" : "y"
                } else if s == "ى" || s == "ي" || s == "ی", index == scalars.count - 1 {
                    latin += s == "ى" ? "a" : "i"
                } else if let l = ScriptTables.arabic[s] {
                    latin += l
                }
            } else if let l = ScriptTables.latin[s] {
                latin += l
            } else if s.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                other.append(s)
                latin += "\u{0}"
            }
        }
        // عبدال… : the article after Abd is dropped, as in the Latin key (see PhoneticKey).
        if hasArabic, latin.hasPrefix("bdal"), latin.utf8.count > 5 {
            latin = "bd" + latin.dropFirst(4)
        }
        if !other.isEmpty {
            script = script == .latin ? .other : script
            latin = Self.romaniseOther(word: String(String.UnicodeScalarView(scalars)), partial: latin)
        }
        let text = String(String.UnicodeScalarView(scalars))
        var cleaned = String.UnicodeScalarView()
        for s in latin.unicodeScalars where s.isASCII && (s.properties.isAlphabetic || s.properties.numericType != nil)
        {
            cleaned.append(s)
        }
        let ascii = String(cleaned).lowercased()
        if ascii.isEmpty { return [] }
        // Arabic article al- written joined: keep the article apart so it is treated as a particle.
        if hasArabic, scalars.count > 4, scalars[0] == "ا", scalars[1] == "ل", ascii.hasPrefix("al") {
            let rest = String(ascii.dropFirst(2))
            return [Self.makePart(text: "ال", latin: "al", script: .arabic)]
                + [
                    Self.makePart(
                        text: String(String.UnicodeScalarView(scalars.dropFirst(2))),
                        latin: rest,
                        script: .arabic
                    )
                ]
        }
        return [Self.makePart(text: text, latin: ascii, script: script)]
    }

    static func makePart(text: String, latin: String, script: NameScript) -> NamePart {
        let key = PhoneticKey.key(Array(latin.utf8))
        let skeleton = PhoneticKey.skeleton(key)
        return NamePart(
            text: text,
            latin: latin,
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

    /// Honorifics, titles and particles that say nothing about identity.
    static let particles: Set<String> = [
        "al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "bint", "binti", "ben", "van", "von",
        "der", "den", "de", "da", "di", "du", "la", "le", "mr", "mrs", "ms", "miss", "dr", "prof", "haji", "hajji",
        "hadji", "alhaji", "alhaj", "hoji", "mullah", "mulla", "molla", "maulvi", "mawlawi", "moulvi", "maulana",
        "mawlana", "sheikh", "shaikh", "sheik", "shaykh", "qari", "gen", "general", "col", "colonel",
        "maj", "major", "lt", "capt", "captain", "sgt", "son", "of", "walad", "uld",
        "ogli", "ugli", "ogly", "oglu", "uly", "kizi", "qizi", "gizi", "kyzy", "uulu", "aka", "alias", "fka", "ould",
        "bn", "bnt", "wld",
        "nee",
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

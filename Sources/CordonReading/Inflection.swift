/// The endings a name takes in running text, by the languages Cordon reads: Russian case endings,
/// Uzbek and Tajik suffixes (Cyrillic and Latin). A word's stems are the word without each ending it
/// may carry; the list's names are stemmed the same way, so `Исламского` meets `Исламское` at `исламск`.
///
/// Endings are tried longest first and only where at least three letters remain. The matcher confirms
/// every stem: an ending wrongly taken off costs a candidate, never an alert.
enum Inflection {
    /// One ending and what it is.
    struct Ending: Sendable {
        var text: String
        var scalars: Int
        var family: Family
        /// The ending's last letter, to rule most endings out at once.
        var last: Unicode.Scalar?
        /// The ending's UTF-8 bytes.
        var bytes: [UInt8] = []
    }

    /// The grammar an ending belongs to, for the explanation.
    enum Family: String, Sendable {
        case russianCase = "Russian case ending"
        case centralAsianSuffix = "Uzbek or Tajik suffix"
        case englishPossessive = "English possessive"
    }

    /// A stem of a word: the word without one ending.
    struct Stem: Sendable {
        var text: String
        var ending: Ending
    }

    static let russian = [
        "ыми", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ых", "их", "ым", "им", "ом", "ем", "ой", "ей",
        "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ах", "ях", "ам", "ям", "а", "я", "у", "ю", "е", "ы",
    ]
    static let centralAsianCyrillic = [
        "ларнинг", "ларни", "ларга", "ларда", "лардан", "нинг", "дан", "даги", "ҳои", "лар", "ҳо", "га", "ка", "қа",
        "ни", "да", "ро", "и",
    ]
    static let centralAsianLatin = [
        "larning", "larni", "larga", "larda", "lardan", "ning", "dagi", "dan", "lar", "ga", "ka", "qa", "ni",
        "da", "ro", "ho",
    ]

    /// Every ending, longest first, by script (Cyrillic, Latin).
    static let cyrillic: [Ending] = endings(centralAsianCyrillic, .centralAsianSuffix) + endings(russian, .russianCase)
    static let latin: [Ending] = endings(centralAsianLatin, .centralAsianSuffix)

    private static func endings(_ list: [String], _ family: Family) -> [Ending] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }.map {
            Ending(
                text: $0,
                scalars: $0.unicodeScalars.count,
                family: family,
                last: $0.unicodeScalars.last,
                bytes: Array($0.utf8)
            )
        }
        .sorted { $0.scalars > $1.scalars }
    }

    /// The stems of a lower-cased word: the word without each ending it carries, at least three letters left.
    static func stems(of word: String) -> [Stem] {
        var word = word
        return word.withUTF8 { bytes in
            guard let first = bytes.first, bytes.count >= 4 else { return [] }
            let table: [Ending]
            switch first {
            case 0xD0, 0xD1, 0xD2, 0xD3, 0xD4: table = cyrillic
            case 0x61...0x7A, 0xC3...0xC9: table = latin
            default: return []
            }
            // Letters in the word: every byte that does not continue a letter's UTF-8.
            var letters = 0
            for byte in bytes where byte & 0xC0 != 0x80 { letters += 1 }
            guard letters >= 4 else { return [] }
            var stems: [Stem] = []
            for ending in table where letters - ending.scalars >= 3 && bytes.count > ending.bytes.count {
                let start = bytes.count - ending.bytes.count
                guard bytes[start] == ending.bytes[0], bytes[bytes.count - 1] == ending.bytes[ending.bytes.count - 1]
                else { continue }
                guard (0..<ending.bytes.count).allSatisfy({ bytes[start + $0] == ending.bytes[$0] }) else { continue }
                stems.append(
                    Stem(
                        text: String(decoding: UnsafeBufferPointer(rebasing: bytes[..<start]), as: UTF8.self),
                        ending: ending
                    )
                )
                if stems.count == 6 { break }
            }
            return stems
        }
    }
}

/// A word of running text: where it is, and what its letters say about it.
struct TextWord: Sendable {
    /// What separates a word from the one before it.
    enum Boundary: UInt8, Sendable, Comparable {
        /// Joined by a hyphen or an apostrophe-less break inside a compound.
        case hyphen
        /// Spaces on one line.
        case space
        /// One line break (a name may go on on the next line).
        case lineBreak
        /// A comma, colon, bracket, quotation mark or dash: a list of names, not one name.
        case clause
        /// A sentence's end (`.`, `!`, `?`, `…`), a blank line or the start of the text.
        case sentence

        static func < (a: Boundary, b: Boundary) -> Bool { a.rawValue < b.rawValue }
    }

    /// The word's bytes in the text's UTF-8.
    var bytes: Range<Int>
    /// The word's first scalar, counted from the start of the text.
    var start: Int
    /// The scalar after the word's last.
    var end: Int
    /// What separates it from the word before.
    var boundary: Boundary
    /// The first letter is upper case (in a script with case).
    var isCapitalized: Bool
    /// Every letter is upper case and there are at least two (an acronym).
    var isAllCaps: Bool
    /// The script has no case (Arabic script).
    var isCaseless: Bool
    /// The word holds a digit.
    var hasDigit: Bool
    /// Letters in the word.
    var letters: Int
    /// A period follows at once (`А.`, `Mirzoyev A.`).
    var periodAfter: Bool
    /// The word ends in an English possessive (`'s`, `’s`), which is not part of it.
    var possessive: Bool

    /// Two Latin letters that write one sound (`Sh.`, `Kh.`), followed by a period.
    var isDigraphInitial = false

    /// A single letter, upper case or followed by a period, or a digraph's initial: an initial.
    var isInitial: Bool { (letters == 1 && !hasDigit && (isCapitalized || periodAfter)) || isDigraphInitial }
}

/// Splits UTF-8 text into words, with scalar offsets, case and the punctuation between them.
///
/// Letters are those of every script; an apostrophe between letters keeps a word together (`O'zbekiston`,
/// `Ziyoyev’s`), combining marks and Arabic short vowels stay in their word. A period after a single
/// letter is an initial's, not a sentence's end.
struct WordSplitter {
    let text: [UInt8]
    /// The text's length, read once.
    private let count: Int
    private var index = 0
    private var scalar = 0
    private var pending: TextWord.Boundary = .sentence

    /// A splitter of `text`, whose first scalar is scalar `scalarBase` of the whole (when text comes in parts).
    init(_ text: [UInt8], scalarBase: Int = 0) {
        self.text = text
        count = text.count
        scalar = scalarBase
    }

    /// The next word, or `nil` at the end.
    mutating func next() -> TextWord? {
        // Skip what is not a word, noting the strongest boundary crossed.
        var newlines = 0
        while index < count {
            let (value, length) = decode(at: index)
            if Self.isLetter(value) || Self.isDigit(value) { break }
            switch value {
            case 0x0A:
                newlines += 1
                pending = max(pending, newlines >= 2 ? .sentence : .lineBreak)
            case 0x2E, 0x21, 0x3F, 0x2026, 0x061F, 0x06D4, 0x3B:
                pending = .sentence
            case 0x2C, 0x3A, 0x28, 0x29, 0x5B, 0x5D, 0x22, 0xAB, 0xBB, 0x201C, 0x201D, 0x201E, 0x2013, 0x2014, 0x060C,
                0x2F, 0x7C:
                pending = max(pending, .clause)
            case 0x2D, 0x2010, 0x2011:
                pending = max(pending, .hyphen)
            case 0x20, 0x09, 0x0D, 0xA0, 0x2009, 0x200A, 0x202F:
                pending = max(pending, .space)
            default:
                pending = max(pending, .space)
            }
            index += length
            scalar += 1
        }
        guard index < count else { return nil }
        let startByte = index
        let startScalar = scalar
        var letters = 0
        var upper = 0
        var caseless = false
        var digit = false
        var first = true
        var capitalized = false
        var lastByte = index
        var lastScalar = scalar
        while index < count {
            let (value, length) = decode(at: index)
            if Self.isLetter(value) {
                letters += 1
                let (isUpper, hasCase) = Self.letterCase(value)
                if isUpper { upper += 1 }
                if !hasCase { caseless = true }
                if first { capitalized = isUpper }
            } else if Self.isDigit(value) {
                digit = true
            } else if Self.isMark(value) {
                // stays in the word
            } else if Self.isApostrophe(value), index + length < count,
                Self.isLetter(decode(at: index + length).value), letters > 0
            {
                // O'zbekiston, Ziyoyev’s
            } else {
                break
            }
            first = false
            index += length
            scalar += 1
            lastByte = index
            lastScalar = scalar
        }
        var possessive = false
        var wordEndByte = lastByte
        var wordEndScalar = lastScalar
        // `'s` / `’s` at the end: the possessive, not the name.
        if lastByte - startByte > 3, text[lastByte - 1] | 0x20 == 0x73 {
            let before = lastByte - 2
            if text[before] == 0x27 {
                possessive = true
                wordEndByte = before
                wordEndScalar = lastScalar - 2
            } else if before >= 2, text[before - 2] == 0xE2, text[before - 1] == 0x80, text[before] == 0x99 {
                possessive = true
                wordEndByte = before - 2
                wordEndScalar = lastScalar - 2
            }
        }
        let periodAfter = index < count && text[index] == 0x2E
        let word0 = TextWord(
            bytes: startByte..<wordEndByte,
            start: startScalar,
            end: wordEndScalar,
            boundary: pending,
            isCapitalized: capitalized,
            isAllCaps: letters >= 2 && upper == letters,
            isCaseless: caseless && upper == 0,
            hasDigit: digit,
            letters: letters - (possessive ? 1 : 0),
            periodAfter: periodAfter,
            possessive: possessive
        )
        var word = word0
        if periodAfter, word.letters == 2, capitalized, wordEndByte - startByte == 2,
            Self.digraphs.contains(String(decoding: text[startByte..<wordEndByte], as: UTF8.self))
        {
            word.isDigraphInitial = true
        }
        pending = .space
        if periodAfter && word.isInitial {
            // An initial's period: step over it without ending the sentence.
            index += 1
            scalar += 1
        }
        return word
    }

    @inline(__always)
    private func decode(at i: Int) -> (value: UInt32, length: Int) {
        let b0 = text[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xE0, i + 1 < count {
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(text[i + 1] & 0x3F), 2)
        }
        if b0 < 0xF0, i + 2 < count {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(text[i + 1] & 0x3F) << 6) | UInt32(text[i + 2] & 0x3F), 3)
        }
        if i + 3 < count {
            let v =
                (UInt32(b0 & 0x07) << 18) | (UInt32(text[i + 1] & 0x3F) << 12) | (UInt32(text[i + 2] & 0x3F) << 6)
                | UInt32(text[i + 3] & 0x3F)
            return (v, 4)
        }
        return (0xFFFD, 1)
    }

    /// Latin digraphs that begin names (Sh for Ш, Kh for Х) and so may stand as an initial.
    static let digraphs: Set<String> = ["Sh", "Ch", "Kh", "Zh", "Gh", "Ts", "Ya", "Yu", "Yo", "Ye"]

    static func isDigit(_ v: UInt32) -> Bool {
        (0x30...0x39).contains(v) || (0x660...0x669).contains(v) || (0x6F0...0x6F9).contains(v)
    }

    static func isApostrophe(_ v: UInt32) -> Bool {
        v == 0x27 || v == 0x2019 || v == 0x2BC || v == 0x2BB || v == 0x60 || v == 0x2018
    }

    static func isMark(_ v: UInt32) -> Bool {
        (0x300...0x36F).contains(v) || (0x64B...0x65F).contains(v) || v == 0x670 || (0x483...0x487).contains(v)
            || v == 0x200C || v == 0x200D || v == 0xAD
    }

    static func isLetter(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
        if v < 0x250 { return v >= 0xC0 && v != 0xD7 && v != 0xF7 }
        if (0x400...0x481).contains(v) || (0x48A...0x52F).contains(v) { return true }
        if (0x620...0x64A).contains(v) || (0x66E...0x6D3).contains(v) || (0x6FA...0x6FC).contains(v) { return true }
        guard let scalar = Unicode.Scalar(v) else { return false }
        return scalar.properties.isAlphabetic && !isMark(v)
    }

    /// Whether a letter is upper case, and whether its script has case at all.
    static func letterCase(_ v: UInt32) -> (upper: Bool, hasCase: Bool) {
        if v < 0x80 { return (v <= 0x5A, true) }
        if (0x400...0x42F).contains(v) { return (true, true) }
        if (0x430...0x45F).contains(v) { return (false, true) }
        if (0x460...0x52F).contains(v) { return (v % 2 == 0, true) }
        if (0x600...0x6FF).contains(v) { return (false, false) }
        guard let scalar = Unicode.Scalar(v) else { return (false, false) }
        let properties = scalar.properties
        return (properties.isUppercase, properties.changesWhenCaseMapped)
    }
}

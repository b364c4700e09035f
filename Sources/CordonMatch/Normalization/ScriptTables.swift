// Transliteration tables written from the published standards, not from any list of names.
//
// Cyrillic: one canonical romanisation close to BGN/PCGN and ICAO 9303 (2013). The phonetic key
// (see `PhoneticKey`) then folds the differences between schemes (ICAO, old passport styles,
// BGN/PCGN, GOST 7.79 System B, ISO 9 and scholarly, French and German), so any scheme reaches the
// same key. Tajik, Uzbek, Kazakh, Kyrgyz, Ukrainian and Belarusian letters are covered.
//
// Arabic script (Arabic, Persian/Dari, Pashto, Urdu): consonants and the long-vowel letters; short
// vowels are not written, so comparison uses consonant skeletons.

/// The script a name part was written in before romanisation.
public enum NameScript: String, Sendable, Hashable, Codable {
    /// Latin letters (any romanisation).
    case latin
    /// Cyrillic letters (Russian, Tajik, Uzbek, Kazakh, Ukrainian, ...).
    case cyrillic
    /// Arabic script (Arabic, Persian/Dari, Pashto): written without short vowels.
    case arabic
    /// Any other script, romanised through ICU.
    case other
}

enum ScriptTables {
    /// Cyrillic lower-case letter → canonical Latin.
    static let cyrillic: [Unicode.Scalar: String] = {
        var t: [Unicode.Scalar: String] = [:]
        let pairs: [(String, String)] = [
            ("а", "a"), ("б", "b"), ("в", "v"), ("г", "g"), ("д", "d"), ("е", "e"), ("ё", "yo"), ("ж", "zh"),
            ("з", "z"), ("и", "i"), ("й", "y"), ("к", "k"), ("л", "l"), ("м", "m"), ("н", "n"), ("о", "o"),
            ("п", "p"), ("р", "r"), ("с", "s"), ("т", "t"), ("у", "u"), ("ф", "f"), ("х", "kh"), ("ц", "ts"),
            ("ч", "ch"), ("ш", "sh"), ("щ", "shch"), ("ъ", ""), ("ы", "y"), ("ь", ""), ("э", "e"), ("ю", "yu"),
            ("я", "ya"),
            // Tajik
            ("ғ", "gh"), ("ӣ", "i"), ("қ", "q"), ("ӯ", "u"), ("ҳ", "h"), ("ҷ", "j"),
            // Uzbek (ў is Latin oʻ)
            ("ў", "o"),
            // Kazakh, Kyrgyz, Bashkir, Tatar
            ("ә", "a"), ("ө", "o"), ("ү", "u"), ("ұ", "u"), ("ң", "ng"), ("һ", "h"), ("ҡ", "q"), ("ҙ", "z"),
            ("ҫ", "s"), ("ӊ", "ng"), ("җ", "zh"),
            // Ukrainian, Belarusian
            ("і", "i"), ("ї", "yi"), ("є", "ye"), ("ґ", "g"),
            // Serbian, Macedonian
            ("ђ", "dj"), ("ј", "j"), ("љ", "lj"), ("њ", "nj"), ("ћ", "c"), ("џ", "dzh"), ("ѓ", "g"), ("ќ", "k"),
            ("ѕ", "dz"),
        ]
        for (c, l) in pairs { t[c.unicodeScalars.first!] = l }
        return t
    }()

    /// Arabic-script letter → phonetic-key letters (long vowels kept, short vowels unwritten).
    ///
    /// The output is already in key form, one symbol per sound (`S` = sh, `C` = ch, `J` = j/zh, kh → h,
    /// gh → g, q → k, th → t), so that letters written side by side never merge into a Latin
    /// digraph (ت + ص is "ts", not ц).
    static let arabic: [Unicode.Scalar: String] = {
        var t: [Unicode.Scalar: String] = [:]
        let pairs: [(String, String)] = [
            ("ا", "a"), ("أ", "a"), ("إ", "i"), ("آ", "a"), ("ٱ", "a"), ("ء", ""), ("ؤ", "u"), ("ئ", "i"),
            ("ب", "b"), ("ت", "t"), ("ث", "t"), ("ج", "J"), ("ح", "h"), ("خ", "h"), ("د", "d"), ("ذ", "z"),
            ("ر", "r"), ("ز", "z"), ("س", "s"), ("ش", "S"), ("ص", "s"), ("ض", "d"), ("ط", "t"), ("ظ", "z"),
            ("ع", ""), ("غ", "g"), ("ف", "f"), ("ق", "k"), ("ك", "k"), ("ل", "l"), ("م", "m"), ("ن", "n"),
            ("ه", "h"), ("ة", "a"), ("و", "u"), ("ي", "i"), ("ى", "a"),
            // Persian / Dari
            ("پ", "p"), ("چ", "C"), ("ژ", "J"), ("ک", "k"), ("گ", "g"), ("ی", "i"), ("ۀ", "a"), ("ہ", "h"),
            ("ھ", "h"), ("ے", "e"),
            // Pashto
            ("ټ", "t"), ("ډ", "d"), ("ړ", "r"), ("ږ", "J"), ("ښ", "S"), ("ځ", "z"), ("څ", "s"), ("ګ", "g"),
            ("ڼ", "n"), ("ې", "e"), ("ۍ", "i"),
            // Urdu
            ("ٹ", "t"), ("ڈ", "d"), ("ڑ", "r"), ("ں", "n"),
        ]
        for (c, l) in pairs { t[c.unicodeScalars.first!] = l }
        return t
    }()

    /// ``cyrillic`` as an array indexed from U+0400, for speed.
    static let cyrillicArray: [String?] = (0x400...0x52F).map { cyrillic[Unicode.Scalar($0)!] }

    /// ``arabic`` as an array indexed from U+0600, for speed.
    static let arabicArray: [String?] = (0x600...0x6FF).map { arabic[Unicode.Scalar($0)!] }

    static func cyrillicLatin(_ s: Unicode.Scalar) -> String? {
        (0x400...0x52F).contains(s.value) ? cyrillicArray[Int(s.value) - 0x400] : nil
    }

    static func arabicLatin(_ s: Unicode.Scalar) -> String? {
        (0x600...0x6FF).contains(s.value) ? arabicArray[Int(s.value) - 0x600] : arabic[s]
    }

    /// Latin letters with diacritics whose plain-ASCII value is a digraph in the romanisations used
    /// for this region (ISO 9, scholarly, Turkish, Azerbaijani, Turkmen, Uzbek).
    static let latin: [Unicode.Scalar: String] = {
        var t: [Unicode.Scalar: String] = [:]
        let pairs: [(String, String)] = [
            ("š", "sh"), ("ş", "sh"), ("ș", "sh"), ("ś", "s"), ("ž", "zh"), ("ź", "z"), ("ż", "z"), ("č", "ch"),
            ("ç", "ch"), ("ć", "ch"), ("ĉ", "ch"), ("ŝ", "shch"), ("ğ", "gh"), ("ǧ", "g"), ("ı", "i"), ("ə", "a"),
            ("ä", "a"), ("ö", "o"), ("ü", "u"), ("ñ", "n"), ("ň", "n"), ("ý", "y"), ("ÿ", "y"), ("ø", "o"),
            ("æ", "ae"), ("œ", "oe"), ("ß", "ss"), ("đ", "dj"), ("ð", "d"), ("þ", "th"), ("ł", "l"), ("ħ", "h"),
            ("ḥ", "h"), ("ḫ", "kh"), ("ṣ", "s"), ("ṭ", "t"), ("ḍ", "d"), ("ẓ", "z"), ("ṯ", "th"), ("ḏ", "dh"),
            ("ġ", "gh"), ("ẖ", "kh"), ("ā", "a"), ("ē", "e"), ("ī", "i"), ("ō", "o"), ("ū", "u"), ("ė", "e"),
            ("ǎ", "a"), ("ě", "e"), ("ǐ", "i"), ("ǒ", "o"), ("ǔ", "u"), ("ř", "r"), ("ţ", "t"), ("ț", "t"),
        ]
        for (c, l) in pairs { t[c.unicodeScalars.first!] = l }
        return t
    }()

    /// Apostrophe-like marks dropped inside words (soft sign in scholarly/ISO 9, Uzbek oʻ gʻ, hamza
    /// and ayn in Arabic romanisation).
    static func isWordInternalMark(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x27, 0x60, 0xB4, 0x2018, 0x2019, 0x201B, 0x2032, 0x2BB, 0x2BC, 0x2BD, 0x2BE, 0x2BF, 0x2B9, 0x2BA,
            0x2C8, 0x2CA, 0x2CB, 0x22:
            return true
        default:
            return false
        }
    }

    static func isCyrillic(_ s: Unicode.Scalar) -> Bool {
        (0x400...0x52F).contains(s.value) || (0x1C80...0x1C8F).contains(s.value)
            || (0x2DE0...0x2DFF).contains(s.value) || (0xA640...0xA69F).contains(s.value)
    }

    static func isArabic(_ s: Unicode.Scalar) -> Bool {
        (0x600...0x6FF).contains(s.value) || (0x750...0x77F).contains(s.value) || (0x8A0...0x8FF).contains(s.value)
            || (0xFB50...0xFDFF).contains(s.value) || (0xFE70...0xFEFF).contains(s.value)
    }

    /// Arabic short-vowel marks, tatweel and other signs that carry no consonant.
    static func isArabicIgnorable(_ s: Unicode.Scalar) -> Bool {
        (0x610...0x61A).contains(s.value) || (0x64B...0x65F).contains(s.value) || s.value == 0x670
            || s.value == 0x640 || (0x6D6...0x6ED).contains(s.value)
    }
}

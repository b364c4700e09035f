/// The character rules of plate reading: which characters a plate may hold and how each is folded.
///
/// A plate is compared on a canonical form in which
/// - Cyrillic capitals that look like Latin ones (А/A, В/B, Е/E, К/K, М/M, Н/H, О/O, Р/P, С/C, Т/T, Х/X,
///   У/Y, and І/I, Ј/J, Ѕ/S) become their Latin twins, and lower case becomes upper case;
/// - decimal digits of any script (Eastern Arabic `٠١٢…`, Persian `۰۱۲…` on Afghan plates, full-width)
///   become ASCII digits;
/// - spaces, dashes and dots are dropped.
///
/// Other Cyrillic letters (Д, Ж, Ч, …) and Arabic-script letters are kept as they are.
public enum PlateCharacters {
    /// Cyrillic capitals that look like Latin ones, and their Latin twins.
    public static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = [
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
    ]

    /// Cyrillic capitals as a Latin text writes them by sound (В as V, Н as N, Х as KH), where that is not
    /// their look-alike: a plate `1164 АВ 01` retyped from a report in Uzbek or English reads `1164 AV 01`.
    /// Letters absent here are written by sound as they look (А, Е, К, М, О, Т).
    public static let spoken: [Unicode.Scalar: String] = [
        "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ж": "ZH", "З": "Z", "И": "I", "Й": "Y", "Л": "L", "Н": "N",
        "П": "P", "Р": "R", "С": "S", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH", "Э": "E",
        "Ю": "YU", "Я": "YA", "Ғ": "G", "Қ": "Q", "Ҳ": "H", "Ҷ": "J", "Ӣ": "I", "Ӯ": "U",
    ]

    /// Whether a scalar separates groups on a plate: white space, dashes and dots.
    public static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\u{00A0}", "\u{202F}", "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}",
            "\u{2212}", ".", "\u{00B7}", "\u{2022}":
            return true
        default:
            return false
        }
    }

    /// The ASCII digit for a decimal digit of any script, or nil.
    public static func asciiDigit(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        if ("0"..."9").contains(scalar) { return scalar }
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
            value >= 0, value <= 9
        else { return nil }
        return Unicode.Scalar(UInt8(48 + Int(value)))
    }

    /// Folds one letter: upper case, Cyrillic look-alikes to Latin; nil for anything that is not a
    /// Latin, Cyrillic or Arabic-script letter.
    ///
    /// - Returns: the letter as written (upper case) and its folded form.
    public static func letter(_ scalar: Unicode.Scalar) -> (literal: Unicode.Scalar, folded: Unicode.Scalar)? {
        guard scalar.properties.isAlphabetic else { return nil }
        let upper: Unicode.Scalar
        if scalar.properties.isLowercase {
            let mapped = scalar.properties.uppercaseMapping.unicodeScalars
            guard mapped.count == 1, let only = mapped.first else { return nil }
            upper = only
        } else {
            upper = scalar
        }
        if ("A"..."Z").contains(upper) { return (upper, upper) }
        if let latin = lookAlikes[upper] { return (upper, latin) }
        switch upper.value {
        case 0x0400...0x042F, 0x0460...0x052F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F:
            // Other Cyrillic capitals, Tajik ones (Ғ, Ӣ, Қ, Ӯ, Ҳ, Ҷ) among them: every letter a vehicle's
            // plate may hold.
            return upper.properties.isUppercase ? (upper, upper) : nil
        case 0x0620...0x064A, 0x066E...0x06D3, 0x06FA...0x06FC:
            // Arabic-script letters (Dari and Pashto on Afghan plates).
            return (upper, upper)
        default:
            return nil
        }
    }

    /// Whether a folded scalar is an ASCII digit.
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    /// Whether a folded scalar is a Latin capital.
    static func isLatin(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar)
    }
}

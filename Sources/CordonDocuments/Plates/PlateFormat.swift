/// A national plate layout that ``PlateReading`` recognises, and how it splits off the region code.
///
/// Patterns use `9` for a digit and `A` for a letter, on the canonical form (look-alikes folded, no
/// separators); each is recognised with or without its region code:
///
/// | Format | Written | Region |
/// |---|---|---|
/// | ``tajikistan`` | `1234 AB 01` (`9999 AA 99`) | the last two digits (01 Dushanbe, 02 Sughd, …) |
/// | ``russia`` | `А123ВС 77` or `А123ВС 777` (`A999AA 99(9)`, letters of А В Е К М Н О Р С Т У Х only) | the last two or three digits |
/// | ``uzbekistanPrivate`` | `01 A 123 BC` (`99 A 999 AA`) | the first two digits |
/// | ``uzbekistanLegal`` | `01 123 ABC` (`99 999 AAA`) | the first two digits |
/// | ``afghanistan`` | `KBL 12345` or `کابل ۱۲۳۴۵` (province, then 1–6 digits, then an optional class `PRV`, `T`, `B`, `L`, `M`, `TRC`, `CD` or a Persian class letter) | the province, as its three-letter Latin code |
///
/// Without a country, Afghan plates are recognised only with a known province (``afghanProvinces``);
/// a Russian-looking `A123BC` without region is read as Russian, unless its letters are not Russian
/// plate letters (then Uzbek). With a country (`TJ`, `RU`, `UZ`, `AF`) only that country's formats
/// are tried. The Afghan class is not part of the plate's identity and is not compared.
public struct PlateFormat: Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case tajikistan
        case russia
        case uzbekistanPrivate = "uzbekistan_private"
        case uzbekistanLegal = "uzbekistan_legal"
        case afghanistan
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// Tajikistan: `1234 AB 01`, region last.
    public static let tajikistan = PlateFormat(.tajikistan)
    /// Russia: `А123ВС 77` or `А123ВС 777`, region last.
    public static let russia = PlateFormat(.russia)
    /// Uzbekistan, private owners: `01 A 123 BC`, region first.
    public static let uzbekistanPrivate = PlateFormat(.uzbekistanPrivate)
    /// Uzbekistan, legal entities: `01 123 ABC`, region first.
    public static let uzbekistanLegal = PlateFormat(.uzbekistanLegal)
    /// Afghanistan: `KBL 12345`, province first.
    public static let afghanistan = PlateFormat(.afghanistan)

    /// Every format, in the order they are tried.
    public static let all: [PlateFormat] = [.tajikistan, .russia, .uzbekistanPrivate, .uzbekistanLegal, .afghanistan]

    /// A stable identifier (`uzbekistan_private`).
    public var identifier: String { code.rawValue }

    /// The ISO 3166-1 alpha-2 code of the issuing country.
    public var country: String {
        switch code {
        case .tajikistan: "TJ"
        case .russia: "RU"
        case .uzbekistanPrivate, .uzbekistanLegal: "UZ"
        case .afghanistan: "AF"
        }
    }

    /// An example of the layout.
    public var example: String {
        switch code {
        case .tajikistan: "1234 AB 01"
        case .russia: "A123BC 77"
        case .uzbekistanPrivate: "01 A 123 BC"
        case .uzbekistanLegal: "01 123 ABC"
        case .afghanistan: "KBL 12345"
        }
    }

    public var description: String {
        switch code {
        case .tajikistan: "Tajik plate"
        case .russia: "Russian plate"
        case .uzbekistanPrivate: "Uzbek private plate"
        case .uzbekistanLegal: "Uzbek legal-entity plate"
        case .afghanistan: "Afghan plate"
        }
    }

    /// Latin plate letters of Russia: the Cyrillic letters that have Latin twins, folded.
    static let russianLetters: Set<Unicode.Scalar> = ["A", "B", "E", "K", "M", "H", "O", "P", "C", "T", "Y", "X"]

    /// Afghan provinces on plates: the Persian or Pashto name and the three-letter Latin code.
    public static let afghanProvinces: [(name: String, code: String)] = [
        ("کابل", "KBL"), ("هرات", "HRT"), ("کندهار", "KDR"), ("قندهار", "KDR"), ("بلخ", "BLK"),
        ("ننگرهار", "NGR"), ("کندوز", "KDZ"), ("کندز", "KDZ"), ("بدخشان", "BDN"), ("بادغیس", "BDG"),
        ("بغلان", "BAG"), ("کونر", "KNR"), ("غزنی", "GZN"), ("هلمند", "HLM"), ("تخار", "TKR"),
        ("پروان", "PRN"), ("خوست", "KST"), ("وردک", "WDK"),
    ]

    static let afghanProvinceCodes: Set<String> = Set(afghanProvinces.map(\.code))

    /// Afghan vehicle classes in Latin letters, longest first.
    static let afghanClasses: [String] = ["TRC", "PRV", "CD", "T", "B", "L", "M"]

    /// Persian class letters, dropped when written apart from the number.
    static let afghanClassLetters: Set<String> = ["ش", "ت", "ب", "ل", "م", "ر"]

    /// The formats to try for an optional country code.
    static func candidates(for country: String?) -> [PlateFormat] {
        guard let country else { return all }
        return all.filter { $0.country == country }
    }

    /// Splits a canonical plate into its serial and region when it fits this format.
    ///
    /// - Parameters:
    ///   - plate: the canonical scalars.
    ///   - countryGiven: whether the caller named this format's country (relaxes the Afghan rules).
    /// - Returns: the serial and the region (nil when not written), or nil when the plate does not fit.
    func split(
        _ plate: [Unicode.Scalar],
        countryGiven: Bool
    ) -> (serial: [Unicode.Scalar], region: [Unicode.Scalar]?)? {
        let shape = String(plate.map { PlateCharacters.isDigit($0) ? "9" : "A" })
        switch code {
        case .tajikistan:
            if shape == "9999AA99" { return (Array(plate[0..<6]), Array(plate[6...])) }
            if shape == "9999AA" { return (plate, nil) }
        case .russia:
            let lettersFit = [0, 4, 5].allSatisfy { $0 < plate.count && Self.russianLetters.contains(plate[$0]) }
            guard lettersFit else { return nil }
            if shape == "A999AA99" || shape == "A999AA999" { return (Array(plate[0..<6]), Array(plate[6...])) }
            if shape == "A999AA" { return (plate, nil) }
        case .uzbekistanPrivate:
            if shape == "99A999AA" { return (Array(plate[2...]), Array(plate[0..<2])) }
            if shape == "A999AA" {
                // Without its region this is also a Russian plate; Russia is tried first.
                return (plate, nil)
            }
        case .uzbekistanLegal:
            if shape == "99999AAA" { return (Array(plate[2...]), Array(plate[0..<2])) }
            if shape == "999AAA" { return (plate, nil) }
        case .afghanistan:
            return splitAfghan(plate, shape: shape, countryGiven: countryGiven)
        }
        return nil
    }

    private func splitAfghan(
        _ plate: [Unicode.Scalar],
        shape: String,
        countryGiven: Bool
    ) -> (serial: [Unicode.Scalar], region: [Unicode.Scalar]?)? {
        var body = plate
        var region: [Unicode.Scalar]?
        if shape.hasPrefix("AAA"), plate[0..<3].allSatisfy(PlateCharacters.isLatin) {
            let province = String(String.UnicodeScalarView(plate[0..<3]))
            guard countryGiven || Self.afghanProvinceCodes.contains(province) else { return nil }
            region = Array(plate[0..<3])
            body = Array(plate[3...])
        } else if !countryGiven {
            return nil
        }
        let digits = body.prefix(while: PlateCharacters.isDigit)
        guard (1...6).contains(digits.count) else { return nil }
        let rest = String(String.UnicodeScalarView(body[digits.count...]))
        guard rest.isEmpty || Self.afghanClasses.contains(rest) else { return nil }
        return (Array(digits), region)
    }
}

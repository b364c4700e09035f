public import CordonCore

/// A plate as read by an officer or a camera: its canonical form, its national format when recognised,
/// and its serial split from the region code.
///
/// Reading folds look-alike letters and foreign digits (see ``PlateCharacters``) and drops separators,
/// so `4519 АА 01`, `4519-AA-01` and `4519aa01` are one plate. When the plate fits a ``PlateFormat`` the
/// region code is split off, so `4519 AA` (no region written) is the same plate without its region.
/// A well-formed plate of no known format keeps its whole canonical form as its serial.
public struct PlateReading: Sendable, Hashable, CustomStringConvertible {
    /// The plate as given, trimmed.
    public let written: String
    /// Upper case, ASCII digits, no separators, letters as written (Cyrillic stays Cyrillic).
    public let literal: String
    /// Like ``literal`` with Cyrillic look-alikes folded to Latin: the form plates are compared on.
    public let canonical: String
    /// The recognised format, if any.
    public let format: PlateFormat?
    /// The canonical form without the region code (the whole canonical form when none was found).
    public let serial: String
    /// The region code as written on the plate (`01`, `777`, `KBL`), when there is one.
    public let region: String?

    let canonicalScalars: [Unicode.Scalar]
    let serialScalars: [Unicode.Scalar]
    /// The canonical form with its Cyrillic letters written by sound (``PlateCharacters/spoken``), when that
    /// differs from it: `1164АВ01` as `1164AV01`.
    let spokenScalars: [Unicode.Scalar]?
    /// The serial of ``spokenScalars``, when it has one.
    let spokenSerialScalars: [Unicode.Scalar]?

    /// The longest plate text accepted, in characters.
    public static let maximumWrittenLength = 40

    /// Reads a plate.
    ///
    /// - Parameters:
    ///   - text: the plate as written: Latin or Cyrillic letters (Dari province names and class letters
    ///     on Afghan plates), digits of any script, separated by spaces, dashes or dots.
    ///   - country: the issuing country when known (`TJ`, `RU`, `UZ`, `AF`): only its formats are tried.
    /// - Throws: ``ValidationFailure`` (at the empty path) when the text is empty, too long, holds other
    ///   characters, has no digit, or has fewer than 2 or more than 12 letters and digits.
    public init(_ text: String, country: CountryCode? = nil) throws {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else {
            throw ValidationFailure(path: "", reason: .empty, message: "a plate needs letters and digits")
        }
        guard trimmed.count <= Self.maximumWrittenLength else {
            throw ValidationFailure(
                path: "",
                reason: .tooLong,
                message: "a plate is at most \(Self.maximumWrittenLength) characters"
            )
        }
        var literal: [Unicode.Scalar] = []
        var folded: [Unicode.Scalar] = []
        var spoken: [Unicode.Scalar] = []
        var token: [Unicode.Scalar] = []
        var tokenLiteral: [Unicode.Scalar] = []

        // Arabic-script words are read whole: a province name becomes its Latin code, a class letter is dropped.
        func flushArabic() {
            guard !token.isEmpty else { return }
            let word = String(String.UnicodeScalarView(token))
            if let province = PlateFormat.afghanProvinces.first(where: { $0.name == word }) {
                literal.append(contentsOf: province.code.unicodeScalars)
                folded.append(contentsOf: province.code.unicodeScalars)
                spoken.append(contentsOf: province.code.unicodeScalars)
            } else if !PlateFormat.afghanClassLetters.contains(word) {
                literal.append(contentsOf: tokenLiteral)
                folded.append(contentsOf: token)
                spoken.append(contentsOf: token)
            }
            token.removeAll()
            tokenLiteral.removeAll()
        }

        for scalar in trimmed.unicodeScalars {
            if PlateCharacters.isSeparator(scalar) {
                flushArabic()
            } else if let digit = PlateCharacters.asciiDigit(scalar) {
                flushArabic()
                literal.append(digit)
                folded.append(digit)
                spoken.append(digit)
            } else if let letter = PlateCharacters.letter(scalar) {
                if Self.isArabicScript(letter.folded) {
                    token.append(letter.folded)
                    tokenLiteral.append(letter.literal)
                } else {
                    flushArabic()
                    literal.append(letter.literal)
                    folded.append(letter.folded)
                    if let sound = PlateCharacters.spoken[letter.literal] {
                        spoken.append(contentsOf: sound.unicodeScalars)
                    } else {
                        spoken.append(letter.folded)
                    }
                }
            } else {
                throw ValidationFailure(
                    path: "",
                    reason: .invalidFormat,
                    message:
                        "'\(Self.visible(scalar))' cannot appear on a plate (letters, digits, spaces, dashes and dots only)"
                )
            }
        }
        flushArabic()
        guard folded.contains(where: PlateCharacters.isDigit) else {
            throw ValidationFailure(path: "", reason: .invalidFormat, message: "a plate has at least one digit")
        }
        guard (2...12).contains(folded.count) else {
            throw ValidationFailure(
                path: "",
                reason: .invalidFormat,
                message: "a plate has 2 to 12 letters and digits, not \(folded.count)"
            )
        }
        var format: PlateFormat?
        var serial = folded
        var region: [Unicode.Scalar]?
        for candidate in PlateFormat.candidates(for: country?.rawValue) {
            if let split = candidate.split(folded, countryGiven: country != nil) {
                format = candidate
                serial = split.serial
                region = split.region
                break
            }
        }
        if spoken != folded {
            spokenScalars = spoken
            // The region is digits (or a province's Latin code), written the same either way.
            if let region, spoken.count > region.count, Array(spoken.suffix(region.count)) == region,
                Array(folded.suffix(region.count)) == region
            {
                spokenSerialScalars = Array(spoken.dropLast(region.count))
            } else if let region, Array(spoken.prefix(region.count)) == region,
                Array(folded.prefix(region.count)) == region
            {
                spokenSerialScalars = Array(spoken.dropFirst(region.count))
            } else {
                spokenSerialScalars = region == nil ? spoken : nil
            }
        } else {
            spokenScalars = nil
            spokenSerialScalars = nil
        }
        self.written = trimmed
        self.literal = String(String.UnicodeScalarView(literal))
        self.canonical = String(String.UnicodeScalarView(folded))
        self.format = format
        self.serial = String(String.UnicodeScalarView(serial))
        self.region = region.map { String(String.UnicodeScalarView($0)) }
        self.canonicalScalars = folded
        self.serialScalars = serial
    }

    public var description: String { written }

    /// Whether the plate carries a region code.
    public var hasRegion: Bool { region != nil }

    /// Whether reading folded Cyrillic look-alike letters to Latin.
    public var hasFoldedLetters: Bool { literal != canonical }

    private static func isArabicScript(_ scalar: Unicode.Scalar) -> Bool {
        (0x0600...0x06FF).contains(scalar.value)
    }

    private static func visible(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
            ? "U+" + String(scalar.value, radix: 16, uppercase: true)
            : String(scalar)
    }
}

/// A vehicle registration plate as written, with a canonical form for comparison.
///
/// Plates in the region mix Cyrillic and Latin letters that look alike (А/A, В/B, Е/E, К/K, М/M, Н/H,
/// О/O, Р/P, С/C, Т/T, Х/X, У/Y): the canonical form folds each to its Latin twin, upper-cases, and
/// drops spaces and dashes, so `0123 ТТ 01` and `0123TT01` are one plate.
public struct PlateNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The plate as written: trimmed, upper-cased, runs of spaces collapsed.
    public let text: String
    /// Letters folded to Latin, spaces and dashes removed.
    public let canonical: String

    /// Creates a plate number.
    ///
    /// - Throws: ``ValidationFailure`` unless the plate is 2–12 letters (Latin or Cyrillic) and digits,
    ///   with at least one digit, separated only by spaces or dashes.
    public init(_ raw: String) throws {
        let upper = raw.trimmingSpaces().uppercased()
        let collapsed = upper.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        var canonical = ""
        var valid = true
        var hasDigit = false
        for scalar in collapsed.unicodeScalars {
            if scalar == " " || scalar == "-" { continue }
            if ("0"..."9").contains(scalar) {
                hasDigit = true
                canonical.unicodeScalars.append(scalar)
            } else if ("A"..."Z").contains(scalar) {
                canonical.unicodeScalars.append(scalar)
            } else if let latin = Self.lookAlikes[scalar] {
                canonical.unicodeScalars.append(latin)
            } else if Script.script(of: scalar) == .cyrillic, scalar.properties.isUppercase {
                canonical.unicodeScalars.append(scalar)
            } else {
                valid = false
            }
        }
        guard valid, hasDigit, (2...12).contains(canonical.unicodeScalars.count) else {
            throw ValidationFailure(
                path: "",
                reason: .invalidFormat,
                message:
                    "'\(raw)' is not a plate number (2-12 letters and digits with at least one digit, spaces or dashes)"
            )
        }
        self.text = collapsed
        self.canonical = canonical
    }

    public var description: String { text }

    /// Cyrillic capitals that look like Latin ones, and their Latin twins.
    public static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = [
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
    ]

    public init(from decoder: any Decoder) throws {
        let path = CodingPath.render(decoder.codingPath)
        guard let text = try? decoder.singleValueContainer().decode(String.self) else {
            throw ValidationFailure(path: path, reason: .wrongType, message: "must be a plate string")
        }
        do {
            try self.init(text)
        } catch let failure as ValidationFailure {
            throw failure.nested(under: path)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

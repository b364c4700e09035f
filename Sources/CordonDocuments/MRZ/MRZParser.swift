public import CordonCore
public import Foundation

/// Reads and checks ICAO Doc 9303 machine-readable zones: TD1 identity cards, TD2 documents, TD3
/// passports and MRV-A and MRV-B visas.
///
/// The parser is pure: "today", which decides the century of two-digit years, is given to it. A
/// birth date takes the most recent century that does not put it in the future; an expiry date the
/// century that puts it no more than ten years after today.
///
/// OCR confusions (`0`/`O`, `1`/`I`, `8`/`B`, `5`/`S`) are put right where nothing else can be meant:
/// digits in fields of letters, letters in dates and check digits, and in document numbers and
/// optional data a single substitution when the value as read fails its check digit and exactly
/// one substitution passes it (and the composite, where the layout has one). Each correction is reported.
public struct MRZParser: Sendable {
    /// Longer lines are rejected before they are read.
    public static let maximumLineLength = 100

    /// Today, which decides the century of two-digit years.
    public var today: (year: Int, month: Int, day: Int)

    /// Creates a parser for the given day; a partial date counts as its first day.
    ///
    /// - Parameter today: the date the zone is read on.
    public init(today: PartialDate) {
        self.today = (today.year, today.month ?? 1, today.day ?? 1)
    }

    /// Creates a parser for the calendar day of an instant in a time zone.
    ///
    /// - Parameters:
    ///   - now: the instant the zone is read.
    ///   - timeZone: the zone whose calendar day counts.
    public init(now: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        self.today = (parts.year ?? 2000, parts.month ?? 1, parts.day ?? 1)
    }

    /// Reads and checks a zone.
    ///
    /// - Parameter lines: the two or three lines, upper or lower case; spaces around a line are ignored.
    /// - Returns: the document with every field, check and correction. Check digits that fail and
    ///   wrong values make ``MRZDocument/isValid`` false; they do not throw.
    /// - Throws: ``ValidationFailure`` when the zone has the wrong number of lines, a line of the
    ///   wrong length or a character the zone does not allow; the path names the line (`[1]`, counted
    ///   from 0) or is empty for the line count.
    public func parse(_ lines: [String]) throws -> MRZDocument {
        let (bytes, format) = try Self.shape(lines)
        var reading = MRZReading(layout: MRZLayout.layout(for: format), lines: bytes, today: today)
        return reading.run()
    }

    // MARK: - Shape

    static func shape(_ input: [String]) throws -> ([[UInt8]], MRZFormat) {
        guard (2...3).contains(input.count) else {
            throw ValidationFailure(
                path: "",
                reason: .invalidFormat,
                message: "a machine-readable zone has 2 or 3 lines, not \(input.count)"
            )
        }
        var issues = IssueCollector()
        var lines: [[UInt8]] = []
        for (index, text) in input.enumerated() {
            let path = "[\(index)]"
            guard text.utf8.count <= maximumLineLength * 4 else {
                issues.add(path, .tooLong, "line \(index + 1) has more than \(maximumLineLength) characters")
                lines.append([])
                continue
            }
            var scalars = Substring(text).unicodeScalars[...]
            while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
            var line: [UInt8] = []
            line.reserveCapacity(44)
            for (position, scalar) in scalars.enumerated() {
                let v = scalar.value
                if (0x61...0x7A).contains(v) {
                    line.append(UInt8(v - 0x20))
                } else if (0x41...0x5A).contains(v) || (0x30...0x39).contains(v) || v == 0x3C {
                    line.append(UInt8(v))
                } else {
                    let shown = scalar.properties.isWhitespace ? "a space" : "'\(Character(scalar))'"
                    issues.add(
                        path,
                        .invalidFormat,
                        "line \(index + 1) has \(shown) at position \(position + 1); a zone holds only A-Z, 0-9 and <"
                    )
                    line = []
                    break
                }
            }
            lines.append(line)
        }
        try issues.finish()
        let expected: Int?
        if lines.count == 3 {
            expected = 30
        } else {
            expected = lines.map(\.count).first { $0 == 36 || $0 == 44 }
        }
        guard let expected else {
            for (index, line) in lines.enumerated() {
                issues.add(
                    "[\(index)]",
                    .invalidFormat,
                    "line \(index + 1) has \(line.count) characters; a two-line zone has lines of 36 (TD2, MRV-B) "
                        + "or 44 (TD3, MRV-A)"
                )
            }
            throw ValidationFailure(issues.issues)
        }
        let format = MRZFormat.detect(lineCount: lines.count, lineLength: expected, firstLetter: lines[0].first)!
        for (index, line) in lines.enumerated() where line.count != expected {
            issues.add(
                "[\(index)]",
                .invalidFormat,
                "line \(index + 1) has \(line.count) characters, not \(expected) as in a \(format.displayName) zone"
            )
        }
        try issues.finish()
        return (lines, format)
    }
}

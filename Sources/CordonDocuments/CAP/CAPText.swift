import CordonCore
import Foundation

/// The text rules of CAP fields.
enum CAPText {
    /// Characters an identifier or sender must not hold besides whitespace.
    static let forbiddenInTokens: Set<Character> = [",", "<", "&"]

    /// Checks an identifier or sender: not empty, no whitespace, comma, `<` or `&`, at most 500
    /// characters.
    static func checkToken(_ text: String, at path: String, into issues: inout IssueCollector) {
        guard !text.isEmpty else {
            issues.add(path, .empty, "must not be empty")
            return
        }
        if text.count > 500 { issues.add(path, .tooLong, "has \(text.count) characters; at most 500 are allowed") }
        if text.contains(where: { $0.isWhitespace || forbiddenInTokens.contains($0) })
            || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            issues.add(path, .invalidFormat, "'\(text)' must not contain spaces, commas, '<' or '&'")
        }
    }

    /// Checks free text: not empty or blank, no control characters but newlines and tabs when
    /// `multiline`, at most `maxLength` characters.
    static func check(
        _ text: String?,
        at path: String,
        maxLength: Int = 10_000,
        multiline: Bool = false,
        into issues: inout IssueCollector
    ) {
        guard let text else { return }
        if text.allSatisfy(\.isWhitespace) {
            issues.add(path, .empty, "must not be empty")
            return
        }
        if text.count > maxLength {
            issues.add(path, .tooLong, "has \(text.count) characters; at most \(maxLength) are allowed")
        }
        let bad = text.unicodeScalars.contains { scalar in
            if multiline, scalar == "\n" || scalar == "\t" || scalar == "\r" { return false }
            return scalar.properties.generalCategory == .control || scalar == "\u{FFFE}" || scalar == "\u{FFFF}"
        }
        if bad { issues.add(path, .invalidFormat, "must not contain control characters") }
    }

    /// Checks one item of a whitespace-separated list (`addresses`, `incidents`): text without double
    /// quotes, which CAP uses to wrap items that hold spaces.
    static func checkListItem(_ text: String, at path: String, into issues: inout IssueCollector) {
        check(text, at: path, maxLength: 500, into: &issues)
        if text.contains("\"") { issues.add(path, .invalidFormat, "must not contain double quotes") }
        if text != text.trimmingCharacters(in: .whitespaces) || text.contains(where: \.isNewline) {
            issues.add(path, .invalidFormat, "must not start or end with spaces or hold line breaks")
        }
    }

    /// Writes a whitespace-separated list, quoting items that hold spaces.
    static func joinList(_ items: [String]) -> String {
        items.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
    }

    /// Reads a whitespace-separated list whose items may be wrapped in double quotes.
    ///
    /// - Returns: the items, or nil when a quote is left open.
    static func splitList(_ text: String) -> [String]? {
        var items: [String] = []
        var current = ""
        var quoted = false
        var hasItem = false
        for character in text {
            if character == "\"" {
                quoted.toggle()
                hasItem = true
            } else if character.isWhitespace, !quoted {
                if hasItem { items.append(current) }
                current = ""
                hasItem = false
            } else {
                current.append(character)
                hasItem = true
            }
        }
        guard !quoted else { return nil }
        if hasItem { items.append(current) }
        return items
    }

    /// Reads a decimal number strictly: an optional sign, digits, optionally a point and more digits.
    static func decimal(_ text: Substring) -> Double? {
        var body = text
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            parts.allSatisfy({ $0.allSatisfy(\.isNumber) })
        else { return nil }
        return Double(text)
    }

    /// Writes a number without an exponent.
    static func decimal(_ value: Double) -> String {
        let plain = "\(value)"
        guard plain.contains("e") else { return plain.hasSuffix(".0") ? String(plain.dropLast(2)) : plain }
        var fixed = String(format: "%.10f", value)
        while fixed.hasSuffix("0") { fixed.removeLast() }
        if fixed.hasSuffix(".") { fixed.removeLast() }
        return fixed
    }
}

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
        items.map { $0.unicodeScalars.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
    }

    /// Whether a scalar is XML white space (space, tab, line feed, carriage return), which separates list
    /// items; other spaces, such as U+00A0, are part of an item. Scalars, not characters: a space followed
    /// by a combining mark is one character, yet the space still separates.
    static func isXMLWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// Reads a whitespace-separated list whose items may be wrapped in double quotes.
    ///
    /// - Returns: the items, or nil when a quote is left open.
    static func splitList(_ text: String) -> [String]? {
        var items: [String] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        var hasItem = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" {
                quoted.toggle()
                hasItem = true
            } else if isXMLWhitespace(scalar), !quoted {
                if hasItem { items.append(String(current)) }
                current = String.UnicodeScalarView()
                hasItem = false
            } else {
                current.append(scalar)
                hasItem = true
            }
        }
        guard !quoted else { return nil }
        if hasItem { items.append(String(current)) }
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

    /// Writes a number without an exponent, with the shortest digits that read back as the same number.
    static func decimal(_ value: Double) -> String {
        let plain = "\(value)"
        guard let exponentIndex = plain.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return plain.hasSuffix(".0") ? String(plain.dropLast(2)) : plain
        }
        // Moves the point of the shortest representation (`1.5e-07`) by its exponent.
        var mantissa = plain[..<exponentIndex]
        let exponent = Int(plain[plain.index(after: exponentIndex)...])!
        let negative = mantissa.first == "-"
        if negative { mantissa = mantissa.dropFirst() }
        let point = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
        let digits = Array(mantissa.filter(\.isNumber))
        let position = mantissa.distance(from: mantissa.startIndex, to: point) + exponent
        var text: String
        if position <= 0 {
            text = "0." + String(repeating: "0", count: -position) + String(digits)
        } else if position >= digits.count {
            text = String(digits) + String(repeating: "0", count: position - digits.count)
        } else {
            text = String(digits[..<position]) + "." + String(digits[position...])
        }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return negative ? "-" + text : text
    }

    /// Whether `text` is an absolute URI as RFC 3986 and libxml2's `xs:anyURI` take it: a scheme
    /// (`[A-Za-z][A-Za-z0-9+.-]*`) and a colon, `%` only before two hex digits, at most one `#`, square
    /// brackets only around an IP literal host, and a port of digits only.
    static func isAbsoluteURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return false }
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "%" {
            guard index + 2 < scalars.count, scalars[index + 1].properties.isASCIIHexDigit,
                scalars[index + 2].properties.isASCIIHexDigit
            else { return false }
        }
        guard text.filter({ $0 == "#" }).count <= 1 else { return false }
        var rest = text[text.index(after: colon)...]
        var host: Substring = ""
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
            let authority = rest[..<end]
            rest = rest[end...]
            host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        }
        guard !rest.contains(where: { $0 == "[" || $0 == "]" }) else { return false }
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]"), !host[host.index(after: close)...].contains("]") else {
                return false
            }
            let after = host[host.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return false }
            port = after.isEmpty ? nil : after.dropFirst()
        } else {
            guard !host.contains(where: { $0 == "[" || $0 == "]" }) else { return false }
            port = host.firstIndex(of: ":").map { host[host.index(after: $0)...] }
        }
        return port?.allSatisfy { $0.isASCII && $0.isNumber } ?? true
    }
}

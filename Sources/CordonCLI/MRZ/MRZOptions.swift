import ArgumentParser
import CordonCore
import CordonDocuments
import CordonScreening
import Foundation

/// What `cordon mrz check` and `cordon screen --mrz` share: reading `--today` and printing a document.
enum MRZOptions {
    /// The parser for `--today YYYY-MM-DD`, or for the calendar day now.
    static func parser(today: String?) throws -> MRZParser {
        guard let today else { return MRZParser(now: Date(), timeZone: .current) }
        guard let date = try? PartialDate(today), date.day != nil else {
            throw ValidationError("--today must be a date YYYY-MM-DD, not \"\(today)\".")
        }
        return MRZParser(today: date)
    }

    /// A JSON value rendered on one line with sorted keys.
    static func serialized(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// An encodable value rendered on one line with sorted keys.
    static func encoded(_ value: some Encodable) -> String {
        let data = (try? JSONEncoder.cordon().encode(value)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// An encodable value as a JSON object for `JSONSerialization`.
    static func object(_ value: some Encodable) -> Any {
        guard let data = try? JSONEncoder.cordon().encode(value) else { return NSNull() }
        return (try? JSONSerialization.jsonObject(with: data)) ?? NSNull()
    }

    static func issues(_ issues: [ValidationFailure.Issue]) -> [[String: String]] {
        issues.map { ["path": $0.path, "reason": $0.reason.rawValue, "message": $0.message] }
    }

    /// The document check for people: format and verdict, fields, check digits, corrections, problems.
    static func text(_ document: MRZDocument) -> String {
        var lines: [String] = []
        var verdict = document.isValid ? "all checks pass" : "FAILS ITS CHECKS"
        if document.isExpired == true, let expiry = document.expiryDate {
            verdict += "; EXPIRED on \(expiry), not a valid travel document"
        }
        lines.append("\(document.format.displayName) document \(document.documentNumber): \(verdict)")
        func padded(_ s: String) -> String { s.count >= 16 ? s + " " : s + String(repeating: " ", count: 16 - s.count) }
        for field in document.fields {
            var value = field.value.isEmpty ? "—" : field.value
            if field.name == "nationality" || field.name == "issuing_state" {
                if let country = ICAOCountry.countryCode(for: field.value) {
                    value += " (\(country.rawValue))"
                } else if let meaning = ICAOCountry.specialMeaning(of: field.value) {
                    value += " (\(meaning))"
                }
            }
            if field.name == "name", document.isNameTruncated { value += " (may be cut short)" }
            lines.append("  " + padded(field.name) + value)
        }
        lines.append("Check digits:")
        for check in document.checks {
            let mark = check.passed ? "ok" : "FAILED: printed \(check.expected), computed \(check.computed)"
            lines.append("  " + padded(check.name) + mark)
        }
        if !document.corrections.isEmpty {
            lines.append("OCR corrections:")
            for c in document.corrections {
                lines.append("  " + padded(c.field) + "\(c.read) → \(c.corrected) (\(c.reason))")
            }
        }
        if !document.problems.isEmpty {
            lines.append("Problems:")
            for p in document.problems { lines.append("  " + padded(p.path) + p.message) }
        }
        return lines.joined(separator: "\n")
    }
}

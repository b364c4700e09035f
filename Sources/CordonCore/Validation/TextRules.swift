/// Checks shared by every free-text field.
package enum TextRules {
    /// Checks that `text` has content, fits in `maxLength` characters and holds no control characters.
    package static func check(
        _ text: String,
        at path: String,
        maxLength: Int,
        allowNewlines: Bool = false,
        into issues: inout IssueCollector
    ) {
        if text.trimmingSpaces().isEmpty {
            issues.add(path, .empty, "must not be empty")
            return
        }
        if text.count > maxLength {
            issues.add(path, .tooLong, "has \(text.count) characters; at most \(maxLength) are allowed")
        }
        let hasControl = text.unicodeScalars.contains { scalar in
            if allowNewlines, scalar == "\n" || scalar == "\t" { return false }
            return scalar.properties.generalCategory == .control
        }
        if hasControl {
            issues.add(path, .invalidFormat, "must not contain control characters")
        }
    }

    /// Checks an optional text field.
    package static func check(
        _ text: String?,
        at path: String,
        maxLength: Int,
        allowNewlines: Bool = false,
        into issues: inout IssueCollector
    ) {
        if let text { check(text, at: path, maxLength: maxLength, allowNewlines: allowNewlines, into: &issues) }
    }
}

/// Checks that identifiers in a list are unique.
package enum Uniqueness {
    /// Records a duplicate issue at `path[i].id` for every repeated identifier.
    package static func check<ID: Hashable & CustomStringConvertible>(
        _ ids: [ID],
        at path: String,
        key: String = "id",
        into issues: inout IssueCollector
    ) {
        var seen = Set<ID>()
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            issues.add("\(path)[\(index)].\(key)", .duplicate, "'\(id)' appears more than once")
        }
    }
}

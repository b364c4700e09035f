import CordonCore
import CordonMatch

/// Which threshold a screening answers with: the server's, or a stricter one a query asks for.
///
/// The server's threshold is the floor: a query may raise it (fewer, surer alerts), never lower it
/// below what the server was configured with, so that no caller can make the list alert on less.
/// Every answer states the threshold it used.
public struct ScreeningPolicy: Sendable, Hashable {
    /// The threshold the matcher documents as its default.
    public static let defaultThreshold = ScreeningIndex.defaultThreshold

    /// The server's threshold, and the lowest a query may use.
    public let threshold: Double

    /// Thresholds of named lists (``CordonMatch/WatchlistEntry/list``): an entry on one of them alerts at
    /// its list's threshold instead of ``threshold``, lower or higher. A query's stricter threshold still
    /// raises the bar for every hit.
    public let listThresholds: [String: Double]

    /// The policy of the documented default threshold.
    public static let standard = ScreeningPolicy(checked: defaultThreshold)

    private init(checked threshold: Double) {
        self.threshold = threshold
        self.listThresholds = [:]
    }

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - threshold: the server's threshold.
    ///   - listThresholds: thresholds of named lists; a name is 1–64 letters, digits, `-`, `_` or `.`.
    /// - Throws: ``ValidationFailure`` naming `threshold` or `list_thresholds.NAME` for a threshold outside
    ///   (0, 1] or a bad list name.
    public init(threshold: Double = ScreeningPolicy.defaultThreshold, listThresholds: [String: Double] = [:]) throws {
        var issues = IssueCollector()
        if !Self.isThreshold(threshold) {
            issues.add("threshold", .outOfRange, "must be more than 0 and at most 1, not \(threshold)")
        }
        for (name, value) in listThresholds.sorted(by: { $0.key < $1.key }) {
            if !Self.isListName(name) {
                issues.add(
                    "list_thresholds.\(name)",
                    .invalidFormat,
                    "a list name has 1-64 letters, digits, '-', '_' or '.'"
                )
            } else if !Self.isThreshold(value) {
                issues.add("list_thresholds.\(name)", .outOfRange, "must be more than 0 and at most 1, not \(value)")
            }
        }
        try issues.finish()
        self.threshold = threshold
        self.listThresholds = listThresholds
    }

    /// Whether a threshold lies in (0, 1].
    public static func isThreshold(_ value: Double) -> Bool {
        value.isFinite && value > 0 && value <= 1
    }

    /// Whether a text may name a list: 1–64 ASCII letters, digits, `-`, `_` or `.`.
    public static func isListName(_ name: String) -> Bool { Wanted.isListName(name) }

    /// The threshold for a query that asks for `requested` (nil: the server's).
    ///
    /// - Throws: ``ValidationFailure`` at `path` for a threshold below the server's or above 1.
    public func threshold(requested: Double?, path: String = "threshold") throws -> Double {
        guard let requested else { return threshold }
        guard requested.isFinite, requested <= 1 else {
            throw ValidationFailure(path: path, reason: .outOfRange, message: "must be at most 1")
        }
        guard requested >= threshold else {
            throw ValidationFailure(
                path: path,
                reason: .outOfRange,
                message: "must be at least \(threshold), the server's threshold: a query may only be stricter"
            )
        }
        return requested
    }
}

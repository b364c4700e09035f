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

    /// The policy of the documented default threshold.
    public static let standard = ScreeningPolicy(checked: defaultThreshold)

    private init(checked threshold: Double) {
        self.threshold = threshold
    }

    /// Creates a policy.
    ///
    /// - Throws: ``ValidationFailure`` naming `threshold` unless it lies in (0, 1].
    public init(threshold: Double = ScreeningPolicy.defaultThreshold) throws {
        guard threshold > 0, threshold <= 1, threshold.isFinite else {
            throw ValidationFailure(
                path: "threshold",
                reason: .outOfRange,
                message: "must be more than 0 and at most 1, not \(threshold)"
            )
        }
        self.threshold = threshold
    }

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

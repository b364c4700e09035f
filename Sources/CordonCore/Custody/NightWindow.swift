public import Foundation

/// The hours a facility counts as night, in its own time zone: 20:00 to 06:00, say.
///
/// The window may cross midnight. It answers from an instant passed in; it never reads a clock.
public struct NightWindow: Sendable, Hashable {
    /// Minutes after local midnight when night begins, 0–1439.
    public let startMinute: Int
    /// Minutes after local midnight when night ends, 0–1439.
    public let endMinute: Int
    /// The facility's time zone.
    public let zone: TimeZone

    /// Creates a window from local hours and minutes.
    ///
    /// - Throws: ``ValidationFailure`` for an hour outside 0–23 or a minute outside 0–59, or a window
    ///   that starts and ends at the same minute.
    public init(from start: (hour: Int, minute: Int), to end: (hour: Int, minute: Int), in zone: TimeZone) throws {
        var issues = IssueCollector()
        for (path, time) in [("start", start), ("end", end)] {
            issues.check(
                (0...23).contains(time.hour) && (0...59).contains(time.minute),
                path,
                .outOfRange,
                "\(time.hour):\(time.minute) is not a time of day"
            )
        }
        issues.check(start != end, "end", .inconsistent, "night must not start and end at the same minute")
        try issues.finish()
        self.startMinute = start.hour * 60 + start.minute
        self.endMinute = end.hour * 60 + end.minute
        self.zone = zone
    }

    /// Whether an instant falls at night.
    public func contains(_ instant: Date) -> Bool {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        let minute = ((local % 86_400 + 86_400) % 86_400) / 60
        if startMinute < endMinute {
            return minute >= startMinute && minute < endMinute
        }
        return minute >= startMinute || minute < endMinute
    }
}

import CordonCore
public import Foundation

extension CAPMessage {
    /// A CAP date and time: `2010-08-22T22:14:00+05:00`, to the second, with an explicit offset.
    ///
    /// CAP forbids `Z` and fractions of a second; UTC is written `-00:00`. The offset is kept so a
    /// message read and written again says the same. XML Schema allows offsets up to ±14:00 and no
    /// year 0000.
    public struct Time: Sendable, Hashable, CustomStringConvertible {
        /// The instant, to the second.
        public let date: Date
        /// The offset from UTC it is written with, in minutes.
        public let offsetMinutes: Int

        /// The largest offset from UTC XML Schema allows, in minutes (14:00).
        static let maximumOffsetMinutes = 14 * 60

        /// Creates a time from an instant, written in a time zone; fractions of a second are dropped.
        /// A zone more than 14 hours from UTC, which XML Schema refuses, is written as UTC.
        public init(_ date: Date, in zone: TimeZone) {
            let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
            let offset = zone.secondsFromGMT(for: whole) / 60
            self.date = whole
            self.offsetMinutes = abs(offset) <= Self.maximumOffsetMinutes ? offset : 0
        }

        /// Reads `YYYY-MM-DDThh:mm:ss±hh:mm`.
        ///
        /// - Throws: ``ValidationFailure`` for any other shape (a `Z`, fractions, a missing offset), an
        ///   impossible date or time, the year 0000 or an offset beyond ±14:00.
        public init(_ text: String) throws {
            let chars = Array(text.utf8)
            let shaped =
                chars.count == 25 && (chars[19] == UInt8(ascii: "+") || chars[19] == UInt8(ascii: "-"))
                && chars[22] == UInt8(ascii: ":")
                && chars.enumerated().allSatisfy { index, char in
                    [4, 7, 10, 13, 16, 19, 22].contains(index) || (char >= 48 && char <= 57)
                }
            guard shaped, let date = Instant.parse(text) else {
                throw ValidationFailure(
                    path: "",
                    reason: .invalidFormat,
                    message: "'\(text)' is not a CAP time (YYYY-MM-DDThh:mm:ss±hh:mm, no Z, no fractions)"
                )
            }
            let hours = Int(text.dropFirst(20).prefix(2))!
            let minutes = Int(text.suffix(2))!
            guard hours * 60 + minutes <= Self.maximumOffsetMinutes, !text.hasPrefix("0000") else {
                throw ValidationFailure(
                    path: "",
                    reason: .outOfRange,
                    message: "'\(text)' is out of range (no year 0000, offsets at most ±14:00)"
                )
            }
            self.date = date
            self.offsetMinutes = (hours * 60 + minutes) * (chars[19] == UInt8(ascii: "-") ? -1 : 1)
        }

        /// The time as CAP writes it; UTC as `-00:00`.
        public var text: String {
            let zone = TimeZone(secondsFromGMT: offsetMinutes * 60)!
            let formatted = Instant.format(date, in: zone)
            return offsetMinutes == 0 ? String(formatted.dropLast(6)) + "-00:00" : formatted
        }

        public var description: String { text }
    }
}

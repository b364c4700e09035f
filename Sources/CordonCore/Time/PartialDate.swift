public import Foundation

/// A calendar date that may be known only to the year or the month (`1974`, `1974-05`, `1974-05-12`).
///
/// Many lists know only a birth year, or an age from which a year follows. A partial date is a real
/// date: the month is 1–12 and the day exists in that month (29 February only in leap years).
public struct PartialDate: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The year, 1000–9999.
    public let year: Int
    /// The month, 1–12, when known.
    public let month: Int?
    /// The day of the month, when known (only with a month).
    public let day: Int?

    /// Creates a partial date, checking that it names a real date.
    ///
    /// - Throws: ``ValidationFailure`` naming the bad component.
    public init(year: Int, month: Int? = nil, day: Int? = nil) throws {
        var issues = IssueCollector()
        issues.check((1000...9999).contains(year), "", .outOfRange, "year \(year) must be between 1000 and 9999")
        if let month {
            issues.check((1...12).contains(month), "", .outOfRange, "month \(month) must be between 1 and 12")
        }
        if let day {
            if let month {
                if (1...12).contains(month) {
                    issues.check(
                        Self.isValidDay(year: year, month: month, day: day),
                        "",
                        .outOfRange,
                        "day \(day) does not exist in \(String(format: "%04d-%02d", year, month))"
                    )
                }
            } else {
                issues.add("", .inconsistent, "a day needs a month")
            }
        }
        try issues.finish()
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    ///
    /// - Throws: ``ValidationFailure`` when the text has another shape or names no real date.
    public init(_ text: String) throws {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        let lengths = [4, 2, 2]
        guard (1...3).contains(pieces.count),
            zip(pieces, lengths).allSatisfy({ $0.count == $1 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else {
            throw ValidationFailure(
                path: "",
                reason: .invalidFormat,
                message: "'\(text)' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            )
        }
        let numbers = pieces.map { Int($0)! }
        try self.init(
            year: numbers[0],
            month: numbers.count > 1 ? numbers[1] : nil,
            day: numbers.count > 2 ? numbers[2] : nil
        )
    }

    /// The year of birth of someone `age` years old on `date`, as seen in `zone` (the later possible year).
    public static func birthYear(forAge age: Int, on date: Date, in zone: TimeZone) throws -> PartialDate {
        guard (0...130).contains(age) else {
            throw ValidationFailure(path: "", reason: .outOfRange, message: "age \(age) must be between 0 and 130")
        }
        return try PartialDate(year: Instant.day(of: date, in: zone).year - age)
    }

    /// The precision of the date.
    public var precision: Precision {
        day != nil ? .day : month != nil ? .month : .year
    }

    /// How much of a date is known.
    public enum Precision: Sendable, Hashable {
        case year, month, day
    }

    /// Whether the earliest day the date can denote is after the day of `now` (in UTC).
    public func isAfter(_ now: Date) -> Bool {
        let today = Instant.day(of: now, in: TimeZone(secondsFromGMT: 0)!)
        return (year, month ?? 1, day ?? 1) > (today.year, today.month, today.day)
    }

    public var description: String {
        var text = String(format: "%04d", year)
        if let month { text += String(format: "-%02d", month) }
        if let day { text += String(format: "-%02d", day) }
        return text
    }

    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }

    public init(from decoder: any Decoder) throws {
        let path = CodingPath.render(decoder.codingPath)
        guard let text = try? decoder.singleValueContainer().decode(String.self) else {
            throw ValidationFailure(
                path: path,
                reason: .wrongType,
                message: "must be a date string (YYYY, YYYY-MM or YYYY-MM-DD)"
            )
        }
        do {
            try self.init(text)
        } catch let failure as ValidationFailure {
            throw failure.nested(under: path)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Civil calendar arithmetic (proleptic Gregorian), after Howard Hinnant's algorithms.

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func isValidDay(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

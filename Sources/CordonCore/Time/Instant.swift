public import Foundation

/// Parsing and rendering of absolute instants in ISO 8601 with an explicit offset.
///
/// Cordon stores instants as `Date` (absolute) and renders them with a zone only at the edges.
public enum Instant {
    /// Parses `2010-08-22T22:15:00+05:00`, `2010-08-22T17:15:00Z` or the same with fractional seconds.
    ///
    /// - Returns: the instant, or nil when the text is not such an instant or names an impossible time.
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let char = chars[index]
                guard char >= 48, char <= 57 else { return nil }
                value = value * 10 + Int(char - 48)
            }
            return value
        }
        guard chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 116, chars[13] == 58, chars[16] == 58,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                fraction += Double(chars[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < chars.count else { return nil }
        var offset = 0
        if chars[index] == 90 || chars[index] == 122 {
            guard index + 1 == chars.count else { return nil }
        } else {
            guard chars[index] == 43 || chars[index] == 45, index + 6 == chars.count, chars[index + 3] == 58,
                let oh = number(index + 1..<index + 3), let om = number(index + 4..<index + 6), oh <= 14, om < 60
            else { return nil }
            offset = (oh * 3600 + om * 60) * (chars[index] == 45 ? -1 : 1)
        }
        guard PartialDate.isValidDay(year: year, month: month, day: day), hour < 24, minute < 60, second < 60 else {
            return nil
        }
        let days = PartialDate.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Renders an instant in a zone as `2010-08-22T22:15:00+05:00` (`-00:00` never; UTC is `+00:00`).
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let (days, secondsOfDay) = floorDivide(local, 86_400)
        let (year, month, day) = PartialDate.civil(fromDays: days)
        let absOffset = abs(offset)
        // Written digit by digit: this runs for every time in every stored document and frame, and a
        // format string costs several times more.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        func put(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            if rest >= divisor * 10 {
                // A year past 9999: every digit.
                bytes.append(contentsOf: String(rest).utf8)
                return
            }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        if year < 0 {
            bytes.append(UInt8(ascii: "-"))
            put(-year, 4)
        } else {
            put(year, 4)
        }
        bytes.append(UInt8(ascii: "-"))
        put(month, 2)
        bytes.append(UInt8(ascii: "-"))
        put(day, 2)
        bytes.append(UInt8(ascii: "T"))
        put(secondsOfDay / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        put(secondsOfDay % 3600 / 60, 2)
        bytes.append(UInt8(ascii: ":"))
        put(secondsOfDay % 60, 2)
        bytes.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        put(absOffset / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        put(absOffset % 3600 / 60, 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Renders an instant for people: `2010-08-22 22:15 +05:00`.
    public static func display(_ date: Date, in zone: TimeZone) -> String {
        let full = format(date, in: zone)
        let chars = Array(full)
        return String(chars[0..<10]) + " " + String(chars[11..<16]) + " " + String(chars[19...])
    }

    /// The calendar day of an instant in a zone.
    public static func day(of date: Date, in zone: TimeZone) -> (year: Int, month: Int, day: Int) {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        return PartialDate.civil(fromDays: floorDivide(local, 86_400).0)
    }

    private static func floorDivide(_ value: Int, _ divisor: Int) -> (Int, Int) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }
}

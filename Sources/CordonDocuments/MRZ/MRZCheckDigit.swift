/// The ICAO Doc 9303 check digit: character values (`0`–`9` → 0–9, `A`–`Z` → 10–35, `<` → 0)
/// weighted 7, 3, 1 repeating, summed modulo 10.
public enum MRZCheckDigit {
    /// The value of one MRZ character, or `nil` for a character the zone does not allow.
    ///
    /// - Parameter byte: an ASCII byte.
    @inline(__always)
    public static func value(of byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A")) + 10
        case UInt8(ascii: "<"): 0
        default: nil
        }
    }

    /// The check digit of a run of MRZ characters; characters the zone does not allow count as 0.
    ///
    /// - Parameter bytes: the characters, ASCII.
    /// - Returns: a digit 0–9.
    public static func compute(_ bytes: some Sequence<UInt8>) -> Int {
        var sum = 0
        var weight = 0
        for byte in bytes {
            let w = weight == 0 ? 7 : weight == 1 ? 3 : 1
            sum += (value(of: byte) ?? 0) * w
            weight = weight == 2 ? 0 : weight + 1
        }
        return sum % 10
    }

    /// The check digit of a string of MRZ characters.
    ///
    /// - Parameter text: the characters.
    /// - Returns: a digit 0–9.
    public static func compute(_ text: String) -> Int {
        compute(text.utf8)
    }
}

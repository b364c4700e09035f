import CordonCore
import CordonDocuments
import Testing

@Suite struct PlateReadingTests {
    @Test(
        arguments: [
            // written, country, format, serial, region
            ("4519 АА 01", nil, "tajikistan", "4519AA", "01"),
            ("4519 AA", nil, "tajikistan", "4519AA", nil),
            ("0731 ДА 01", nil, "tajikistan", "0731ДA", "01"),
            ("А123ВС 77", nil, "russia", "A123BC", "77"),
            ("a123bc 777", nil, "russia", "A123BC", "777"),
            ("А123ВС", nil, "russia", "A123BC", nil),
            ("01 A 123 BC", nil, "uzbekistan_private", "A123BC", "01"),
            ("A 123 BC", "UZ", "uzbekistan_private", "A123BC", nil),
            ("A 123 DF", nil, "uzbekistan_private", "A123DF", nil),
            ("01 123 ABC", nil, "uzbekistan_legal", "123ABC", "01"),
            ("123 ABC", nil, "uzbekistan_legal", "123ABC", nil),
            ("KBL 12345", nil, "afghanistan", "12345", "KBL"),
            ("KBL 12345 PRV", nil, "afghanistan", "12345", "KBL"),
            ("کابل ۱۲۳۴۵", nil, "afghanistan", "12345", "KBL"),
            ("هرات ٤٥٦ ت", nil, "afghanistan", "456", "HRT"),
            ("12345", "AF", "afghanistan", "12345", nil),
        ] as [(String, String?, String, String, String?)]
    )
    func recognisesFormats(written: String, country: String?, format: String, serial: String, region: String?) throws {
        let plate = try PlateReading(written, country: country.map { try CountryCode($0) })
        #expect(plate.format?.identifier == format)
        #expect(plate.serial == serial)
        #expect(plate.region == region)
    }

    @Test func foldsLookAlikesSeparatorsAndDigits() throws {
        let cyrillic = try PlateReading("4519 АА-01")
        let latin = try PlateReading(" 4519.aa.01 ")
        #expect(cyrillic.canonical == "4519AA01")
        #expect(cyrillic.literal == "4519АА01")
        #expect(latin.canonical == cyrillic.canonical)
        #expect(cyrillic.hasFoldedLetters)
        #expect(!latin.hasFoldedLetters)
        #expect(try PlateReading("٤٥١٩ AA ٠١").canonical == "4519AA01")
        #expect(try PlateReading("۴۵۱۹ AA ۰۱").canonical == "4519AA01")
    }

    @Test func readsEveryPlateAVehicleMayHold() throws {
        for text in ["0731 ДА 01", "1234 ҶҚ 03", "ꙖꙖ 12", "ӣ-77", "Ѣ1", "1234 ab-01"] {
            let number = try PlateNumber(text)
            #expect(
                try PlateReading(number.text).canonical.unicodeScalars.count == number.canonical.unicodeScalars.count
            )
        }
    }

    @Test func keepsWellFormedPlatesOfNoKnownFormat() throws {
        let plate = try PlateReading("B-XY 1234")
        #expect(plate.format == nil)
        #expect(plate.region == nil)
        #expect(plate.serial == "BXY1234")
        #expect(plate.canonical == "BXY1234")
    }

    @Test func countryLimitsTheFormatsTried() throws {
        #expect(try PlateReading("01 A 123 BC", country: CountryCode("TJ")).format == nil)
        #expect(try PlateReading("A123BC77", country: CountryCode("UZ")).format == nil)
        #expect(try PlateReading("ABC 12", country: CountryCode("AF")).region == "ABC")
        #expect(try PlateReading("ABC 12").format == nil)
    }

    @Test(arguments: [
        ("", "needs letters and digits"),
        ("   ", "needs letters and digits"),
        ("AB", "at least one digit"),
        ("1", "2 to 12"),
        ("1234567890ABC", "2 to 12"),
        ("12#34", "'#' cannot appear"),
        ("12\n34", "U+A"),
        ("12🚗34", "cannot appear"),
        (String(repeating: "1 ", count: 30), "at most 40"),
    ])
    func refusesBadInputWithAClearError(text: String, message: String) {
        #expect {
            _ = try PlateReading(text)
        } throws: { error in
            guard let failure = error as? ValidationFailure else { return false }
            return failure.issues.count == 1 && failure.description.contains(message)
        }
    }

    @Test func neverCrashesOnRandomText() {
        var random = SplitMix64(seed: 7)
        let alphabet = Array(
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyzАВЕКМНОРСТХУДЖЧабвگکابلهرات۰۱۲٣٤ -.·_#/\\\n\t\u{0}é😀𝟘"
                .unicodeScalars
        )
        let listed = [try? PlateReading("4519 AA 01"), try? PlateReading("KBL 12345")].compactMap { $0 }
        var read = 0
        for _ in 0..<20_000 {
            let length = Int(random.next() % 16)
            var text = ""
            for _ in 0..<length { text.unicodeScalars.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
            guard let plate = try? PlateReading(text) else { continue }
            read += 1
            #expect((2...12).contains(plate.canonical.unicodeScalars.count))
            for other in listed {
                if let match = PlateMatcher.match(plate, other) {
                    #expect((0...1).contains(match.score))
                }
            }
        }
        #expect(read > 0)
    }
}

/// A small deterministic random number generator for tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

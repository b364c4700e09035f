import CordonCore
import Foundation
import Testing

@testable import CordonDocuments

/// The ICAO Doc 9303 specimens and the rules around them.
struct MRZParserTests {
    static let parser = MRZParser(today: try! PartialDate("2025-06-01"))

    static let td3 = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    static let td1 = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]
    static let td2 = [
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    ]
    static let mrvA = [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    ]
    static let mrvB = [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "L8988901C4XXX4009078F9612109<<<<<<<<",
    ]

    @Test(arguments: [("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 7), ("0123456789", 7), ("0123456789ABCDEF", 0)])
    func computesCheckDigits(text: String, digit: Int) {
        #expect(MRZCheckDigit.compute(text) == digit)
    }

    @Test func checkDigitsOfTheTD3Specimen() {
        #expect(MRZCheckDigit.compute("L898902C3") == 6)
        #expect(MRZCheckDigit.compute("740812") == 2)
        #expect(MRZCheckDigit.compute("120415") == 9)
        #expect(MRZCheckDigit.compute("ZE184226B<<<<<") == 1)
        #expect(MRZCheckDigit.compute("L898902C3674081221204159ZE184226B<<<<<1") == 0)
    }

    @Test func aZoneThatPassesEveryCheckCanStillBeExpired() throws {
        // The specimen expires on 15 April 2012: valid in 2010, expired in 2025, unknown without a day.
        let expired = try Self.parser.parse(Self.td3)
        #expect(expired.isValid && expired.isExpired == true)
        #expect(expired.readOn == (try PartialDate("2025-06-01")))
        let current = try MRZParser(today: try PartialDate("2010-08-23")).parse(Self.td3)
        #expect(current.isExpired == false)
        let lastDay = try MRZParser(today: try PartialDate("2012-04-15")).parse(Self.td3)
        #expect(lastDay.isExpired == false, "a document holds on its expiry day")
    }

    @Test func readsTheTD3Passport() throws {
        let document = try Self.parser.parse(Self.td3)
        #expect(document.format == .td3)
        #expect(document.isValid)
        #expect(document.documentCode == "P")
        #expect(document.issuingState == "UTO")
        #expect(document.documentNumber == "L898902C3")
        #expect(document.nationality == "UTO")
        #expect(document.birthDate?.description == "1974-08-12")
        #expect(document.expiryDate?.description == "2012-04-15")
        #expect(document.sex == .female)
        #expect(document.primaryName == "ERIKSSON")
        #expect(document.secondaryName == "ANNA MARIA")
        #expect(document.optionalData == "ZE184226B")
        #expect(!document.isNameTruncated)
        #expect(document.corrections.isEmpty)
        #expect(
            document.checks.map(\.name) == [
                "document_number", "birth_date", "expiry_date", "optional_data", "composite",
            ]
        )
        #expect(document.check("composite") == MRZCheck(name: "composite", passed: true, expected: "0", computed: "0"))
        #expect(document.field("birth_date")?.raw == "740812")
        #expect(document.field("name")?.value == "ERIKSSON ANNA MARIA")
        #expect(document.nationalityCountry == nil)
    }

    @Test func readsTheTD1IdentityCard() throws {
        let document = try Self.parser.parse(Self.td1)
        #expect(document.format == .td1)
        #expect(document.isValid)
        #expect(document.documentCode == "I")
        #expect(document.documentNumber == "D23145890")
        #expect(document.birthDate?.description == "1974-08-12")
        #expect(document.expiryDate?.description == "2012-04-15")
        #expect(document.nationality == "UTO")
        #expect(document.fullName == "ERIKSSON ANNA MARIA")
        #expect(document.checks.map(\.name) == ["document_number", "birth_date", "expiry_date", "composite"])
        #expect(document.field("optional_data_2")?.line == 1)
    }

    @Test func readsTheTD2Document() throws {
        let document = try Self.parser.parse(Self.td2)
        #expect(document.format == .td2)
        #expect(document.isValid)
        #expect(document.documentNumber == "D23145890")
        #expect(document.fullName == "ERIKSSON ANNA MARIA")
        #expect(document.checks.map(\.name) == ["document_number", "birth_date", "expiry_date", "composite"])
    }

    @Test func readsTheMRVAVisa() throws {
        let document = try Self.parser.parse(Self.mrvA)
        #expect(document.format == .mrvA)
        #expect(document.isValid)
        #expect(document.documentCode == "V")
        #expect(document.documentNumber == "L8988901C")
        #expect(document.nationality == "XXX")
        #expect(document.birthDate?.description == "1940-09-07")
        #expect(document.expiryDate?.description == "1996-12-10")
        #expect(document.optionalData == "6ZE184226B")
        #expect(document.checks.map(\.name) == ["document_number", "birth_date", "expiry_date"])
    }

    @Test func readsTheMRVBVisa() throws {
        let document = try Self.parser.parse(Self.mrvB)
        #expect(document.format == .mrvB)
        #expect(document.isValid)
        #expect(document.documentNumber == "L8988901C")
        #expect(document.checks.map(\.name) == ["document_number", "birth_date", "expiry_date"])
    }

    @Test func acceptsLowerCaseAndSurroundingSpaces() throws {
        let document = try Self.parser.parse(["  " + Self.td3[0].lowercased(), Self.td3[1] + "\n"])
        #expect(document.isValid)
        #expect(document.primaryName == "ERIKSSON")
    }

    // MARK: - OCR

    @Test func correctsDigitsInLetterFields() throws {
        let document = try Self.parser.parse([
            "P<UT0ER1KSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", Self.td3[1],
        ])
        #expect(document.isValid)
        #expect(document.issuingState == "UTO")
        #expect(document.primaryName == "ERIKSSON")
        #expect(document.secondaryName == "ANNA MARIA")
        #expect(Set(document.corrections.map(\.field)) == ["issuing_state", "name"])
        #expect(document.field("name")?.raw.hasPrefix("ER1KSS0N") == true)
    }

    @Test func correctsLettersInDatesAndCheckDigits() throws {
        let document = try Self.parser.parse([
            Self.td3[0], "L898902C36UTO74O8I22F12O4I59ZE184226B<<<<<IO",
        ])
        #expect(document.isValid)
        #expect(document.birthDate?.description == "1974-08-12")
        #expect(document.expiryDate?.description == "2012-04-15")
        #expect(document.corrections.map(\.field) == ["birth_date", "expiry_date", "optional_data", "composite"])
        #expect(
            document.corrections[0]
                == MRZCorrection(
                    field: "birth_date",
                    read: "74O8I2",
                    corrected: "740812",
                    reason: "letter read in a date"
                )
        )
    }

    @Test func correctsADocumentNumberWhereTheCheckDigitDecides() throws {
        // L898902C3 read as L8989O2C3: O fails the check digit, 0 passes.
        let document = try Self.parser.parse([Self.td3[0], "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"])
        #expect(document.isValid)
        #expect(document.documentNumber == "L898902C3")
        #expect(
            document.corrections == [
                MRZCorrection(
                    field: "document_number",
                    read: "L8989O2C3",
                    corrected: "L898902C3",
                    reason: "only this reading passes the check digit"
                )
            ]
        )
        #expect(document.field("document_number")?.raw == "L8989O2C3")
    }

    @Test func correctsTheOptionalDataWhereTheCheckDigitDecides() throws {
        // ZE184226B read as ZE1B4226B.
        let document = try Self.parser.parse([Self.td3[0], "L898902C36UTO7408122F1204159ZE1B4226B<<<<<10"])
        #expect(document.isValid)
        #expect(document.optionalData == "ZE184226B")
        #expect(document.corrections.map(\.field) == ["optional_data"])
    }

    @Test func leavesAValidLetterInADocumentNumberAlone() throws {
        // The C of L898902C3 could be nothing else; the B of ZE184226B passes its check as read.
        let document = try Self.parser.parse(Self.td3)
        #expect(document.corrections.isEmpty)
    }

    // MARK: - Failures

    @Test func rejectsAWrongDocumentNumberCheckDigit() throws {
        let document = try Self.parser.parse([Self.td3[0], "L898902C37UTO7408122F1204159ZE184226B<<<<<10"])
        #expect(!document.isValid)
        #expect(
            document.check("document_number")
                == MRZCheck(
                    name: "document_number",
                    passed: false,
                    expected: "7",
                    computed: "6"
                )
        )
        let paths = document.failure?.issues.map(\.path) ?? []
        #expect(paths.contains("document_number"))
        #expect(paths.contains("composite"))
    }

    @Test(arguments: [
        (1, 19, "birth_date"), (1, 27, "expiry_date"), (1, 42, "optional_data"), (1, 43, "composite"),
    ])
    func rejectsEachWrongTD3CheckDigit(line: Int, position: Int, field: String) throws {
        var lines = Self.td3
        lines[line] = Self.replacing(lines[line], at: position, with: "3")
        let document = try Self.parser.parse(lines)
        #expect(!document.isValid)
        #expect(document.check(field)?.passed == false)
        #expect(document.failure?.issues.first?.path == field)
    }

    @Test func rejectsAWrongTD1CheckDigit() throws {
        var lines = Self.td1
        lines[1] = Self.replacing(lines[1], at: 6, with: "3")
        let document = try Self.parser.parse(lines)
        #expect(document.check("birth_date")?.passed == false)
        #expect(document.check("composite")?.passed == false)
    }

    @Test func rejectsAWrongVisaCheckDigit() throws {
        var lines = Self.mrvB
        lines[1] = Self.replacing(lines[1], at: 9, with: "5")
        let document = try Self.parser.parse(lines)
        #expect(document.failure?.issues.map(\.path) == ["document_number"])
    }

    @Test func reportsImpossibleDatesAndSexes() throws {
        var line = "L898902C36UTO7413122Q1204159ZE184226B<<<<<10"
        line = Self.replacing(line, at: 19, with: String(MRZCheckDigit.compute("741312")))
        let document = try Self.parser.parse([Self.td3[0], line])
        let paths = document.problems.map(\.path)
        #expect(paths.contains("birth_date"))
        #expect(paths.contains("sex"))
        #expect(document.birthDate == nil)
    }

    // MARK: - Shape

    @Test func namesTheLineOfTheWrongLength() {
        #expect {
            try Self.parser.parse([Self.td3[0], String(Self.td3[1].dropLast())])
        } throws: { error in
            (error as? ValidationFailure)?.issues.map(\.path) == ["[1]"]
        }
    }

    @Test func namesTheLineWithAnIllegalCharacter() {
        #expect {
            try Self.parser.parse([Self.td3[0].replacingOccurrences(of: "ANNA", with: "AN-A"), Self.td3[1]])
        } throws: { error in
            let issue = (error as? ValidationFailure)?.issues.first
            return issue?.path == "[0]" && issue?.message.contains("position 18") == true
        }
    }

    @Test func rejectsAZoneOfOneOrFourLines() {
        #expect(throws: ValidationFailure.self) { try Self.parser.parse([Self.td3[0]]) }
        #expect(throws: ValidationFailure.self) { try Self.parser.parse(Self.td1 + ["X"]) }
    }

    @Test func rejectsTwoLinesThatFitNoLayout() {
        #expect {
            try Self.parser.parse(["P<UTO", "L898"])
        } throws: { error in
            (error as? ValidationFailure)?.issues.map(\.path) == ["[0]", "[1]"]
        }
    }

    // MARK: - Centuries

    @Test(arguments: [
        ("250601", "2025-06-01"), ("250602", "1925-06-02"), ("000229", "2000-02-29"), ("991231", "1999-12-31"),
        ("25<<<<", "2025"), ("26<<<<", "1926"),
    ])
    func putsBirthDatesInTheMostRecentPastCentury(yymmdd: String, iso: String) throws {
        let document = try Self.parser.parse([Self.td3[0], Self.td3Line2(birth: yymmdd, expiry: "300101")])
        #expect(document.birthDate?.description == iso)
        #expect(document.check("birth_date")?.passed == true)
    }

    @Test(arguments: [
        ("350601", "2035-06-01"), ("350602", "1935-06-02"), ("120415", "2012-04-15"), ("990101", "1999-01-01"),
        ("340101", "2034-01-01"),
    ])
    func putsExpiryDatesWithinTenYearsOfToday(yymmdd: String, iso: String) throws {
        let document = try Self.parser.parse([Self.td3[0], Self.td3Line2(birth: "740812", expiry: yymmdd)])
        #expect(document.expiryDate?.description == iso)
    }

    @Test func rejectsTheTwentyNinthOfFebruaryInACommonYear() throws {
        let document = try Self.parser.parse([Self.td3[0], Self.td3Line2(birth: "010229", expiry: "300101")])
        #expect(document.problems.map(\.path) == ["birth_date"])
    }

    @Test func takesTodayFromAnInstant() throws {
        // 2010-08-22T20:00:00Z is already the 23rd in Dushanbe.
        let instant = Date(timeIntervalSince1970: 1_282_507_200)
        let parser = MRZParser(now: instant, timeZone: TimeZone(identifier: "Asia/Dushanbe")!)
        #expect(parser.today == (2010, 8, 23) as (Int, Int, Int))
    }

    // MARK: - Names

    @Test func flagsANameThatFillsItsField() throws {
        let document = try Self.parser.parse([
            "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "NILAVADHANANANDA<<CHAYAPATRAPH",
        ])
        #expect(document.isNameTruncated)
        #expect(document.primaryName == "NILAVADHANANANDA")
        #expect(document.secondaryName == "CHAYAPATRAPH")
    }

    @Test func readsANameWithoutSecondaryIdentifier() throws {
        let document = try Self.parser.parse(
            [
                "P<UTOZIEEV<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", Self.td3[1],
            ].map { String($0.prefix(44)) }
        )
        #expect(document.primaryName == "ZIEEV")
        #expect(document.secondaryName == "")
    }

    // MARK: - Long TD1 document numbers

    @Test func readsALongTD1DocumentNumber() throws {
        let number = "D23145890123"
        let check = MRZCheckDigit.compute(number)
        let line1 = "I<UTOD23145890<123\(check)<<<<<<<<<<<"
        var line2 = "7408122F1204159UTO<<<<<<<<<<<0"
        let composite = MRZCheckDigit.compute(
            Array(line1.utf8)[5..<30] + Array(line2.utf8)[0..<7] + Array(line2.utf8)[8..<15]
                + Array(line2.utf8)[18..<29]
        )
        line2 = Self.replacing(line2, at: 29, with: String(composite))
        let document = try Self.parser.parse([line1, line2, Self.td1[2]])
        #expect(document.documentNumber == number)
        #expect(document.isValid)
    }

    // MARK: - Countries

    @Test(arguments: [("TJK", "TJ"), ("RUS", "RU"), ("D", "DE"), ("GBD", "GB"), ("AFG", "AF"), ("UZB", "UZ")])
    func mapsICAOCodesToISO(icao: String, iso: String) {
        #expect(ICAOCountry.countryCode(for: icao)?.rawValue == iso)
    }

    @Test(arguments: ["UTO", "XXX", "XXA", "UNO", "EUE", "QQQ"])
    func mapsSpecialCodesToNoCountry(icao: String) {
        #expect(ICAOCountry.countryCode(for: icao) == nil)
    }

    @Test func coversEveryISOCountry() {
        #expect(ICAOCountry.alpha3ToAlpha2.count == 249)
        #expect(Set(ICAOCountry.alpha3ToAlpha2.values) == CountryCode.assigned)
    }

    // MARK: - Helpers

    static func replacing(_ line: String, at position: Int, with text: String) -> String {
        var characters = Array(line)
        characters.replaceSubrange(position..<position + text.count, with: Array(text))
        return String(characters)
    }

    /// The TD3 specimen's second line with other dates, every check digit recomputed.
    static func td3Line2(birth: String, expiry: String) -> String {
        let number = "L898902C3"
        let optional = "ZE184226B<<<<<"
        let body =
            number + String(MRZCheckDigit.compute(number)) + "UTO" + birth + String(MRZCheckDigit.compute(birth)) + "F"
            + expiry + String(MRZCheckDigit.compute(expiry)) + optional + String(MRZCheckDigit.compute(optional))
        let bytes = Array(body.utf8)
        let composite = MRZCheckDigit.compute(bytes[0..<10] + bytes[13..<20] + bytes[21..<43])
        return body + String(composite)
    }
}

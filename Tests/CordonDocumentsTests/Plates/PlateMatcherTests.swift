import CordonDocuments
import Testing

@Suite struct PlateMatcherTests {
    private func match(_ read: String, _ listed: String) throws -> PlateMatch? {
        PlateMatcher.match(try PlateReading(read), try PlateReading(listed))
    }

    @Test func samePlateIsExact() throws {
        let match = try #require(try match("4519 АА 01", "4519АА-01"))
        #expect(match.rule == .exact)
        #expect(match.score == 1)
    }

    @Test func latinReadingOfACyrillicPlateMatchesAsLookAlike() throws {
        let match = try #require(try match("4519 AA 01", "4519 АА 01"))
        #expect(match.rule == .lookAlike)
        #expect(match.score >= 0.99)
        #expect(match.summary.contains("look-alike"))
    }

    @Test(arguments: [
        ("1164 AV 01", "1164 АВ 01"), ("0731 DA 01", "0731 ДА 01"), ("1164 АВ 01", "1164 AV 01"),
        ("R 123 SN 77", "Р123СН77"), ("0731 KHA 01", "0731 ХА 01"),
    ])
    func aCyrillicPlateWrittenBySoundIsTheSamePlate(read: String, listed: String) throws {
        let match = try #require(try match(read, listed))
        #expect(match.rule == .transliterated)
        #expect(match.score == 0.97)
        #expect(match.summary.contains("written by sound"))
        #expect(!match.isRegionIgnored)
    }

    @Test func aPlateWrittenBySoundWithoutItsRegionIsFoundAsWell() throws {
        let spoken = try #require(try match("1164 AV", "1164 АВ 01"))
        #expect(spoken.rule == .transliterated)
        #expect(spoken.isRegionIgnored)
        #expect(spoken.score >= PlateMatcher.defaultThreshold && spoken.score < 0.97)
        #expect(spoken.summary.contains("В as V"))
        #expect(spoken.summary.contains("region 01 not written"))
        // Written by sound, another letter is still another plate.
        #expect(try match("1164 AN 01", "1164 АВ 01")?.rule != .transliterated)
        #expect(try match("1164 AV 02", "1164 АВ 01")?.rule != .transliterated)
    }

    @Test(arguments: [
        ("4519 AA", "4519 АА 01"), ("4519 АА 01", "4519 AA"), ("A123BC", "А123ВС 777"), ("A 123 BC", "01 A 123 BC"),
        ("12345", "KBL 12345"), ("123 ABC", "01 123 ABC"),
    ])
    func matchesWhetherOrNotTheRegionIsWritten(read: String, listed: String) throws {
        let match = try #require(try match(read, listed))
        #expect(match.rule == .withoutRegion)
        #expect(match.score >= 0.9)
        #expect(match.isRegionIgnored)
    }

    @Test func sameSerialInAnotherRegionIsWeak() throws {
        let match = try #require(try match("4519 AA 03", "4519 AA 17"))
        #expect(match.rule == .otherRegion)
        #expect(match.score < PlateMatcher.defaultThreshold)
    }

    @Test func oneTypicalMisreadScoresAboveAnArbitraryOne() throws {
        let typical = try #require(try match("0731 ДА O1", "0731 ДА 01"))
        #expect(typical.rule == .misread)
        #expect(typical.position == 7)
        #expect(typical.listedCharacter == "0")
        #expect(typical.readCharacter == "O")
        #expect(typical.summary.contains("position 7: '0' read as 'O'"))
        let zero = try #require(try match("4519 AA 0I", "4519 AA 01"))
        #expect(zero.rule == .misread)
        #expect(zero.confusion == 1)
        #expect(zero.score >= PlateMatcher.defaultThreshold)
        let arbitrary = try #require(try match("4519 AK 01", "4519 AA 01"))
        #expect(arbitrary.rule == .misread)
        #expect(arbitrary.confusion == 0)
        #expect(arbitrary.score < zero.score)
        #expect(arbitrary.score > 0.5)
    }

    @Test func misreadInAReadingWithoutRegion() throws {
        let match = try #require(try match("4S19 AA", "4519 АА 01"))
        #expect(match.rule == .misread)
        #expect(match.isRegionIgnored)
        #expect(match.summary.contains("'5' read as 'S'"))
        #expect(match.summary.contains("region 01 not written"))
    }

    @Test func transpositionAndDroppedOrExtraCharactersAreWeaker() throws {
        let swapped = try #require(try match("4159 AA 01", "4519 AA 01"))
        #expect(swapped.rule == .transposed)
        #expect(swapped.position == 2)
        let dropped = try #require(try match("459 AA 01", "4519 AA 01"))
        #expect(dropped.rule == .dropped)
        #expect(dropped.listedCharacter == "1")
        let extra = try #require(try match("45199 AA 01", "4519 AA 01"))
        #expect(extra.rule == .extra)
        for weak in [swapped, dropped, extra] { #expect(weak.score < 0.85) }
    }

    @Test(arguments: [
        ("4519 AB 02", "4519 AA 01"), ("4591 AA 07", "4519 AA 01"), ("8519 AA 07", "4519 AA 01"),
        ("4519 KK 01", "4519 AA 01"), ("KBL 12346", "HRT 12345"),
    ])
    func twoDifferencesDoNotMatchOrMatchOnlyWeakly(read: String, listed: String) throws {
        let match = try match(read, listed)
        #expect((match?.score ?? 0) < PlateMatcher.defaultThreshold)
    }

    @Test func unrecognisedPlatesMatchOnTheirCanonicalForm() throws {
        #expect(try match("B-XY 1234", "bxy1234")?.rule == .exact)
        #expect(try match("B-XY 1Z34", "BXY 1234")?.rule == .misread)
    }
}

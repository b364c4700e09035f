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
        let typical = try #require(try match("0731 DA 01", "0731 ДА 01"))
        #expect(typical.rule == .misread)
        #expect(typical.position == 5)
        #expect(typical.listedCharacter == "Д")
        #expect(typical.readCharacter == "D")
        #expect(typical.summary.contains("position 5: 'Д' read as 'D'"))
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

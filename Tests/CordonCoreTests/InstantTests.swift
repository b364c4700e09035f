import CordonCore
import Foundation
import Testing

@Suite struct InstantTests {
    @Test func parsesOffsetsAndUTC() throws {
        let local = try #require(Instant.parse("2010-08-23T01:10:00+05:00"))
        let utc = try #require(Instant.parse("2010-08-22T20:10:00Z"))
        #expect(local == utc)
        #expect(local.timeIntervalSince1970 == 1_282_507_800)
        let fraction = try #require(Instant.parse("2010-08-22T20:10:00.250Z"))
        #expect(fraction.timeIntervalSince(utc) == 0.25)
    }

    @Test(arguments: [
        "2010-08-23", "2010-08-23T01:10:00", "2010-02-30T00:00:00Z", "2010-08-23T24:00:00Z", "2010-08-23T01:10:00+5:00",
        "2010-08-23 01:10:00Z", "2010-08-23T01:10:00.Z", "garbage", "",
    ])
    func rejectsMalformedInstants(_ text: String) {
        #expect(Instant.parse(text) == nil)
    }

    @Test func rendersInAZoneWithTheZoneShown() throws {
        let instant = try #require(Instant.parse("2010-08-22T20:10:00Z"))
        let dushanbe = try #require(TimeZone(identifier: "Asia/Dushanbe"))
        #expect(Instant.format(instant, in: dushanbe) == "2010-08-23T01:10:00+05:00")
        #expect(Instant.display(instant, in: dushanbe) == "2010-08-23 01:10 +05:00")
        #expect(Instant.format(instant, in: TimeZone(secondsFromGMT: -3600 * 3 - 1800)!) == "2010-08-22T16:40:00-03:30")
        let day = Instant.day(of: instant, in: dushanbe)
        #expect(day.year == 2010 && day.month == 8 && day.day == 23)
    }

    @Test func roundTripsOverCenturies() throws {
        for text in [
            "1900-03-01T00:00:00+00:00", "1969-12-31T23:59:59+00:00", "2000-02-29T12:00:00+00:00",
            "2099-12-31T23:59:59+00:00", "0999-01-02T03:04:05+00:00", "0001-01-01T00:00:00+00:00",
        ] {
            let instant = try #require(Instant.parse(text))
            #expect(Instant.format(instant, in: TimeZone(secondsFromGMT: 0)!) == text)
        }
    }

    @Test func padsEveryFieldAndShowsAFarYearWhole() {
        // 10000-01-01T00:00:00Z
        let far = Date(timeIntervalSince1970: 253_402_300_800)
        #expect(Instant.format(far, in: TimeZone(secondsFromGMT: 0)!) == "10000-01-01T00:00:00+00:00")
        let early = Date(timeIntervalSince1970: 61)
        #expect(Instant.format(early, in: TimeZone(secondsFromGMT: 5 * 3600 + 45 * 60)!) == "1970-01-01T05:46:01+05:45")
    }
}

import CordonCore
import Foundation
import Testing

private let now = Instant.parse("2010-08-23T06:00:00+05:00")!
private let context = ValidationContext(now: now)

private func issues(_ body: () throws -> Void) -> [ValidationFailure.Issue] {
    do {
        try body()
        return []
    } catch let failure as ValidationFailure {
        return failure.issues
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

private func name(_ given: String = "Abdurasul", _ family: String = "Mirzoyev") throws -> PersonName {
    try PersonName(given: given, family: family)
}

@Suite struct ModelValidationTests {
    @Test(arguments: ["", "   ", "\u{7}bell"])
    func rejectsEmptyOrControlNamePart(_ value: String) {
        let found = issues { _ = try PersonName.Part(.given, value) }
        #expect(found.map(\.path) == ["value"])
    }

    @Test func rejectsNameWithoutParts() {
        let found = issues { _ = try PersonName(parts: []) }
        #expect(found.first?.path == "parts")
        #expect(found.first?.reason == .empty)
    }

    @Test func namesTheBadPartOfAGivenFamilyName() {
        let found = issues { _ = try PersonName(given: "Abdurasul", patronymic: " ", family: "") }
        #expect(found.map(\.path) == ["patronymic.value", "family.value"])
    }

    @Test func rejectsFutureBirthDate() throws {
        let id = try PersonID("p-1")
        let found = issues {
            _ = try Person(id: id, name: try name(), birthDate: try PartialDate("2011"), context: context)
        }
        #expect(found.map(\.path) == ["birth_date"])
        #expect(found.first?.reason == .inFuture)
        // The same date is fine for a reader who does not know what "now" is, and a past date always is.
        _ = try Person(id: id, name: try name(), birthDate: try PartialDate("2011"), context: .structural)
        _ = try Person(id: id, name: try name(), birthDate: try PartialDate("2010-08"), context: context)
    }

    @Test(arguments: [
        "2010-02-30", "1990-13", "1990-00", "2011-02-29", "199", "1990-1-01", "1990/01/01", "abcd", "0999",
    ])
    func rejectsImpossiblePartialDate(_ text: String) {
        let found = issues { _ = try PartialDate(text) }
        #expect(!found.isEmpty, "\(text) should be rejected")
    }

    @Test(arguments: ["1974", "1974-05", "2000-02-29", "1996-02-29", "1974-12-31"])
    func acceptsRealPartialDates(_ text: String) throws {
        #expect(try PartialDate(text).description == text)
    }

    @Test func partialDatesKnowTheirPrecisionAndOrder() throws {
        #expect(try PartialDate("1974").precision == .year)
        #expect(try PartialDate("1974-05").precision == .month)
        #expect(try PartialDate("1974-05-12").precision == .day)
        #expect(try PartialDate("1974") < PartialDate("1974-01"))
        #expect(try PartialDate.birthYear(forAge: 30, on: now, in: TimeZone(identifier: "Asia/Dushanbe")!).year == 1980)
    }

    @Test(arguments: ["XX", "ZZ", "TJK", "T", "", "1A", "UK"])
    func rejectsUnknownCountryCode(_ code: String) {
        let found = issues { _ = try CountryCode(code) }
        #expect(!found.isEmpty)
    }

    @Test func acceptsCountryCodesInAnyCase() throws {
        #expect(try CountryCode(" tj ").rawValue == "TJ")
        #expect(try CountryCode("AF") < CountryCode("UZ"))
        #expect(CountryCode.assigned.count == 249)
    }

    @Test(arguments: ["", "A", "ABCDEF", "12!34", "0123 ТТ 01 2345678", "--", "١٢٣٤"])
    func rejectsMalformedPlate(_ plate: String) {
        let found = issues { _ = try PlateNumber(plate) }
        #expect(found.first?.reason == .invalidFormat, "\(plate) should be rejected")
    }

    @Test func foldsCyrillicLookAlikesInPlates() throws {
        let cyrillic = try PlateNumber("0123 ТТ 01")
        let latin = try PlateNumber("0123-tt-01")
        #expect(cyrillic.canonical == "0123TT01")
        #expect(cyrillic.canonical == latin.canonical)
        #expect(cyrillic.text == "0123 ТТ 01")
        #expect(try PlateNumber("01 Ж 123 ДЖ").canonical == "01Ж123ДЖ")
    }

    @Test(arguments: [
        (91.0, 0.0, ["lat"]), (0.0, 180.5, ["lon"]), (-90.1, -181.0, ["lat", "lon"]), (Double.nan, 0.0, ["lat"]),
    ])
    func rejectsCoordinatesOutOfRange(_ latitude: Double, _ longitude: Double, _ paths: [String]) {
        let found = issues { _ = try Coordinates(latitude: latitude, longitude: longitude) }
        #expect(found.map(\.path) == paths)
    }

    @Test func measuresDistances() throws {
        let dushanbe = try Coordinates(latitude: 38.5598, longitude: 68.787)
        let khujand = try Coordinates(latitude: 40.2826, longitude: 69.6222)
        let distance = dushanbe.distance(to: khujand)
        #expect(distance > 200 && distance < 210)
        #expect(dushanbe.distance(to: dushanbe) == 0)
    }

    @Test func refusesDeadToAtLarge() throws {
        let escaped = Instant.parse("2010-08-23T01:10:00+05:00")!
        let wanted = try Wanted(reason: "escaped", history: [try .init(status: .atLarge, at: escaped)])
        let dead = try wanted.changingStatus(to: .dead, at: escaped.addingTimeInterval(86_400))
        #expect(dead.status == .dead)
        let found = issues { _ = try dead.changingStatus(to: .atLarge, at: escaped.addingTimeInterval(2 * 86_400)) }
        #expect(found.map(\.path) == ["status"])
        #expect(found.first?.reason == .notAllowed)
        #expect(found.first?.message.contains("dead to at large") == true)
    }

    @Test func allowsTheStatusChangesThatHappen() throws {
        #expect(WantedStatus.atLarge.canChange(to: .captured))
        #expect(WantedStatus.captured.canChange(to: .atLarge))
        #expect(WantedStatus.cleared.canChange(to: .atLarge))
        #expect(!WantedStatus.dead.canChange(to: .captured))
        #expect(!WantedStatus.atLarge.canChange(to: .atLarge))
    }

    @Test func refusesStatusChangeBackInTime() throws {
        let escaped = Instant.parse("2010-08-23T01:10:00+05:00")!
        let wanted = try Wanted(reason: "escaped", history: [try .init(status: .atLarge, at: escaped)])
        let found = issues { _ = try wanted.changingStatus(to: .captured, at: escaped.addingTimeInterval(-60)) }
        #expect(found.first?.reason == .inconsistent)
    }

    @Test func personStatusChangeRequiresAWantedPerson() throws {
        let person = try Person(id: try PersonID("p-1"), name: try name(), context: context)
        let found = issues { _ = try person.changingStatus(to: .captured, at: now) }
        #expect(found.map(\.path) == ["wanted"])
    }

    @Test(arguments: ["", "Upper", "with space", "-lead", String(repeating: "a", count: 65), "ok/slash"])
    func rejectsBadIdentifiers(_ text: String) {
        #expect(PersonID(rawValue: text) == nil)
        #expect(!issues { _ = try PersonID(text) }.isEmpty)
    }

    @Test func documentNumbersAndDatesAreChecked() throws {
        let tj = try CountryCode("TJ")
        let found = issues {
            _ = try TravelDocument(
                kind: .passport,
                country: tj,
                number: "45#12",
                issued: try PartialDate("2009"),
                expires: try PartialDate("2005")
            )
        }
        #expect(found.map(\.path) == ["number", "expires"])
        #expect(try TravelDocument(kind: .passport, country: tj, number: " a1234567 ").number == "A1234567")
    }

    @Test func checkpointKindsAndBorders() throws {
        let location = try Coordinates(latitude: 37.2, longitude: 68.6)
        let found = issues {
            _ = try Checkpoint(
                id: try CheckpointID("cp-1"),
                name: "Panji Poyon",
                kind: .borderCrossing,
                location: location,
                region: "Khatlon"
            )
        }
        #expect(found.map(\.path) == ["border_with"])
        let road = issues {
            _ = try Checkpoint(
                id: try CheckpointID("cp-2"),
                name: "Vahdat",
                kind: .road,
                location: location,
                region: "RRP",
                borderWith: try CountryCode("AF")
            )
        }
        #expect(road.map(\.path) == ["border_with"])
    }

    @Test func relationsPointAtTheRightKind() throws {
        let person = try PersonID("p-1")
        #expect(
            issues { _ = try Relation(kind: .memberOf, from: person, to: .person(try PersonID("p-2"))) }.map(\.path)
                == ["to"]
        )
        #expect(issues { _ = try Relation(kind: .relativeOf, from: person, to: .person(person)) }.map(\.path) == ["to"])
        #expect(
            issues { _ = try Relation(kind: .associateOf, from: person, to: .organization(try OrganizationID("imu"))) }
                .count == 1
        )
        #expect(throws: ValidationFailure.self) { try Relation.Subject("team:x") }
    }

    @Test func sightingsNameSomebody() throws {
        let found = issues {
            _ = try Sighting(
                id: try SightingID("s-1"),
                observedAt: now,
                location: try Coordinates(latitude: 38.9, longitude: 69.5),
                source: .publicTip,
                checkpoint: try CheckpointID("cp-1"),
                confidence: .low
            )
        }
        #expect(found.map(\.path) == ["person", "checkpoint"])
    }

    @Test func guardPostSchedulesAreBounded() throws {
        let found = issues {
            _ = try GuardPost(
                id: try GuardPostID("post-1"),
                name: "Corridor",
                kind: .internal,
                checkInIntervalMinutes: 0,
                graceMinutes: 500
            )
        }
        #expect(found.map(\.path) == ["check_in_interval_minutes", "grace_minutes"])
    }

    @Test func incidentStatusMovesForwardOnly() {
        #expect(Incident.Status.raised.canChange(to: .confirmed))
        #expect(Incident.Status.confirmed.canChange(to: .closed))
        #expect(!Incident.Status.closed.canChange(to: .raised))
        #expect(!Incident.Status.confirmed.canChange(to: .raised))
    }
}

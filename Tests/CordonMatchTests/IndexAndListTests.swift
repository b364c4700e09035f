import Foundation
import Testing

@testable import CordonMatch

struct IndexUpdateTests {
    @Test("Entries are added, changed and removed without a rebuild")
    func incrementalUpdates() throws {
        var index = ScreeningIndex(entries: Fixtures.entries)
        let query = ScreeningQuery(name: "Rustam Sharipov")
        #expect(try index.screen(query).first?.entryID != "new")

        index.upsert(WatchlistEntry(id: "new", name: "Рустам Шарипов"))
        #expect(index.count == Fixtures.entries.count + 1)
        #expect(try index.screen(query).first?.entryID == "new")

        index.upsert(WatchlistEntry(id: "new", name: "Rustam Sharipov", aliases: ["Rustam Sharifov"]))
        #expect(index.count == Fixtures.entries.count + 1)
        #expect(try index.screen(ScreeningQuery(name: "Sharifov Rustam")).first?.entryID == "new")

        let removed = index.remove(id: "new")
        let removedAgain = index.remove(id: "new")
        #expect(removed)
        #expect(!removedAgain)
        #expect(try index.screen(query).allSatisfy { $0.entryID != "new" })
        #expect(index.entry(id: "new") == nil)
    }

    @Test("Many removals compact the postings and keep results right")
    func compaction() throws {
        var index = ScreeningIndex()
        for i in 0..<2_500 { index.upsert(WatchlistEntry(id: "e\(i)", name: "Name\(i) Surname\(i)ov")) }
        for i in 0..<2_400 { index.remove(id: "e\(i)") }
        #expect(index.count == 100)
        #expect(index.slots.count < 2_500)
        #expect(try index.screen(ScreeningQuery(name: "Name2450 Surname2450ov")).first?.entryID == "e2450")
    }
}

struct ListReaderTests {
    @Test("Cordon JSON lines load, bad lines are reported with number and reason")
    func cordonFormat() {
        let text = """
            {"id": "a1", "type": "person", "name": "Зиёев Абдулло", "aliases": ["Ziyoyev Abdullo"], "weak_aliases": [], "birth_dates": ["1973-04-12"], "nationalities": ["tj"], "gender": "male"}
            {"id": "a2", "type": "organization", "name": "Islamic Movement of Uzbekistan", "aliases": ["IMU"]}
            this is not json

            {"id": "a3", "type": "person"}
            {"id": "a4", "type": "spaceship", "name": "X"}
            [1, 2]
            {"id": "a5", "name": "Bad Date", "birth_dates": ["1963-27-11"]}
            """
        let result = WatchlistReader.parse(text)
        #expect(result.entries.map(\.id) == ["a1", "a2", "a5"])
        #expect(result.entries[0].birthDates == [ScreeningDate(year: 1973, month: 4, day: 12)!])
        #expect(result.entries[0].nationalities == ["TJ"])
        #expect(result.entries[1].kind == .organization)
        #expect(result.issues.map(\.line) == [3, 5, 6, 7, 8])
        #expect(result.issues[0].reason == "not valid JSON")
        #expect(result.issues[1].reason.contains("name"))
        #expect(result.issues[2].reason.contains("spaceship"))
        #expect(!result.issues[4].isSkipped)
    }

    @Test("OpenSanctions FollowTheMoney entities load")
    func followTheMoney() {
        let text = """
            {"id": "NK-1", "schema": "Person", "caption": "Abdullo Ziyoyev", "properties": {"name": ["Abdullo Ziyoyev"], "alias": ["Зиёев Абдулло"], "weakAlias": ["Mullo"], "birthDate": ["1973-04-12", "1973"], "nationality": ["tj"], "gender": ["male"], "passportNumber": ["N1234567"]}}
            {"id": "NK-2", "schema": "Organization", "properties": {"name": ["Islamic Movement of Uzbekistan"], "alias": ["IMU"]}}
            {"id": "NK-3", "schema": "LegalEntity", "properties": {"name": ["Some Trading LLC"]}}
            {"id": "NK-4", "schema": "Vessel", "properties": {"name": ["Boat"]}}
            {"id": "NK-5", "schema": "Person", "properties": {}}
            """
        let result = WatchlistReader.parse(text)
        #expect(result.entries.map(\.id) == ["NK-1", "NK-2", "NK-3"])
        let person = result.entries[0]
        #expect(person.aliases == ["Зиёев Абдулло"])
        #expect(person.weakAliases == ["Mullo"])
        #expect(person.birthDates.count == 2)
        #expect(person.nationalities == ["TJ"])
        #expect(person.gender == .male)
        #expect(person.documentNumbers == ["N1234567"])
        #expect(result.entries[2].kind == .organization)
        #expect(result.issues.map(\.line) == [4, 5])
    }

    @Test("Batch queries read only id, name, birth date and nationality")
    func batchQueries() {
        let text = """
            {"id": "q1", "name": "Ziyoev Abdullo", "birth_date": "1973", "nationality": "TJ", "expected": "secret"}
            {"id": "q2", "name": "Jamshed Qodirov", "birth_date": null}
            {"name": "no id"}
            """
        let (items, issues) = ScreeningQueryReader.parse(Data(text.utf8))
        #expect(items.map(\.id) == ["q1", "q2"])
        #expect(items[0].query.birthDate == ScreeningDate(year: 1973))
        #expect(items[0].query.nationality == "TJ")
        #expect(issues.map(\.line) == [3])
    }

    @Test(
        "Partial ISO dates parse; nonsense does not",
        arguments: ["1973", "1973-04", "1973-04-12", "1973-04-12T00:00:00"]
    )
    func dates(text: String) {
        #expect(ScreeningDate(iso: text)?.year == 1973)
    }

    @Test("Invalid dates are rejected", arguments: ["", "73", "1973-13", "1973-04-32", "abcd", "1973-4-1"])
    func badDates(text: String) {
        #expect(ScreeningDate(iso: text) == nil)
    }
}

import Testing

@testable import CordonMatch

/// Names as machine-readable zones spell them: upper case, ICAO transliteration (Зиёев → ZIEEV,
/// Ж → ZH, Х → KH) and no rule at all for the Tajik letters, so one man's passports read JURAEV,
/// DZHURAEV or JURAYEV. Each must find the entry written in Cyrillic only, or in another romanisation.
struct DocumentNameTests {
    static let index = ScreeningIndex(entries: [
        WatchlistEntry(id: "ziyoyev-mirzo", name: "Зиёев Мирзо", gender: .male),
        WatchlistEntry(id: "ziyoyev-latin", name: "Mirzo Ziyoyev", gender: .male),
        WatchlistEntry(id: "juraev-umed", name: "Ҷӯраев Умед Файзуллоевич", gender: .male),
        WatchlistEntry(id: "juraev-latin", name: "Juraev Umed", gender: .male),
        WatchlistEntry(id: "khikmatullo", name: "Ҳикматулло Давлатов", gender: .male),
        WatchlistEntry(id: "shchukin", name: "Щукин Юрий", gender: .male),
        WatchlistEntry(id: "yakubov", name: "Якубов Ёдгор", gender: .male),
        WatchlistEntry(
            id: "davlatov",
            name: "Давлатов Ҳикматулло",
            birthDates: [ScreeningDate(year: 1981, month: 3, day: 14)!],
            gender: .male,
            documentNumbers: ["A 2417735"]
        ),
        WatchlistEntry(id: "decoy-zia", name: "Zia Ullah", gender: .male),
        WatchlistEntry(id: "decoy-umarov", name: "Umarov Murod", gender: .male),
    ])

    @Test(arguments: [
        ("ZIEEV MIRZO", "ziyoyev-mirzo"),
        ("ZIEEV MIRZO", "ziyoyev-latin"),
        ("ZIYOYEV MIRZO", "ziyoyev-mirzo"),
        ("JURAEV UMED", "juraev-umed"),
        ("DZHURAEV UMED", "juraev-umed"),
        ("JURAYEV UMED", "juraev-umed"),
        ("DZHURAEV UMED", "juraev-latin"),
        ("JURAYEV UMED", "juraev-latin"),
        ("DZHURAEV UMED FAIZULLOEVICH", "juraev-umed"),
        ("DAVLATOV KHIKMATULLO", "khikmatullo"),
        ("DAVLATOV HIKMATULLO", "khikmatullo"),
        ("SHCHUKIN IURII", "shchukin"),
    ])
    func findsTheEntryForAnICAOSpelling(name: String, id: String) throws {
        let hits = try Self.index.screen(ScreeningQuery(name: name, gender: .male, kind: .person), limit: 10)
        let hit = try #require(hits.first { $0.entryID == id }, "\(name) did not find \(id): \(hits.map(\.entryID))")
        #expect(hit.isAlert, "\(name) → \(id) scored \(hit.score)")
    }

    /// ICAO writes a word-initial Ё as E; the key folds ё and e inside a word only, so Ёдгор → EDGOR
    /// is matched on its consonants and stays below the alert threshold on the name alone.
    @Test func findsAWordInitialYoWrittenE() throws {
        let hits = try Self.index.screen(ScreeningQuery(name: "IAKUBOV EDGOR", kind: .person), limit: 10)
        #expect(hits.first?.entryID == "yakubov")
    }

    /// A fugitive crossing on a passport the list does not know still alerts; the one it knows
    /// confirms.
    @Test func aPassportTheListDoesNotKnowDoesNotHideTheName() throws {
        func screen(_ number: String) throws -> ScreeningHit? {
            let query = ScreeningQuery(
                name: "DAVLATOV KHIKMATULLO",
                birthDate: ScreeningDate(year: 1981, month: 3, day: 14),
                gender: .male,
                documentNumber: number,
                kind: .person
            )
            return try Self.index.screen(query, limit: 1).first
        }
        let known = try #require(try screen("A2417735"))
        let unknown = try #require(try screen("A9999999"))
        #expect(known.entryID == "davlatov" && known.isAlert)
        #expect(unknown.entryID == "davlatov" && unknown.isAlert)
        #expect(unknown.explanation.evidence.contains { $0.kind == .document && $0.effect == 0 })
    }

    @Test func doesNotAlertOnANameThatOnlySharesAGivenName() throws {
        let hits = try Self.index.screen(ScreeningQuery(name: "ZIEEV ABDURAHMON", kind: .person), limit: 10)
        #expect(!hits.contains { $0.isAlert && $0.entryID.hasPrefix("decoy") })
        let juraev = try Self.index.screen(ScreeningQuery(name: "DZHURAEV BAKHTIER", kind: .person), limit: 10)
        #expect(!juraev.contains { $0.isAlert })
    }
}

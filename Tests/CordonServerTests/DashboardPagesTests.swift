import CordonCore
import CordonStoreSQLite
import Foundation
import Testing

@testable import CordonDashboard

/// What the fugitive board, the delivery panel and the screening page make of the data: status menus
/// on the current status, silent recipients first, the kinds of name parts, the other names a card shows.
@Suite struct DashboardPagesTests {
    typealias Pages = DashboardData<SQLiteStore>

    @Test func statusMenusStartOnTheCurrentStatus() {
        let atLarge = Pages.statusChoices(from: .atLarge)
        #expect(atLarge.map(\.value) == ["at_large", "captured", "dead", "cleared"])
        #expect(atLarge.filter(\.selected).map(\.value) == ["at_large"])
        #expect(atLarge.first?.label == "at large (current)")
        let captured = Pages.statusChoices(from: .captured)
        #expect(captured.filter(\.selected).map(\.value) == ["captured"])
        #expect(Pages.statusChoices(from: .dead).map(\.value) == ["dead"])
        #expect(Pages.statusChoices(from: .cleared).map(\.value) == ["at_large", "cleared"])
    }

    @Test func silentRecipientsComeFirstTheLongestSilentFirst() {
        func row(_ name: String, _ state: String, _ minutes: Double) -> DeliveryRow {
            DeliveryRow(
                alert: "al-1",
                recipient: "checkpoints/\(name)",
                name: name,
                state: state,
                stateLabel: state,
                since: "",
                sinceISO: "",
                sends: 1,
                by: "",
                escalated: false,
                sinceDate: Date(timeIntervalSince1970: 1_282_510_000 + minutes * 60)
            )
        }
        let rows = [
            row("Ayni", "acknowledged", 1), row("Hisor", "silent", 9), row("Khorog", "delivered", 5),
            row("Danghara", "silent", 2), row("Anzob", "acknowledged", 8), row("Kulob", "delivered", 3),
        ]
        #expect(Pages.ordered(rows).map(\.name) == ["Danghara", "Hisor", "Kulob", "Khorog", "Anzob", "Ayni"])
    }

    @Test func namePartsAreKnownInEverySpellingOfTheName() throws {
        let person = try Person(
            id: PersonID("p-mirzoyev-abdurasul"),
            name: PersonName(parts: [.init(.family, "Мирзоев"), .init(.given, "Абдурасул")]),
            aliases: [
                Alias(.spelling, "Abdurasul Mirzoyev"), Alias(.spelling, "Mirzoyev Abdurasul"),
                Alias(.spelling, "Gʻofurov Abdurasul"), Alias(.nickname, "Rasul"),
            ],
            context: .structural
        )
        let kinds = Pages.partKinds(of: person)
        #expect(kinds["мирзоев"] == "family")
        #expect(kinds["абдурасул"] == "given")
        #expect(kinds["mirzoyev"] == "family")
        #expect(kinds["abdurasul"] == "given")
        // Left over in an alias of as many words as the name: the part left over.
        #expect(kinds["gofurov"] == "family")
        // A nickname of one word matches no part of two.
        #expect(kinds["rasul"] == nil)
        #expect(Pages.skeleton("Мирзоев") == Pages.skeleton("Mirzoyev"))
        #expect(Pages.partKey("Gʻofurov") == "gofurov")
    }

    @Test func aCardShowsEachWordOnce() throws {
        let person = try Person(
            id: PersonID("p-mirzoyev-abdurasul"),
            name: PersonName(parts: [.init(.family, "Mirzoyev"), .init(.given, "Abdurasul")]),
            aliases: [
                Alias(.spelling, "Abdurasul Mirzoyev"), Alias(.spelling, "Мирзоев Абдурасул"),
                Alias(.spelling, "Abdurasul Mirzoev"), Alias(.weak, "abdurasul"), Alias(.nickname, "Rasul"),
            ],
            context: .structural
        )
        #expect(Pages.otherNames(of: person) == ["Мирзоев Абдурасул", "Abdurasul Mirzoev", "Rasul"])
    }
}

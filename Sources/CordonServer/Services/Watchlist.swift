import CordonCore
import CordonMatch

/// Maps the model's wanted persons and organisations to the screening engine's entries.
enum Watchlist {
    static func entry(for person: Person) -> WatchlistEntry {
        WatchlistEntry(
            id: person.id.rawValue,
            kind: .person,
            name: person.name.fullName,
            aliases: person.aliases.filter { $0.kind != .weak }.map(\.value),
            weakAliases: person.aliases.filter { $0.kind == .weak }.map(\.value),
            birthDates: person.birthDate.flatMap { ScreeningDate(year: $0.year, month: $0.month, day: $0.day) }.map {
                [$0]
            }
                ?? [],
            nationalities: person.nationalities.map(\.rawValue),
            gender: person.sex == .male ? .male : person.sex == .female ? .female : nil,
            documentNumbers: person.documents.map(\.number)
        )
    }

    static func entry(for organization: Organization) -> WatchlistEntry {
        WatchlistEntry(
            id: organization.id.rawValue,
            kind: .organization,
            name: organization.name,
            aliases: organization.acronyms + organization.aliases
        )
    }
}

public import CordonCore

extension WatchlistEntry {
    /// The entry for a person of the model: the name as written, aliases, nicknames and spellings as
    /// aliases, weak aliases apart, birth date, nationalities, sex and document numbers.
    public init(person: Person) {
        self.init(
            id: person.id.rawValue,
            kind: .person,
            name: person.name.fullName,
            aliases: person.aliases.filter { $0.kind != .weak }.map(\.value),
            weakAliases: person.aliases.filter { $0.kind == .weak }.map(\.value),
            birthDates: person.birthDate.flatMap { ScreeningDate(year: $0.year, month: $0.month, day: $0.day) }
                .map { [$0] } ?? [],
            nationalities: person.nationalities.map(\.rawValue),
            gender: person.sex == .male ? .male : person.sex == .female ? .female : nil,
            documentNumbers: person.documents.map(\.number),
            list: person.wanted?.list
        )
    }

    /// The entry for an organisation: its name, with acronyms and other names as aliases.
    public init(organization: Organization) {
        self.init(
            id: organization.id.rawValue,
            kind: .organization,
            name: organization.name,
            aliases: organization.acronyms + organization.aliases
        )
    }

    /// The entries of a scenario's wanted list: wanted persons still at large, and organisations.
    public static func wantedList(persons: [Person], organizations: [Organization]) -> [WatchlistEntry] {
        persons.filter { $0.wanted?.status == .atLarge }.map(WatchlistEntry.init(person:))
            + organizations.map(WatchlistEntry.init(organization:))
    }
}

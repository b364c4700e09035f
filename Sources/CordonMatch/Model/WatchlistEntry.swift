/// One entity on a watchlist, as the matcher sees it.
///
/// The matcher keeps its own entry type so that it does not depend on how the rest of Cordon
/// models people; callers convert their records into entries.
public struct WatchlistEntry: Sendable, Hashable, Codable {
    /// Whether the entry is a person or an organisation.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A natural person.
        case person
        /// An organisation, company or other legal entity.
        case organization
    }

    /// The recorded sex of a person.
    public enum Gender: String, Sendable, Hashable, Codable {
        /// Male.
        case male
        /// Female.
        case female
    }

    /// The entry's identifier on its list; unique within an index.
    public var id: String
    /// Person or organisation.
    public var kind: Kind
    /// The primary name, in any script.
    public var name: String
    /// Other names the entity is known by (strong aliases), in any script.
    public var aliases: [String]
    /// Weak aliases (nicknames, short or generic names): matched, but with less weight.
    public var weakAliases: [String]
    /// Known birth dates, possibly partial.
    public var birthDates: [ScreeningDate]
    /// Nationalities as ISO 3166-1 alpha-2 codes, upper-case.
    public var nationalities: [String]
    /// The person's sex, when known.
    public var gender: Gender?
    /// Document numbers (passport, national ID) as written.
    public var documentNumbers: [String]
    /// The name of the list the entry comes from (`fugitives`, `sanctions`), when it has one: a list may
    /// have its own alert threshold (``ScreeningIndex/Options/listThresholds``).
    public var list: String?

    /// Creates an entry.
    public init(
        id: String,
        kind: Kind = .person,
        name: String,
        aliases: [String] = [],
        weakAliases: [String] = [],
        birthDates: [ScreeningDate] = [],
        nationalities: [String] = [],
        gender: Gender? = nil,
        documentNumbers: [String] = [],
        list: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.aliases = aliases
        self.weakAliases = weakAliases
        self.birthDates = birthDates
        self.nationalities = nationalities.map { $0.uppercased() }
        self.gender = gender
        self.documentNumbers = documentNumbers
        self.list = list
    }
}

/// A calendar date that may be known only to the year or the month (`1973`, `1973-04`, `1973-04-12`).
public struct ScreeningDate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The year.
    public var year: Int
    /// The month (1–12), when known.
    public var month: Int?
    /// The day of the month, when known.
    public var day: Int?

    /// Creates a date from its components; `nil` when out of range.
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (1000...2999).contains(year) else { return nil }
        if let month, !(1...12).contains(month) { return nil }
        if let day, month == nil || !(1...31).contains(day) { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO 8601 date, possibly partial (`1973`, `1973-04`, `1973-04-12`); a time part is
    /// ignored. Returns `nil` for anything else.
    public init?(iso text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let datePart = trimmed.split(separator: "T", maxSplits: 1).first.map(String.init) ?? trimmed
        let fields = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count), fields[0].count == 4, let y = Int(fields[0]) else { return nil }
        var m: Int?
        var d: Int?
        if fields.count >= 2 {
            guard fields[1].count == 2, let v = Int(fields[1]) else { return nil }
            m = v
        }
        if fields.count == 3 {
            guard fields[2].count == 2, let v = Int(fields[2]) else { return nil }
            d = v
        }
        self.init(year: y, month: m, day: d)
    }

    /// The ISO 8601 form, as precise as known.
    public var description: String {
        var s = String(year)
        if let month { s += "-" + (month < 10 ? "0" : "") + String(month) }
        if let day { s += "-" + (day < 10 ? "0" : "") + String(day) }
        return s
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}

extension Set where Element == Character {
    fileprivate static var whitespaces: Set<Character> { [" ", "\t", "\n", "\r"] }
}

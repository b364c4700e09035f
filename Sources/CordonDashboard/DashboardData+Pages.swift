import CordonCore
import CordonStore
import Foundation

// What the fugitive board's filters, the delivery panel's order and the screening page's explanations
// read, beside the cards, the rows and the hits themselves.

extension DashboardData {
    // MARK: The fugitive board

    /// The statuses a person's menu offers: the current one first selected, then those it may change to,
    /// in the usual order. The menu starts on the current status, so a change is always a choice.
    static func statusChoices(from current: WantedStatus) -> [FugitiveCard.Choice] {
        WantedStatus.allCases.filter { $0 == current || current.canChange(to: $0) }.map {
            .init(
                value: $0.rawValue,
                label: $0 == current ? "\($0.description) (current)" : $0.description,
                selected: $0 == current
            )
        }
    }

    /// The other names a card shows: the aliases, each left out when every word of it is shown
    /// already (the same words in another order, or one of them alone), case and accents aside.
    /// The board's search still reads every name.
    static func otherNames(of person: Person) -> [String] {
        func words(_ name: String) -> [String] {
            name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        }
        var shown = Set(words(person.name.fullName))
        var names: [String] = []
        for alias in person.aliases {
            let own = words(alias.value)
            if own.allSatisfy(shown.contains) { continue }
            names.append(alias.value)
            shown.formUnion(own)
        }
        return names
    }

    /// The board's filters: every status, and the groups and nationalities the cards have.
    static func boardFilters(_ cards: [FugitiveCard]) -> BoardFilters {
        var groups: [String: String] = [:]
        var nationalities: Set<String> = []
        for card in cards {
            let ids = card.groupIDs.split(separator: " ").map(String.init)
            for (id, name) in zip(ids, card.organizations) { groups[id] = name }
            nationalities.formUnion(card.nationalityCodes.split(separator: " ").map(String.init))
        }
        let english = Locale(identifier: "en_US")
        return BoardFilters(
            statuses: WantedStatus.allCases.map { .init(value: $0.rawValue, label: $0.description) },
            groups: groups.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map {
                .init(value: $0.key, label: $0.value)
            },
            hasUngrouped: cards.contains { $0.groupIDs.isEmpty },
            nationalities: nationalities.map { code in
                FilterOption(
                    value: code,
                    label: english.localizedString(forRegionCode: code).map { "\($0) (\(code))" } ?? code
                )
            }
            .sorted { $0.label < $1.label }
        )
    }

    // MARK: The delivery panel

    /// Silent, then received, then acknowledged; among the silent and the received the longest in
    /// that state first, the acknowledged by name.
    static func ordered(_ rows: [DeliveryRow]) -> [DeliveryRow] {
        func key(_ row: DeliveryRow) -> (Int, Double, String) {
            let waiting = row.state == "acknowledged" ? 0 : row.sinceDate.timeIntervalSince1970
            return (stateOrder(row.state), waiting, row.name)
        }
        return rows.sorted { key($0) < key($1) }
    }

    // MARK: Screening

    /// What each part of a wanted person's names is (surname, given name, patronymic), by person and
    /// by the part as the screening explanation writes it (compatibility-normalised, lower case, no
    /// apostrophes), as JSON: `{"p-mirzoyev-abdurasul": {"мирзоев": "family", "mirzoyev": "family", …}}`.
    ///
    /// The name's own parts say what they are. An alias is a string: its words are matched to the
    /// name's parts by their consonants once romanised (Mirzoyev and Мирзоев share m-r-z-v), and a
    /// single word left over in an alias of as many words as the name takes the part left over. A word
    /// matched to no part, or to more than one, is left out: the explanation then names no kind.
    func namePartKinds() async throws -> String {
        var kinds: [String: [String: String]] = [:]
        for person in try await store.allEntities(Person.self) where person.isWanted {
            kinds[person.id.rawValue] = Self.partKinds(of: person)
        }
        let data = try JSONSerialization.data(withJSONObject: kinds, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func partKinds(of person: Person) -> [String: String] {
        let parts = person.name.parts
        var kinds: [String: String] = [:]
        for part in parts { kinds[partKey(part.value)] = part.kind.rawValue }
        let skeletons = parts.map { skeleton($0.value) }
        for alias in person.aliases {
            let words = alias.value.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            var found: [Int?] = words.map { word in
                if let index = parts.firstIndex(where: { partKey($0.value) == partKey(word) }) { return index }
                let mine = skeleton(word)
                let same = skeletons.indices.filter { !mine.isEmpty && skeletons[$0] == mine }
                return same.count == 1 ? same[0] : nil
            }
            if words.count == parts.count, found.filter({ $0 == nil }).count == 1 {
                let left = Set(parts.indices).subtracting(found.compactMap { $0 })
                if left.count == 1, let gap = found.firstIndex(where: { $0 == nil }) { found[gap] = left.first }
            }
            for (word, index) in zip(words, found) {
                guard let index else { continue }
                let key = partKey(word)
                if kinds[key] == nil { kinds[key] = parts[index].kind.rawValue }
            }
        }
        return kinds
    }

    /// A name part as the screening explanation writes it: compatibility-normalised, lower case, without
    /// apostrophes and modifier letters (`Gʻofurov` → `gofurov`).
    static func partKey(_ word: String) -> String {
        let kept: Set<Unicode.GeneralCategory> = [
            .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter, .nonspacingMark, .spacingMark,
            .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
        ]
        let scalars = word.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars
        return String(String.UnicodeScalarView(scalars.filter { kept.contains($0.properties.generalCategory) }))
    }

    /// The consonants of a word romanised to ASCII, with the usual spelling variants folded
    /// (kh, x and h; dzh, zh and j; q and k; gh and g), doubled letters once.
    static func skeleton(_ word: String) -> String {
        let latin =
            (word.applyingTransform(.toLatin, reverse: false) ?? word)
            .applyingTransform(.stripDiacritics, reverse: false)?.lowercased() ?? word.lowercased()
        var text = latin.filter { $0.isASCII && $0.isLetter }
        for (from, to) in [("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("x", "h"), ("q", "k")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        var result = ""
        for letter in text where !"aeiouy".contains(letter) && result.last != letter { result.append(letter) }
        return result
    }
}

/// An option of one of the board's filters.
struct FilterOption {
    let value: String
    let label: String
}

/// The fugitive board's filters.
struct BoardFilters {
    let statuses: [FilterOption]
    let groups: [FilterOption]
    /// Whether some card has no group: the group filter then offers "No group".
    let hasUngrouped: Bool
    let nationalities: [FilterOption]
}

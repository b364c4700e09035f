public import CordonMatch

/// The synthetic list's mix: 8 % organisations; persons with a given name (half from a list of real
/// given names, half made of syllables), a surname with a Central Asian or Russian ending, often a
/// patronymic, aliases in Cyrillic and with another surname, birth dates and nationalities.
public func syntheticEntry(_ i: Int, _ g: inout Generator) -> WatchlistEntry {
    if g.chance(0.08) {
        let words = (0..<(2 + g.int(3))).map { _ in Syllables.word(&g, syllables: 2 + g.int(2)) }
        return WatchlistEntry(id: "s\(i)", kind: .organization, name: words.joined(separator: " ") + " LLC")
    }
    let given = g.chance(0.5) ? g.pick(Syllables.givenNames) : Syllables.word(&g, syllables: 2 + g.int(2))
    let root = g.chance(0.3) ? g.pick(Syllables.surnameRoots) : Syllables.word(&g, syllables: 2 + g.int(2))
    let surname = root + g.pick(["ov", "ev", "yev", "zoda", "iy", "in", "", "ov"])
    let father = g.chance(0.5) ? g.pick(Syllables.givenNames) : Syllables.word(&g, syllables: 2)
    let patronymic = father + g.pick(["ovich", "evich", "ovna"])
    let name = g.chance(0.6) ? "\(surname) \(given) \(patronymic)" : "\(given) \(surname)"
    var aliases: [String] = []
    if g.chance(0.4) { aliases.append(Syllables.toCyrillic(name)) }
    if g.chance(0.3) { aliases.append("\(given) \(Syllables.word(&g, syllables: 3))") }
    let year = 1940 + g.int(60)
    return WatchlistEntry(
        id: "s\(i)",
        name: name,
        aliases: aliases,
        birthDates: g.chance(0.7) ? [ScreeningDate(year: year, month: 1 + g.int(12), day: 1 + g.int(28))!] : [],
        nationalities: g.chance(0.5) ? [g.pick(["TJ", "UZ", "RU", "AF", "KG"])] : []
    )
}

/// A query derived from an entry: typo, reorder, dropped part, Cyrillic, or an unrelated name.
public func syntheticQuery(_ entries: [WatchlistEntry], _ g: inout Generator) -> String {
    let e = entries[g.int(entries.count)]
    var parts = e.name.split(separator: " ").map(String.init)
    switch g.int(5) {
    case 0:  // keyboard typo
        var p = Array(parts[0])
        if p.count > 3 {
            let k = 1 + g.int(p.count - 2)
            p.swapAt(k, k - 1)
        }
        parts[0] = String(p)
    case 1: parts.reverse()
    case 2: if parts.count > 2 { parts.removeLast() }
    case 3: return Syllables.toCyrillic(e.name)
    default: return "\(Syllables.word(&g, syllables: 2)) \(Syllables.word(&g, syllables: 3))ov"
    }
    return parts.joined(separator: " ")
}

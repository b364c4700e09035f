import BenchSupport
import CordonMatch

/// `calibrate [--entries N] [--queries M] [--seed S]`: how often a hit scored s is the person.
///
/// Draws labelled queries from a synthetic list: spellings of a listed person (a keyboard slip, parts
/// reordered, a part dropped, Cyrillic, a vowel traded, a suffix of address, a birth year one off) and
/// people who are not on it (a brother with the listed surname and patronymic, a namesake born twenty
/// years later, an unrelated name). Every hit scored 0.5 or more is counted in its score's bin as right
/// (the person the query was drawn from) or wrong; the table says what share of each bin is right.
///
/// `calibrate --fit [--entries N] [--queries M] [--seed S]` fits ``ScoreCalibration`` instead: isotonic
/// regression of "is the person" on the score over every hit, read at fixed scores, printed as Swift
/// knots. Fit on one seed, check on another: the table's last column is the calibrated probability's
/// mean in each bin, beside the share observed.
func runCalibration(_ args: [String]) {
    let n = option("--entries", args).flatMap(Int.init) ?? 20_000
    let m = option("--queries", args).flatMap(Int.init) ?? 20_000
    var g = Generator(state: option("--seed", args).flatMap(UInt64.init) ?? 1974)
    if args.contains("--fit") {
        fitCalibration(entries: n, queries: m, generator: &g)
        return
    }
    let entries = (0..<n).map { syntheticEntry($0, &g) }
    let persons = entries.filter { $0.kind == .person }
    let index = ScreeningIndex(entries: entries)
    let bins: [Double] = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0001]
    var hits = [Int](repeating: 0, count: bins.count - 1)
    var right = [Int](repeating: 0, count: bins.count - 1)
    var scores = [Double](repeating: 0, count: bins.count - 1)
    var probabilities = [Double](repeating: 0, count: bins.count - 1)
    var families: [String: (queries: Int, alerts: Int)] = [:]
    for _ in 0..<m {
        let person = persons[g.int(persons.count)]
        let (family, query, expected) = labelledQuery(person, persons, &g)
        let found = (try? index.screen(query, limit: 10)) ?? []
        var alerted = false
        for hit in found where hit.score >= 0.5 {
            guard let bin = bins.indices.dropLast().first(where: { hit.score >= bins[$0] && hit.score < bins[$0 + 1] })
            else { continue }
            hits[bin] += 1
            scores[bin] += hit.score
            probabilities[bin] += hit.probability
            if hit.entryID == expected { right[bin] += 1 }
            if hit.isAlert && (expected == nil || hit.entryID == expected) { alerted = true }
        }
        families[family, default: (0, 0)].queries += 1
        if alerted { families[family, default: (0, 0)].alerts += 1 }
    }
    print("| score | hits | mean score | share that is the person | calibrated probability, mean |")
    print("|---|---|---|---|---|")
    for b in hits.indices where hits[b] > 0 {
        let upper = b == hits.count - 1 ? "1.00" : String(format2(bins[b + 1]))
        print(
            "| \(format2(bins[b]))–\(upper) | \(hits[b]) | \(format2(scores[b] / Double(hits[b]))) | "
                + "\(format2(Double(right[b]) / Double(hits[b]))) | \(format2(probabilities[b] / Double(hits[b]))) |"
        )
    }
    print("")
    print("| query family | queries | alerting (on the person; any alert for the others) |")
    print("|---|---|---|")
    for (family, count) in families.sorted(by: { $0.key < $1.key }) {
        print("| \(family) | \(count.queries) | \(format2(Double(count.alerts) / Double(count.queries))) |")
    }
    print("entries \(n), queries \(m), load \(loadAverage())")
}

private func format2(_ x: Double) -> String {
    let scaled = (x * 100).rounded() / 100
    var text = String(scaled)
    while text.split(separator: ".").last.map({ $0.count < 2 }) ?? false { text += "0" }
    return text
}

/// Fits the calibration: every hit scored 0.5 or more, labelled right or wrong, pooled by isotonic
/// regression (pool-adjacent-violators), then read at fixed scores.
private func fitCalibration(entries n: Int, queries m: Int, generator g: inout Generator) {
    let entries = (0..<n).map { syntheticEntry($0, &g) }
    let persons = entries.filter { $0.kind == .person }
    let index = ScreeningIndex(entries: entries)
    var points: [(score: Double, right: Double)] = []
    for _ in 0..<m {
        let person = persons[g.int(persons.count)]
        let (_, query, expected) = labelledQuery(person, persons, &g)
        for hit in (try? index.screen(query, limit: 10)) ?? [] where hit.score >= 0.5 {
            points.append((hit.score, hit.entryID == expected ? 1 : 0))
        }
    }
    points.sort { $0.score < $1.score }
    // Pools of adjacent points: merged while a pool's mean is above the next one's.
    var pools: [(low: Double, high: Double, sum: Double, count: Double)] = []
    for point in points {
        pools.append((point.score, point.score, point.right, 1))
        while pools.count > 1,
            pools[pools.count - 2].sum / pools[pools.count - 2].count > pools[pools.count - 1].sum
                / pools[pools.count - 1].count
        {
            let last = pools.removeLast()
            let before = pools.removeLast()
            pools.append((before.low, last.high, before.sum + last.sum, before.count + last.count))
        }
    }
    func fitted(_ score: Double) -> Double {
        let pool = pools.first { $0.high >= score } ?? pools[pools.count - 1]
        return pool.sum / pool.count
    }
    let grid: [Double] = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0]
    print("// fitted on \(points.count) hits of \(m) queries against \(n) entries; load \(loadAverage())")
    for score in grid {
        // Bounded away from certainty either way: a share fitted on finite data is never exactly 0 or 1.
        let probability = min(0.995, max(0.005, fitted(score)))
        print("Knot(score: \(score), probability: \(format3(probability))),")
    }
}

private func format3(_ x: Double) -> String { String((x * 1000).rounded() / 1000) }

/// One labelled query drawn from a listed person: its family, the query, and the entry it names (nil
/// for someone not on the list).
private func labelledQuery(
    _ e: WatchlistEntry,
    _ persons: [WatchlistEntry],
    _ g: inout Generator
) -> (String, ScreeningQuery, String?) {
    var parts = e.name.split(separator: " ").map(String.init)
    let born = e.birthDates.first
    switch g.int(10) {
    case 0:
        var letters = Array(parts[0])
        if letters.count > 3 {
            let k = 1 + g.int(letters.count - 2)
            letters.swapAt(k, k - 1)
        }
        parts[0] = String(letters)
        return ("true: keyboard slip", ScreeningQuery(name: parts.joined(separator: " ")), e.id)
    case 1:
        return ("true: parts reordered", ScreeningQuery(name: parts.reversed().joined(separator: " ")), e.id)
    case 2:
        if parts.count > 2 { parts.removeLast() }
        return ("true: a part dropped", ScreeningQuery(name: parts.joined(separator: " ")), e.id)
    case 3:
        return ("true: Cyrillic", ScreeningQuery(name: Syllables.toCyrillic(e.name)), e.id)
    case 4:
        let traded: [Character: Character] = ["a": "o", "o": "u", "i": "e", "e": "i", "u": "i"]
        var letters = Array(parts[parts.count > 2 ? 1 : 0])
        if let k = letters.indices.dropFirst().first(where: { traded[letters[$0]] != nil }) {
            letters[k] = traded[letters[k]]!
        }
        parts[parts.count > 2 ? 1 : 0] = String(letters)
        return ("true: a vowel traded", ScreeningQuery(name: parts.joined(separator: " ")), e.id)
    case 5:
        parts[parts.count > 2 ? 1 : 0] += "jon"
        return ("true: a suffix of address", ScreeningQuery(name: parts.joined(separator: " ")), e.id)
    case 6:
        let year = born.flatMap { ScreeningDate(year: $0.year + (g.chance(0.5) ? 1 : -1)) }
        return ("true: birth year one off", ScreeningQuery(name: e.name, birthDate: year), year == nil ? nil : e.id)
    case 7:
        // A brother: the listed surname and patronymic, another given name.
        let other = persons[g.int(persons.count)].name.split(separator: " ").map(String.init)
        if parts.count > 2 { parts[1] = other[other.count > 2 ? 1 : 0] } else { parts[0] = other[0] }
        if parts.joined(separator: " ") == e.name {
            return ("true: parts reordered", ScreeningQuery(name: e.name), e.id)
        }
        return ("false: a brother", ScreeningQuery(name: parts.joined(separator: " ")), nil)
    case 8:
        guard let born else { return ("true: exact", ScreeningQuery(name: e.name), e.id) }
        return (
            "false: a namesake 20 years younger",
            ScreeningQuery(name: e.name, birthDate: ScreeningDate(year: born.year + 20)), nil
        )
    default:
        let name = "\(Syllables.word(&g, syllables: 2).capitalized) \(Syllables.word(&g, syllables: 3).capitalized)ov"
        return ("false: unrelated", ScreeningQuery(name: name), nil)
    }
}

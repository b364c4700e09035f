import BenchSupport
import CordonCore
import CordonDocuments
import CordonMatch
import Foundation

// `mrz [--entries N] [--documents M]`: reading and checking machine-readable zones, and screening by
// document against the synthetic list.

/// A TD3 or TD1 zone for a synthetic entry, every check digit computed.
func syntheticZone(_ entry: WatchlistEntry, _ g: inout Generator) -> [String] {
    func pad(_ s: String, _ n: Int) -> String {
        String((s + String(repeating: "<", count: max(0, n - s.count))).prefix(n))
    }
    func check(_ s: some StringProtocol) -> String { String(MRZCheckDigit.compute(String(s))) }
    let parts = entry.name.uppercased().split(separator: " ").map(String.init)
    let name = pad(parts[0] + "<<" + parts.dropFirst().joined(separator: "<"), 39)
    let number = pad("A\(1_000_000 + g.int(8_999_999))", 9)
    let born = entry.birthDates.first ?? ScreeningDate(year: 1970 + g.int(30), month: 1, day: 1)!
    let birth = String(format: "%02d%02d%02d", born.year % 100, born.month ?? 1, born.day ?? 1)
    let expiry = String(format: "%02d%02d%02d", g.int(10), 1 + g.int(12), 1 + g.int(28))
    let optional = pad("", 14)
    let nationality =
        ["TJ": "TJK", "UZ": "UZB", "RU": "RUS", "AF": "AFG", "KG": "KGZ"][entry.nationalities.first ?? ""]
        ?? "TJK"
    if g.chance(0.8) {
        let line2 =
            number + check(number) + nationality + birth + check(birth) + "M" + expiry + check(expiry) + optional
            + check(optional)
        let bytes = Array(line2.utf8)
        let composite = MRZCheckDigit.compute(bytes[0..<10] + bytes[13..<20] + bytes[21..<43])
        return ["P<" + nationality + name, line2 + String(composite)]
    }
    let line1 = "I<" + nationality + number + check(number) + pad("", 15)
    let line2 = birth + check(birth) + "M" + expiry + check(expiry) + nationality + pad("", 11)
    let composite = MRZCheckDigit.compute(
        Array(line1.utf8)[5..<30] + Array(line2.utf8)[0..<7] + Array(line2.utf8)[8..<15] + Array(line2.utf8)[18..<29]
    )
    return [line1, line2 + String(composite), String(name.prefix(30))]
}

func runMRZ(_ args: [String]) {
    let n = option("--entries", args).flatMap(Int.init) ?? 100_000
    let m = option("--documents", args).flatMap(Int.init) ?? 5_000
    var g = Generator(state: 9303)
    let all = (0..<n).map { syntheticEntry($0, &g) }
    let entries = all.filter { $0.kind == .person }
    let zones = (0..<m).map { _ in syntheticZone(entries[g.int(entries.count)], &g) }
    let parser = MRZParser(today: try! PartialDate("2025-06-01"))
    // Parse and check only.
    for zone in zones.prefix(200) { _ = try? parser.parse(zone) }
    var parseCPU: [Double] = []
    var invalid = 0
    let p0 = now()
    for zone in zones {
        let c0 = threadCPUNanoseconds()
        let document = try? parser.parse(zone)
        parseCPU.append(Double(threadCPUNanoseconds() - c0) / 1e3)
        if document?.isValid != true { invalid += 1 }
    }
    let parseWallMicros = Double(now() - p0) / 1e3 / Double(m)
    parseCPU.sort()
    // Screening by document: parse, check, build the query, screen.
    let index = ScreeningIndex(entries: all)
    var screenCPU: [Double] = []
    var screenWall: [Double] = []
    var found = 0
    for zone in zones.prefix(200) { _ = try? index.screen(query(try! parser.parse(zone))) }
    for zone in zones {
        let w0 = now()
        let c0 = threadCPUNanoseconds()
        guard let document = try? parser.parse(zone) else { continue }
        let hits = (try? index.screen(query(document), limit: 10)) ?? []
        screenCPU.append(Double(threadCPUNanoseconds() - c0) / 1e6)
        screenWall.append(Double(now() - w0) / 1e6)
        if hits.first?.isAlert == true { found += 1 }
    }
    screenCPU.sort()
    screenWall.sort()
    print(
        """
        {"documents": \(m), "invalid": \(invalid), "parse_cpu_mean_us": \(parseCPU.reduce(0, +) / Double(m)), \
        "parse_cpu_p50_us": \(percentile(parseCPU, 0.5)), "parse_cpu_p99_us": \(percentile(parseCPU, 0.99)), \
        "parse_wall_mean_us": \(parseWallMicros), "entries": \(index.count), \
        "screen_p50_ms": \(percentile(screenWall, 0.5)), "screen_p99_ms": \(percentile(screenWall, 0.99)), \
        "screen_cpu_p50_ms": \(percentile(screenCPU, 0.5)), "screen_cpu_p99_ms": \(percentile(screenCPU, 0.99)), \
        "alert_on_own_entry": \(Double(found) / Double(screenCPU.count)), "load_average": "\(loadAverage())"}
        """
    )
}

/// The query the server and CLI build from a document (see `DocumentScreening` in CordonServer).
func query(_ document: MRZDocument) -> ScreeningQuery {
    ScreeningQuery(
        name: document.fullName,
        birthDate: document.birthDate.flatMap { ScreeningDate(year: $0.year, month: $0.month, day: $0.day) },
        nationality: document.nationalityCountry?.rawValue,
        gender: document.sex == .male ? .male : document.sex == .female ? .female : nil,
        documentNumber: document.documentNumber,
        kind: .person
    )
}

import BenchSupport
import CordonCore
import CordonMatch
import CordonScreening
import Foundation

/// `cordon-read-bench lookback [--queries N] [--entries M]`: the time to look back over N past
/// checkpoint queries (names in the synthetic mix: typos, reordered, Cyrillic, unrelated) for one entry
/// newly put on the list, with 50 spellings of it planted among them; beside it, the time the same
/// queries would take screened again against the whole list of M entries (measured on a sample).
func runLookBack(_ args: [String]) {
    let count = option("--queries", args).flatMap(Int.init) ?? 1_000_000
    let listed = option("--entries", args).flatMap(Int.init) ?? 100_000
    var g = Generator(state: 90)
    let entries = (0..<listed).map { syntheticEntry($0, &g) }
    var newcomer = syntheticEntry(listed, &g)
    while newcomer.kind != .person { newcomer = syntheticEntry(listed, &g) }  // organisations are not looked back for
    var names = (0..<count).map { _ in syntheticQuery(entries, &g) }
    for n in 0..<50 { names[g.int(names.count)] = n % 5 == 4 ? newcomer.name : syntheticQuery([newcomer], &g) }
    let at = Date(timeIntervalSince1970: 1_282_500_000)
    let queries = names.enumerated().map { index, name in
        PastQuery(
            subject: .person(ScreeningQuery(name: name)),
            kind: .name,
            text: name,
            at: at,
            account: "bench",
            auditSequence: Int64(index),
            index: 0
        )
    }
    // The whole list as the server holds it, to confirm each finding as the service does (not timed here).
    let index = ScreeningIndex(entries: entries + [newcomer])
    func confirm(_ query: ScreeningQuery, _ id: String) -> (hit: ScreeningHit, entry: WatchlistEntry)? {
        guard let hits = try? index.screen(query, limit: 10), let hit = hits.first(where: { $0.entryID == id }),
            let entry = index.entry(id: id)
        else { return nil }
        return (hit, entry)
    }
    var start = now()
    let lookBack = LookBack(persons: [newcomer], vehicles: [], threshold: 0.95)
    let build = Double(now() - start) / 1e9
    var cpu = threadCPUNanoseconds()
    start = now()
    var findings = 0
    for query in queries { findings += lookBack.screen(query, confirm: confirm).count }
    let seconds = Double(now() - start) / 1e9
    let cpuSeconds = Double(threadCPUNanoseconds() - cpu) / 1e9
    // The whole list instead, on a sample.
    let sample = min(20_000, queries.count)
    cpu = threadCPUNanoseconds()
    for query in queries.prefix(sample) {
        if case .person(let screening) = query.subject { _ = try? index.screen(screening, limit: 10) }
    }
    let wholeCPU = Double(threadCPUNanoseconds() - cpu) / 1e9 * Double(queries.count) / Double(sample)
    print(
        """
        {"queries": \(queries.count), "new_entries": 1, "planted": 50, "planted_exact": 10, "findings_confirmed": \(findings), \
        "build_s": \(build), "look_back_s": \(seconds), "look_back_cpu_s": \(cpuSeconds), \
        "queries_per_s": \(Double(queries.count) / seconds), \
        "whole_list_cpu_s_estimated": \(wholeCPU), "list_entries": \(entries.count), \
        "load": "\(loadAverage())"}
        """
    )
}

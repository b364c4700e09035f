// cordon-match-bench: batch screening with timings, a synthetic list generator and the
// 100,000-entry performance run. See docs/PERFORMANCE.md for the commands.
import BenchSupport
import CordonMatch
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("cordon-match-bench: \(message)\n".utf8))
    exit(2)
}

func quote(_ s: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
    let text = String(decoding: data, as: UTF8.self)
    return String(text.dropFirst().dropLast())
}

/// `batch --list L --queries Q [--limit N] [--threshold T]`: results to stdout, timings to stderr.
func runBatch(_ args: [String]) {
    guard let listPath = option("--list", args), let queryPath = option("--queries", args) else {
        fail("batch needs --list and --queries")
    }
    let limit = option("--limit", args).flatMap(Int.init) ?? 10
    var options = ScreeningIndex.Options()
    if let t = option("--threshold", args).flatMap(Double.init) { options.threshold = t }
    guard let listData = FileManager.default.contents(atPath: listPath),
        let queryData = FileManager.default.contents(atPath: queryPath)
    else { fail("cannot read inputs") }
    let parsed = WatchlistReader.parse(listData)
    for issue in parsed.issues.prefix(5) { FileHandle.standardError.write(Data("list \(issue)\n".utf8)) }
    let t0 = now()
    let index = ScreeningIndex(entries: parsed.entries, options: options)
    let buildSeconds = Double(now() - t0) / 1e9
    let (items, _) = ScreeningQueryReader.parse(queryData)
    var latencies: [Double] = []
    var cpuLatencies: [Double] = []
    var slowest: [(Double, String)] = []
    var out = ""
    let t1 = now()
    for item in items {
        let q0 = now()
        let c0 = threadCPUNanoseconds()
        let hits = (try? index.screen(item.query, limit: limit)) ?? []
        cpuLatencies.append(Double(threadCPUNanoseconds() - c0) / 1e6)
        latencies.append(Double(now() - q0) / 1e6)
        slowest.append((latencies.last!, item.query.name))
        out += "{\"query_id\": \(quote(item.id)), \"threshold\": \(options.threshold), \"results\": ["
        out += hits.map { "{\"id\": \(quote($0.entryID)), \"score\": \($0.score), \"alert\": \($0.isAlert)}" }
            .joined(separator: ", ")
        out += "]}\n"
    }
    let total = Double(now() - t1) / 1e9
    FileHandle.standardOutput.write(Data(out.utf8))
    latencies.sort()
    cpuLatencies.sort()
    if ProcessInfo.processInfo.environment["BENCH_SLOWEST"] != nil {
        for (ms, name) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(15) {
            FileHandle.standardError.write(Data("slow \(ms) ms: \(name)\n".utf8))
        }
    }
    let info =
        "{\"entries\": \(index.count), \"queries\": \(items.count), \"build_s\": \(buildSeconds), "
        + "\"qps\": \(Double(items.count) / total), \"p50_ms\": \(percentile(latencies, 0.5)), "
        + "\"p99_ms\": \(percentile(latencies, 0.99)), \"max_ms\": \(latencies.last ?? 0), "
        + "\"cpu_p50_ms\": \(percentile(cpuLatencies, 0.5)), \"cpu_p99_ms\": \(percentile(cpuLatencies, 0.99)), "
        + "\"cpu_qps\": \(Double(cpuLatencies.count) / (cpuLatencies.reduce(0, +) / 1000))}\n"
    FileHandle.standardError.write(Data(info.utf8))
}

// MARK: - Synthetic list

func json(_ e: WatchlistEntry) -> String {
    let object: [String: Any] = [
        "id": e.id, "type": e.kind.rawValue, "name": e.name, "aliases": e.aliases, "weak_aliases": e.weakAliases,
        "birth_dates": e.birthDates.map(\.description), "nationalities": e.nationalities,
    ]
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// `synth --entries N --out LIST --queries M --queries-out Q`: writes a synthetic list and queries.
func runSynth(_ args: [String]) {
    let n = option("--entries", args).flatMap(Int.init) ?? 100_000
    let m = option("--queries", args).flatMap(Int.init) ?? 2_000
    guard let out = option("--out", args), let qout = option("--queries-out", args) else {
        fail("synth needs --out and --queries-out")
    }
    var g = Generator(state: 2010)
    let entries = (0..<n).map { syntheticEntry($0, &g) }
    try! Data(entries.map(json).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: out))
    let queries = (0..<m).map { i in
        "{\"id\": \"sq\(i)\", \"name\": \(quote(syntheticQuery(entries, &g)))}"
    }
    try! Data(queries.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: qout))
}

/// `perf [--entries N] [--queries M]`: build rate, memory per entry, latency, updates — in process.
func runPerf(_ args: [String]) {
    let n = option("--entries", args).flatMap(Int.init) ?? 100_000
    let m = option("--queries", args).flatMap(Int.init) ?? 5_000
    var g = Generator(state: 2010)
    let entries = (0..<n).map { syntheticEntry($0, &g) }
    let queries = (0..<m).map { _ in syntheticQuery(entries, &g) }
    let rss0 = residentBytes()
    let cpu0 = cpuSeconds()
    let t0 = now()
    var index = ScreeningIndex(entries: entries)
    let build = Double(now() - t0) / 1e9
    let buildCPU = cpuSeconds() - cpu0
    let rss1 = residentBytes()
    // Warm-up, then timed.
    for q in queries.prefix(200) { _ = try? index.screen(ScreeningQuery(name: q)) }
    var latencies: [Double] = []
    var cpuLatencies: [Double] = []
    let t1 = now()
    for q in queries {
        let q0 = now()
        let c0 = threadCPUNanoseconds()
        _ = try? index.screen(ScreeningQuery(name: q), limit: 10)
        cpuLatencies.append(Double(threadCPUNanoseconds() - c0) / 1e6)
        latencies.append(Double(now() - q0) / 1e6)
    }
    let total = Double(now() - t1) / 1e9
    latencies.sort()
    cpuLatencies.sort()
    let t2 = now()
    for i in 0..<1000 {
        var e = entries[i]
        e.aliases.append("Updated Alias\(i)")
        index.upsert(e)
    }
    for i in 1000..<2000 { index.remove(id: entries[i].id) }
    let updates = Double(now() - t2) / 1e9
    print(
        """
        {"entries": \(n), "build_s": \(build), "build_entries_per_s": \(Double(n) / build), "build_cpu_s": \(buildCPU), \
        "memory_bytes_per_entry": \((rss1 - rss0) / n), "queries": \(m), "qps": \(Double(m) / total), \
        "p50_ms": \(percentile(latencies, 0.5)), "p99_ms": \(percentile(latencies, 0.99)), \
        "max_ms": \(latencies.last ?? 0), "cpu_p50_ms": \(percentile(cpuLatencies, 0.5)), \
        "cpu_p99_ms": \(percentile(cpuLatencies, 0.99)), \
        "cpu_qps": \(Double(m) / (cpuLatencies.reduce(0, +) / 1000)), "update_ops_per_s": \(2000 / updates), \
        "load_average": "\(loadAverage())"}
        """
    )
}

/// `explain --list L [--born D] NAME...`: prints the top hits with explanations.
func runExplain(_ args: [String]) {
    guard let listPath = option("--list", args), let data = FileManager.default.contents(atPath: listPath) else {
        fail("explain needs --list")
    }
    let index = ScreeningIndex(entries: WatchlistReader.parse(data).entries)
    var names: [String] = []
    var k = 1
    while k < args.count {
        if args[k].hasPrefix("--") {
            k += 2
        } else {
            names.append(args[k])
            k += 1
        }
    }
    let born = option("--born", args).flatMap(ScreeningDate.init(iso:))
    for name in names {
        print("== \(name)")
        for hit in (try? index.screen(ScreeningQuery(name: name, birthDate: born), limit: 3)) ?? [] {
            print(
                "\(hit.entryID) \(index.entry(id: hit.entryID)?.name ?? "") \(hit.score) \(hit.isAlert ? "ALERT" : "")"
            )
            print(hit.explanation.summary)
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "batch": runBatch(arguments)
case "synth": runSynth(arguments)
case "perf": runPerf(arguments)
case "explain": runExplain(arguments)
case "calibrate": runCalibration(arguments)
case "mrz": runMRZ(arguments)
default: fail("usage: cordon-match-bench batch|synth|perf|explain|calibrate|mrz [options]")
}

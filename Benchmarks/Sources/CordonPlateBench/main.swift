// cordon-plate-bench: plate screening over a synthetic list of vehicles: index build time, memory,
// and per-query latency for readings with one mistake. See docs/PERFORMANCE.md for the command.
import BenchSupport
import CordonDocuments
import Foundation

let letters = Array("ABEKMHOPCTXY")
let digits = Array("0123456789")

/// A random plate of one of the recognised formats (Tajik, Russian, Uzbek private and legal, Afghan).
func syntheticPlate(_ random: inout Generator) -> String {
    func pick(_ set: [Character], _ n: Int) -> String {
        String((0..<n).map { _ in set[Int(random.next() % UInt64(set.count))] })
    }
    switch random.next() % 5 {
    case 0: return "\(pick(digits, 4)) \(pick(letters, 2)) 0\(pick(digits, 1))"
    case 1: return "\(pick(letters, 1))\(pick(digits, 3))\(pick(letters, 2)) \(pick(digits, 2))"
    case 2: return "\(pick(digits, 2)) \(pick(letters, 1)) \(pick(digits, 3)) \(pick(letters, 2))"
    case 3: return "\(pick(digits, 2)) \(pick(digits, 3)) \(pick(letters, 3))"
    default: return "KBL \(pick(digits, 5))"
    }
}

/// The plate read with one mistake: region left out, a misread, a swap or a dropped character.
func misread(_ written: String, _ random: inout Generator) -> String {
    var scalars = Array(written.unicodeScalars.filter { $0 != " " })
    let i = Int(random.next() % UInt64(scalars.count))
    switch random.next() % 4 {
    case 0: scalars[i] = ["0", "O", "8", "B", "1", "I", "5", "S"][Int(random.next() % 8)]
    case 1 where i + 1 < scalars.count: scalars.swapAt(i, i + 1)
    case 2 where scalars.count > 3: scalars.remove(at: i)
    default:
        let shorter = written.split(separator: " ").dropLast().joined(separator: " ")
        return shorter.contains(where: \.isNumber) ? shorter : written
    }
    return String(String.UnicodeScalarView(scalars))
}

let args = Array(CommandLine.arguments.dropFirst())
let entries = option("--entries", args).flatMap(Int.init) ?? 100_000
let queryCount = option("--queries", args).flatMap(Int.init) ?? 5_000
var random = Generator(state: UInt64(option("--seed", args).flatMap(Int.init) ?? 2010))

var plates: [(id: Int, plate: PlateReading)] = []
plates.reserveCapacity(entries)
for id in 0..<entries {
    plates.append((id, try! PlateReading(syntheticPlate(&random))))
}
let queries = (0..<queryCount).map { _ in
    try! PlateReading(misread(plates[Int(random.next() % UInt64(entries))].plate.written, &random))
}

let rss0 = residentBytes()
let cpu0 = cpuSeconds()
let t0 = now()
let index = PlateIndex(plates)
let buildSeconds = Double(now() - t0) / 1e9
let buildCPU = cpuSeconds() - cpu0
let rss1 = residentBytes()

var latencies: [Double] = []
var cpuLatencies: [Double] = []
var hits = 0
var found = 0
for query in queries {
    let c0 = threadCPUNanoseconds()
    let q0 = now()
    let result = index.search(query, limit: 10)
    latencies.append(Double(now() - q0) / 1e6)
    cpuLatencies.append(Double(threadCPUNanoseconds() - c0) / 1e6)
    hits += result.count
    if !result.isEmpty { found += 1 }
}
latencies.sort()
cpuLatencies.sort()
func ms(_ value: Double) -> String { String(format: "%.3f", value) }
print("plates: \(entries), queries: \(queryCount) (each a listed plate read with one mistake)")
print("load average: \(loadAverage())")
print(
    "index build: \(String(format: "%.2f", buildSeconds)) s wall, \(String(format: "%.2f", buildCPU)) s CPU, "
        + "+\((rss1 - rss0) / 1_048_576) MiB resident"
)
print(
    "query latency wall ms: p50 \(ms(percentile(latencies, 0.5))), p99 \(ms(percentile(latencies, 0.99))), "
        + "max \(ms(latencies.last ?? 0))"
)
print(
    "query latency thread CPU ms: p50 \(ms(percentile(cpuLatencies, 0.5))), "
        + "p99 \(ms(percentile(cpuLatencies, 0.99)))"
)
print(
    "queries with a hit: \(found) of \(queryCount), hits per query: \(String(format: "%.2f", Double(hits) / Double(queryCount)))"
)

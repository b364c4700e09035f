import BenchSupport
import CordonMatch
import CordonReading
import Foundation

// `cordon-read-bench lookback …`: see LookBackBench.swift.
// `cordon-read-bench [--entries N] [--megabytes M] [--seed S]`: reads M megabytes of synthetic reports
// against a synthetic list of N entries on one thread, and scans the same text with a plain Aho–Corasick
// automaton of the same names (every name and alias as written) for reference. Prints one JSON line.

let args = Array(CommandLine.arguments.dropFirst())
if args.first == "lookback" {
    runLookBack(args)
    exit(0)
}
let entriesWanted = option("--entries", args).flatMap(Int.init) ?? 100_000
let megabytes = option("--megabytes", args).flatMap(Double.init) ?? 20
var g = Generator(state: option("--seed", args).flatMap(UInt64.init) ?? 14)

let entries = (0..<entriesWanted).map { syntheticEntry($0, &g) }
let text = ReportText.generate(bytes: Int(megabytes * 1_000_000), entries: entries, &g)

let rssBefore = residentBytes()
var start = now()
let index = ScreeningIndex(entries: entries)
let indexSeconds = Double(now() - start) / 1e9
let rssIndex = residentBytes()
start = now()
let reader = TextReader(index: index)
let lexiconSeconds = Double(now() - start) / 1e9
let rssReader = residentBytes()

// Reading: one thread, the whole text in one call.
var cpu = threadCPUNanoseconds()
start = now()
let result = reader.read(utf8: text)
let readSeconds = Double(now() - start) / 1e9
let readCPU = Double(threadCPUNanoseconds() - cpu) / 1e9
let rssAfterRead = residentBytes()

// The reference: every listed name and alias as written.
start = now()
let automaton = AhoCorasick(
    patterns: entries.lazy.flatMap { [$0.name] + $0.aliases + $0.weakAliases }.map { Array($0.utf8) }
)
let acBuild = Double(now() - start) / 1e9
let rssAutomaton = residentBytes()
cpu = threadCPUNanoseconds()
start = now()
let acMatches = automaton.count(in: text)
let acSeconds = Double(now() - start) / 1e9
let acCPU = Double(threadCPUNanoseconds() - cpu) / 1e9

let mb = Double(text.count) / 1_000_000
let alerts = result.mentions.filter(\.alert).count
print(
    """
    {"entries": \(entries.count), "text_mb": \(mb), "index_build_s": \(indexSeconds), \
    "lexicon_build_s": \(lexiconSeconds), "read_s": \(readSeconds), "read_cpu_s": \(readCPU), \
    "read_mb_s": \(mb / readSeconds), "read_cpu_mb_s": \(mb / readCPU), "mentions": \(result.mentions.count), \
    "alerts": \(alerts), "planted": \(ReportText.planted), \
    "rss_index_mb": \(Double(rssIndex - rssBefore) / 1e6), "rss_lexicon_mb": \(Double(rssReader - rssIndex) / 1e6), \
    "rss_reading_mb": \(Double(rssAfterRead - rssReader) / 1e6), "ac_states": \(automaton.states), \
    "ac_build_s": \(acBuild), "ac_s": \(acSeconds), "ac_mb_s": \(mb / acSeconds), "ac_cpu_mb_s": \(mb / acCPU), \
    "ac_matches": \(acMatches), "rss_ac_mb": \(Double(rssAutomaton - rssAfterRead) / 1e6), \
    "load": "\(loadAverage())"}
    """
)

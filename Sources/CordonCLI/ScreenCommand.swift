import ArgumentParser
import CordonCore
import CordonDemo
import CordonMatch
import Foundation

/// `cordon screen`: screens one name, or a batch of queries, against a watchlist.
struct ScreenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Screen a name or a travel document against the wanted list.",
        discussion: """
            Screens NAME (any script, any order) against the list and prints the hits with their explanations.
            With --batch, reads queries {"id", "name", "birth_date", "nationality"} as JSON lines and writes one
            line per query: {"query_id": ..., "threshold": T, "results": [{"id", "score", "alert", "threshold"}]}, each
            result's threshold its list's own or T.
            With --mrz LINE1 LINE2 [LINE3], checks the document's machine-readable zone and screens its holder.
            With --plate, screens a vehicle plate (Cyrillic or Latin, region code optional) against the vehicles of
            interest instead: the demo scenario's, or --vehicles VEHICLES.jsonl.
            --list may be repeated; each file is a list named after the file (fugitives.jsonl: fugitives) or as
            written before an equals sign (--list fugitives=tonight.jsonl). --list-threshold NAME=T makes that
            list alert at T instead of --threshold; every hit states the threshold it was judged at.
            With --explain-miss ID, scores NAME against that one entry whether or not the index would have scored
            it, and prints the score, the entry's threshold, the gap and what each factor cost in score points.
            """
    )

    @Argument(help: "The name to screen, as written.")
    var name: String?

    @Option(name: [.customLong("born"), .customLong("birth-date")], help: "Birth date: 1973, 1973-04 or 1973-04-12.")
    var born: String?

    @Option(help: "Nationality, ISO 3166-1 alpha-2 (TJ).")
    var nationality: String?

    @Option(help: "Sex: male or female.")
    var sex: String?

    @Option(help: "Travel or identity document number.")
    var document: String?

    @Option(
        help: """
            A watchlist: Cordon JSON lines or OpenSanctions FollowTheMoney JSON lines, as FILE or NAME=FILE; \
            repeat for several lists (default: the demo list).
            """
    )
    var list: [String] = []

    @Option(help: "A list's own alert threshold, NAME=T with T in (0, 1]; repeat for several lists.")
    var listThreshold: [String] = []

    @Option(help: "Explain why NAME did or did not alert on the entry with this id.")
    var explainMiss: String?

    @Option(help: "Queries to screen, JSON lines.")
    var batch: String?

    @Option(help: "The most hits per query.")
    var limit: Int?

    @Option(help: "Alert threshold (default \(ScreeningIndex.defaultThreshold)).")
    var threshold: Double?

    @Flag(help: "Print hits as JSON.")
    var json = false

    @Option(help: "A vehicle plate to screen instead of a name (\"4519 АА 01\", \"4519 AA\").")
    var plate: String?

    @Option(help: "The plate's issuing country, when known (TJ, RU, UZ, AF).")
    var plateCountry: String?

    @Option(help: "Vehicles to screen plates against, JSON lines (default: the demo scenario's vehicles).")
    var vehicles: String?

    @Option(parsing: .upToNextOption, help: "Screen by document: the machine-readable zone's 2 or 3 lines.")
    var mrz: [String] = []

    @Option(help: "With --mrz: today's date (YYYY-MM-DD) for the century of two-digit years (default: today).")
    var today: String?

    func validate() throws {
        if !mrz.isEmpty && plate != nil { throw ValidationError("Give either --mrz or --plate, not both.") }
        if !mrz.isEmpty { return try validateDocument() }
        if let plate {
            try validatePlate(plate)
            return
        }
        if plateCountry != nil || vehicles != nil {
            throw ValidationError("--plate-country and --vehicles need --plate.")
        }
        if batch == nil && name == nil {
            throw ValidationError("Give a NAME to screen, --batch QUERIES.jsonl, --mrz LINES, or --plate PLATE.")
        }
        if batch != nil && name != nil { throw ValidationError("Give either a NAME or --batch, not both.") }
        if batch != nil && list.isEmpty { throw ValidationError("--batch needs --list LIST.jsonl.") }
        if explainMiss != nil && batch != nil { throw ValidationError("--explain-miss takes a NAME, not --batch.") }
        _ = try listThresholds()
        if let born, ScreeningDate(iso: born) == nil {
            throw ValidationError("--born must be YYYY, YYYY-MM or YYYY-MM-DD, not \"\(born)\".")
        }
        if let nationality, nationality.count != 2 {
            throw ValidationError("--nationality must be a two-letter country code, not \"\(nationality)\".")
        }
        if let sex, WatchlistEntry.Gender(rawValue: sex.lowercased()) == nil {
            throw ValidationError("--sex must be male or female.")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be in [0, 1].") }
        if let explainMiss, explainMiss.isEmpty { throw ValidationError("--explain-miss needs an entry id.") }
    }

    func run() async throws {
        if let plate {
            try runPlate(plate)
            return
        }
        let entries = try loadLists()
        var options = ScreeningIndex.Options()
        if let threshold { options.threshold = threshold }
        options.listThresholds = try checkedListThresholds(entries: entries)
        let index = ScreeningIndex(entries: entries, options: options)
        if let batch {
            try runBatch(path: batch, index: index)
            return
        }
        if !mrz.isEmpty { return try runDocument(index: index, threshold: options.threshold) }
        let query = ScreeningQuery(
            name: name ?? "",
            birthDate: born.flatMap(ScreeningDate.init(iso:)),
            nationality: nationality,
            gender: sex.flatMap { WatchlistEntry.Gender(rawValue: $0.lowercased()) },
            documentNumber: document
        )
        if let explainMiss { return try runExplainMiss(query, entryID: explainMiss, index: index) }
        let hits: [ScreeningHit]
        do {
            hits = try index.screen(query, limit: limit ?? 5)
        } catch let error as ScreeningError {
            throw ScreenFailure(message: error.description)
        }
        if json {
            print(Self.json(hits: hits, index: index))
        } else {
            print(Self.text(hits: hits, index: index))
        }
    }

    func runBatch(path: String, index: ScreeningIndex) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScreenFailure(message: "cannot read queries \(path)")
        }
        let (items, issues) = ScreeningQueryReader.parse(data)
        for issue in issues { Self.warn("\(path): \(issue)") }
        let threshold = index.options.threshold
        var out = ""
        out.reserveCapacity(1 << 16)
        for item in items {
            let hits = (try? index.screen(item.query, limit: limit ?? 10)) ?? []
            out += "{\"query_id\": \(Self.quote(item.id)), \"threshold\": \(threshold), \"results\": ["
            for (k, hit) in hits.enumerated() {
                if k > 0 { out += ", " }
                out += "{\"id\": \(Self.quote(hit.entryID)), \"score\": \(hit.score), \"alert\": \(hit.isAlert), "
                out += "\"threshold\": \(hit.threshold)}"
            }
            out += "]}\n"
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    static func quote(_ s: String) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\r": r += "\\r"
            case "\t": r += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    r += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    r.unicodeScalars.append(u)
                }
            }
        }
        return r + "\""
    }

    static func text(hits: [ScreeningHit], index: ScreeningIndex) -> String {
        if hits.isEmpty { return "No match on the list." }
        var lines: [String] = []
        for (k, hit) in hits.enumerated() {
            let entry = index.entry(id: hit.entryID)
            let flag = hit.isAlert ? "ALERT" : "below threshold \(hit.threshold)"
            lines.append("\(k + 1). \(entry?.name ?? hit.entryID) [\(hit.entryID)] score \(hit.score) — \(flag)")
            lines.append("   \(Int((hit.probability * 100).rounded())) % of hits scored so were the person")
            for line in hit.explanation.summary.split(separator: "\n") { lines.append("   " + line) }
        }
        return lines.joined(separator: "\n")
    }

    static func json(hits: [ScreeningHit], index: ScreeningIndex) -> String {
        let array: [[String: Any]] = hits.map { hit in
            let e = hit.explanation
            return [
                "id": hit.entryID,
                "name": index.entry(id: hit.entryID)?.name ?? "",
                "score": hit.score,
                "probability": (hit.probability * 1000).rounded() / 1000,
                "alert": hit.isAlert,
                "threshold": hit.threshold,
                "list": index.entry(id: hit.entryID)?.list as Any? ?? NSNull(),
                "explanation": [
                    "matched_name": e.matchedName,
                    "primary_name": e.isPrimaryName,
                    "name_score": e.nameScore,
                    "parts": e.parts.map {
                        [
                            "query": $0.queryPart, "list": $0.listPart, "rule": $0.rule.rawValue,
                            "similarity": $0.similarity, "weight": $0.weight,
                        ] as [String: Any]
                    },
                    "unmatched_query_parts": e.unmatchedQueryParts,
                    "unmatched_list_parts": e.unmatchedListParts,
                    "evidence": e.evidence.map {
                        ["kind": $0.kind.rawValue, "effect": ($0.effect * 1000).rounded() / 1000, "detail": $0.detail]
                            as [String: Any]
                    },
                    "summary": e.summary,
                ] as [String: Any],
            ]
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: array, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A screening failure reported to the operator in one line.
struct ScreenFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

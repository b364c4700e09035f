import ArgumentParser
import CordonCore
import CordonDocuments
import CordonMatch
import CordonReading
import Foundation

/// `cordon read`: finds the listed persons, organisations and vehicles a report names.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read reports for the people, organisations and vehicles on the list.",
        discussion: """
            Reads each FILE (plain text, HTML or an Atom/RSS feed, UTF-8; - or no FILE reads standard input) and
            prints every mention of a listed person or organisation — in any script, inflected (Мирзоевым,
            Ziyoyevning), by initials, in either order, a surname alone when the text named the person in full
            before — and every plate of a listed vehicle, with the words' offsets in Unicode scalars of the
            document as given, the score and the explanation. With --json, one object per input on one line:
            {"source", "format", "threshold", "mentions": [{"entity", "start", "end", "text", "score", "alert",
            "explanation", ...}], "entities": [{"entity", "score", "alert", ...}]}.
            """
    )

    @Argument(help: "Reports to read (plain text, HTML, Atom or RSS); - or none for standard input.")
    var files: [String] = []

    @Option(help: "The watchlist, as for cordon screen --list (default: the demo scenario's wanted list).")
    var list: String?

    @Option(help: "Vehicles whose plates to look for, JSON lines (default: the demo scenario's vehicles).")
    var vehicles: String?

    @Option(help: "The format of every input: text, html or feed (default: what its first bytes show).")
    var format: String?

    @Option(help: "Alert threshold (default \(ScreeningIndex.defaultThreshold)).")
    var threshold: Double?

    @Option(help: "The largest HTML page or feed read, in bytes (plain text is read as a stream, whatever its size).")
    var maxBytes = 64 << 20

    @Flag(help: "Print one JSON object per input.")
    var json = false

    func validate() throws {
        if let format, ReportDocument.Format(rawValue: format) == nil {
            throw ValidationError("--format must be text, html or feed, not \"\(format)\".")
        }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be in [0, 1].") }
        if maxBytes < 1 { throw ValidationError("--max-bytes must be at least 1.") }
    }

    func run() async throws {
        var options = ScreeningIndex.Options()
        if let threshold { options.threshold = threshold }
        let index = ScreeningIndex(entries: try ScreenCommand.loadList(list), options: options)
        let plates = try ScreenCommand.loadVehicles(vehicles).compactMap { vehicle in
            (try? PlateReading(vehicle.plate.text, country: vehicle.country)).map {
                (id: vehicle.id.rawValue, plate: $0)
            }
        }
        let reader = TextReader(index: index, vehicles: plates)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failed = 0
        for source in files.isEmpty ? ["-"] : files {
            let result: ReadingResult
            let documentFormat: ReportDocument.Format
            do {
                (result, documentFormat) = try read(source, with: reader)
            } catch let failure as ReportDocument.Failure {
                FileHandle.standardError.write(Data("cordon read: \(source): \(failure.message)\n".utf8))
                failed += 1
                continue
            }
            let report = ReadingReport(
                source: source,
                format: documentFormat,
                threshold: reader.threshold,
                result: result
            )
            if json {
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(Self.text(report, result: result))
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// Reads one input: plain text as a stream, a megabyte at a time, whatever its size; HTML and feeds
    /// whole, up to --max-bytes.
    private func read(_ source: String, with reader: TextReader) throws -> (ReadingResult, ReportDocument.Format) {
        let handle: FileHandle
        if source == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: source) else {
                throw ReportDocument.Failure(message: "cannot open the file")
            }
            handle = opened
        }
        defer { if source != "-" { try? handle.close() } }
        var bytes = Array(try handle.read(upToCount: 1 << 20) ?? Data())
        let given = format.flatMap(ReportDocument.Format.init) ?? ReportDocument.detect(bytes)
        if given == .text {
            var stream = ReadingStream(reader: reader)
            try stream.feed(bytes)
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { try stream.feed(chunk) }
            return (try stream.finish(), .text)
        }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            bytes.append(contentsOf: chunk)
            if bytes.count > maxBytes {
                throw ReportDocument.Failure(message: "the document is over \(maxBytes) bytes (--max-bytes)")
            }
        }
        let document = try ReportDocument(bytes: bytes, format: given)
        return (reader.read(document), document.format)
    }

    static func text(_ report: ReadingReport, result: ReadingResult) -> String {
        var lines = [
            "\(report.source) (\(report.format)): \(result.mentions.filter(\.alert).count) alerting mention(s)"
        ]
        for entity in result.entities {
            let flag = entity.alert ? "ALERT" : "     "
            lines.append(
                "  \(flag) \(entity.entity) \(entity.name) — \(MentionExplainerFormat.score(entity.score)), named \(entity.mentions)×"
            )
        }
        for mention in result.mentions {
            let flag = mention.alert ? "!" : " "
            let basis = mention.basis == .earlierMention ? " (surname alone, named in full before)" : ""
            lines.append("  \(flag) [\(mention.start)–\(mention.end)] «\(mention.text)» → \(mention.entity)\(basis)")
            lines.append("      \(mention.explanation)")
            if let ambiguity = mention.ambiguity { lines.append("      ambiguous: \(ambiguity)") }
        }
        return lines.joined(separator: "\n")
    }
}

enum MentionExplainerFormat {
    static func score(_ value: Double) -> String { String(format: "%.2f", value) }
}

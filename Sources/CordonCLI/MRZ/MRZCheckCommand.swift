import ArgumentParser
import CordonCore
import CordonDocuments
import CordonScreening
import Foundation

/// `cordon mrz check`: reads a zone, or a batch of zones, and reports every field, check digit and
/// correction.
struct MRZCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a machine-readable zone: fields, check digits, OCR corrections.",
        discussion: """
            Reads the two or three LINES of a TD1, TD2 or TD3 document or an MRV-A or MRV-B visa and prints \
            every field and check digit. With --batch, reads documents {"id": ..., "lines": [...]} as JSON \
            lines and writes one line per document: {"id": ..., "valid": ..., "document": {...} or null, \
            "issues": [{"path", "reason", "message"}]}. Exits with 1 when a document fails a check or cannot \
            be read.
            """
    )

    @Argument(help: "The zone's lines, each quoted.")
    var lines: [String] = []

    @Option(help: "Documents to check, JSON lines {\"id\", \"lines\"}.")
    var batch: String?

    @Option(help: "Today's date (YYYY-MM-DD), which decides the century of two-digit years (default: today).")
    var today: String?

    @Flag(help: "Print the document as JSON.")
    var json = false

    func validate() throws {
        if batch == nil && lines.isEmpty { throw ValidationError("Give the zone's LINES, or --batch DOCUMENTS.jsonl.") }
        if batch != nil && !lines.isEmpty { throw ValidationError("Give either LINES or --batch, not both.") }
        _ = try MRZOptions.parser(today: today)
    }

    func run() async throws {
        let parser = try MRZOptions.parser(today: today)
        if let batch {
            let allValid = try runBatch(path: batch, parser: parser)
            if !allValid { throw ExitCode(1) }
            return
        }
        let document: MRZDocument
        do {
            document = try parser.parse(lines)
        } catch let failure as ValidationFailure {
            if json {
                print(MRZOptions.serialized(["valid": false, "issues": MRZOptions.issues(failure.issues)]))
            } else {
                for issue in failure.issues { print("mrz\(issue.path): \(issue.message)") }
            }
            throw ExitCode(1)
        }
        print(json ? MRZOptions.encoded(DocumentReport(document)) : MRZOptions.text(document))
        if !document.isValid { throw ExitCode(1) }
    }

    /// Checks each document of a JSON-lines file; returns whether all were valid.
    func runBatch(path: String, parser: MRZParser) throws -> Bool {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScreenFailure(message: "cannot read documents \(path)")
        }
        var allValid = true
        var out = ""
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            let id = object?["id"]
            let idJSON: Any = (id as? String) ?? (id as? NSNumber) ?? NSNull()
            guard let lines = object?["lines"] as? [String] else {
                allValid = false
                let issue = ["path": "lines", "reason": "missing", "message": "line \(number + 1) has no \"lines\""]
                out +=
                    MRZOptions.serialized(["id": idJSON, "valid": false, "document": NSNull(), "issues": [issue]])
                    + "\n"
                continue
            }
            var record: [String: Any] = ["id": idJSON]
            do {
                let document = try parser.parse(lines)
                record["valid"] = document.isValid
                record["document"] = MRZOptions.object(DocumentReport(document))
                record["issues"] = MRZOptions.issues(document.failure?.issues ?? [])
                if !document.isValid { allValid = false }
            } catch let failure as ValidationFailure {
                allValid = false
                record["valid"] = false
                record["document"] = NSNull()
                record["issues"] = MRZOptions.issues(failure.issues)
            }
            out += MRZOptions.serialized(record) + "\n"
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        return allValid
    }
}

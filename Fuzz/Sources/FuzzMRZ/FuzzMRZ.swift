import CordonCore
import CordonDocuments
import FuzzSupport

/// Machine-readable zones: the input's lines go to `MRZParser.parse(_:)` as an officer or a reader
/// would send them.
///
/// Invariants: a zone of the wrong shape throws a `ValidationFailure` naming a line; a document has
/// the layout's lines and every field where it says it is; reading the zone again, in lower case with
/// spaces around, gives the same document; the corrected lines read as the same values; a passed
/// check digit is the computed one; a birth date is not after the day the zone was read.
let today = try! PartialDate("2025-06-01")
let parser = MRZParser(today: today)

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzMRZ(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let lines = text(start, count).split(whereSeparator: \.isNewline).map(String.init)
    let document: MRZDocument
    do {
        document = try parser.parse(lines)
    } catch let failure as ValidationFailure {
        invariant(!failure.issues.isEmpty, "a failure without issues")
        for issue in failure.issues {
            invariant(issue.path.isEmpty || issue.path.hasPrefix("["), "an issue at \(issue.path)")
        }
        return 0
    } catch {
        invariant(false, "threw \(error)")
        return 0
    }
    let format = document.format
    invariant(document.lines.count == format.lineCount, "\(document.lines.count) lines in a \(format) zone")
    for line in document.lines + document.correctedLines {
        invariant(line.utf8.count == format.lineLength, "a line of \(line.utf8.count) in a \(format) zone")
    }
    for field in document.fields {
        let line = Array(document.lines[field.line].utf8)
        let raw = Array(field.raw.utf8)
        let at = field.position - 1
        invariant(at >= 0 && at + raw.count <= line.count, "field \(field.name) outside its line")
        invariant(Array(line[at..<at + raw.count]) == raw, "field \(field.name) is not at \(field.position)")
    }
    for check in document.checks where check.passed {
        invariant(check.expected == check.computed || check.expected == "<", "check \(check.name) passed wrongly")
    }
    invariant(document.isValid == (document.failure == nil), "isValid and failure disagree")
    if let birth = document.birthDate { invariant(!(birth > today), "born \(birth), after \(today)") }

    let again = try? parser.parse(document.lines)
    invariant(again == document, "reading the lines as read again differs")
    let loose = try? parser.parse(lines.map { " " + $0.lowercased() + "\t" })
    invariant(loose == document, "lower case and spaces around change the document")

    guard let corrected = try? parser.parse(document.correctedLines) else {
        invariant(false, "the corrected lines are refused")
        return 0
    }
    invariant(corrected.correctedLines == document.correctedLines, "the corrected lines are corrected again")
    invariant(corrected.fields.map(\.value) == document.fields.map(\.value), "the corrected lines read otherwise")
    invariant(corrected.checks.map(\.passed) == document.checks.map(\.passed), "the corrected lines check otherwise")
    return 0
}

import ArgumentParser
import CordonCore
import CordonDocuments
import CordonMatch
import CordonScreening
import Foundation

extension ScreenCommand {
    /// `--mrz` stands instead of a name and the fields a document holds.
    func validateDocument() throws {
        if name != nil || batch != nil { throw ValidationError("Give either --mrz or a NAME or --batch, not both.") }
        if born != nil || nationality != nil || sex != nil || document != nil {
            throw ValidationError("--mrz gives the birth date, nationality, sex and document number itself.")
        }
        if !(2...3).contains(mrz.count) { throw ValidationError("--mrz takes the zone's 2 or 3 lines.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be in [0, 1].") }
        _ = try MRZOptions.parser(today: today)
    }

    /// Checks the zone, prints the check, then screens the holder and prints the hits. A document that
    /// fails its checks is still screened by what it says (a forged zone is a reason to look harder),
    /// and the command then exits with 1.
    func runDocument(index: ScreeningIndex, threshold: Double) throws {
        let document: MRZDocument
        do {
            document = try MRZOptions.parser(today: today).parse(mrz)
        } catch let failure as ValidationFailure {
            let message = failure.issues.map { "mrz\($0.path): \($0.message)" }.joined(separator: "; ")
            throw ScreenFailure(message: message)
        }
        let hits: [ScreeningHit]
        do {
            hits = try index.screen(DocumentScreening.query(for: document), limit: limit ?? 5)
        } catch let error as ScreeningError {
            throw ScreenFailure(message: error.description)
        }
        if json {
            print(
                "{\"document\": \(MRZOptions.encoded(DocumentReport(document))), \"hits\": \(Self.json(hits: hits, index: index))}"
            )
        } else {
            print(MRZOptions.text(document))
            print("")
            print(Self.text(hits: hits, index: index))
        }
        if !document.isValid { throw ExitCode(1) }
    }
}

import CordonMatch
import CordonScreening
import Foundation

/// `cordon screen NAME --explain-miss ID`: why NAME did or did not alert on one listed entry.
extension ScreenCommand {
    /// Scores the query against the entry directly and prints the verdict and what each factor cost.
    ///
    /// - Throws: ``ScreenFailure`` for an id not on the list or a name with nothing to match on.
    func runExplainMiss(_ query: ScreeningQuery, entryID: String, index: ScreeningIndex) throws {
        let found: MissExplanation?
        do {
            found = try index.explainMiss(query, entryID: entryID)
        } catch let error as ScreeningError {
            throw ScreenFailure(message: error.description)
        }
        guard let miss = found, let entry = index.entry(id: entryID) else {
            throw ScreenFailure(message: "no entry \"\(entryID)\" on the list")
        }
        let report = MissReport(miss, entry: entry)
        if json {
            print(try report.json())
        } else {
            print(Self.missText(report))
        }
    }

    static func missText(_ report: MissReport) -> String {
        var lines: [String] = []
        let list = report.list.map { " on list \($0)" } ?? ""
        lines.append("\(report.name) [\(report.entity)]\(list)")
        lines.append(report.summary)
        lines.append("explanation:")
        for line in report.explanation.summary.split(separator: "\n") { lines.append("   " + line) }
        return lines.joined(separator: "\n")
    }
}

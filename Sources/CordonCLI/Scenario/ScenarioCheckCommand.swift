import ArgumentParser
import CordonCore
import Foundation

/// `cordon scenario check FILE`: validate a scenario and list every bad field.
struct ScenarioCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a scenario file, listing every bad field with its path.",
        discussion: "Exits 0 when the file is valid, 1 when it is not, 2 when it cannot be read."
    )

    @Argument(help: "A scenario JSON file, or - for standard input.")
    var file: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let data: Data
        do {
            data = try ScenarioFile.read(file)
        } catch let error as ScenarioFile.ReadError {
            printError(error.description)
            throw ExitCode(2)
        }
        do {
            let scenario = try Scenario.decode(from: data, context: ScenarioFile.presentContext())
            let summary = ScenarioSummary(scenario)
            switch format {
            case .text:
                print(
                    "\(file): valid — \(summary.persons) persons (\(summary.wanted) wanted), \(summary.checkpoints) checkpoints, "
                        + "\(summary.vehicles) vehicles, \(summary.events) events"
                )
            case .json:
                print(#"{"valid":true,"issues":[]}"#)
            }
        } catch let failure as ValidationFailure {
            switch format {
            case .text:
                for issue in failure.issues {
                    print("\(issue.path.isEmpty ? "(document)" : issue.path): \(issue.message) [\(issue.reason)]")
                }
                printError("\(file): \(failure.issues.count) problem\(failure.issues.count == 1 ? "" : "s")")
            case .json:
                struct Report: Encodable {
                    let valid: Bool
                    let issues: [ValidationFailure.Issue]
                }
                let data = try JSONEncoder.cordon(prettyPrinted: true).encode(
                    Report(valid: false, issues: failure.issues)
                )
                print(String(decoding: data, as: UTF8.self))
            }
            throw ExitCode(1)
        }
    }
}

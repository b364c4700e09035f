import ArgumentParser
import CordonCore
import CordonDemo
import Foundation

/// `cordon scenario show [FILE]`: summarise a scenario.
struct ScenarioShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Summarise a scenario: the built-in demo, or FILE."
    )

    @Argument(help: "A scenario JSON file, or - for standard input. Default: the built-in demo.")
    var file: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let scenario: Scenario
        do {
            if let file {
                scenario = try Scenario.decode(from: ScenarioFile.read(file), context: ScenarioFile.presentContext())
            } else {
                scenario = try DemoScenario.load(context: ScenarioFile.presentContext())
            }
        } catch let failure as ValidationFailure {
            printError(
                "\(file ?? "demo") is not a valid scenario (\(failure.issues.count) problems); run 'cordon scenario check' for the list"
            )
            throw ExitCode(1)
        } catch let error as ScenarioFile.ReadError {
            printError(error.description)
            throw ExitCode(2)
        }
        let summary = ScenarioSummary(scenario)
        switch format {
        case .json:
            let data = try JSONEncoder.cordon(prettyPrinted: true).encode(summary)
            print(String(decoding: data, as: UTF8.self))
        case .text:
            print(ScenarioReport.render(scenario, summary: summary))
        }
    }
}

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data(("cordon: " + line + "\n").utf8))
}

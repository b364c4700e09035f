import ArgumentParser

/// `cordon scenario`: look at and check scenarios.
struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Summarise or validate a scenario (facility, people, checkpoints, timeline).",
        subcommands: [ScenarioShowCommand.self, ScenarioCheckCommand.self]
    )
}

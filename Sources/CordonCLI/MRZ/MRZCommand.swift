import ArgumentParser

/// `cordon mrz`: commands on machine-readable zones of travel documents.
struct MRZCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mrz",
        abstract: "Read and check machine-readable zones (ICAO Doc 9303).",
        subcommands: [MRZCheckCommand.self]
    )
}

import ArgumentParser

/// `cordon checkpoint`: the commands a checkpoint runs.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Run a checkpoint's side of Cordon.",
        subcommands: [
            CheckpointListenCommand.self, CheckpointSyncCommand.self, CheckpointScreenCommand.self,
            CheckpointReportCommand.self, CheckpointStatusCommand.self, CheckpointStationCommand.self,
        ]
    )
}

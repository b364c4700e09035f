import ArgumentParser

/// The `cordon` command.
@main
struct Cordon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cordon",
        abstract: "Cordon: custody watch, alerts, screening and pursuit for a detention escape.",
        discussion: """
            Cordon watches custody, alerts checkpoints, screens names, documents and plates against the \
            wanted list, and tracks the pursuit. Run a subcommand with --help for its options.
            """,
        version: CordonCLIVersion.current,
        subcommands: [
            ScenarioCommand.self, ScreenCommand.self, ServeCommand.self, UserCommand.self, AuditCommand.self,
            CheckpointCommand.self, CredentialCommand.self, DemoCommand.self, MRZCommand.self, BackupCommand.self,
            RestoreCommand.self, DemoNodeCommand.self, ReadCommand.self,
        ]
    )
}

/// The version the command reports.
enum CordonCLIVersion {
    static let current = "0.1.0"
}

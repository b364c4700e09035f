import ArgumentParser

/// `cordon audit`: commands on the hash-chained audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the tamper-evident audit log.",
        subcommands: [AuditVerifyCommand.self]
    )
}

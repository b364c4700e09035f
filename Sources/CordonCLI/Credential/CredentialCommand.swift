import ArgumentParser

/// `cordon credential`: officers' signed credentials.
struct CredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential",
        abstract: "Issue, verify and revoke officers' signed credentials.",
        subcommands: [CredentialIssueCommand.self, CredentialVerifyCommand.self, CredentialRevokeCommand.self]
    )
}

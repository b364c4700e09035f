import ArgumentParser
import CordonCore
import CordonServer
import CordonStore
import Foundation
import Logging

/// `cordon user`: manage accounts.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage accounts.",
        subcommands: [UserAddCommand.self]
    )
}

/// `cordon user add NAME --role ROLE`: creates an account, reading the password from standard input.
struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an account; the password is read from standard input (its first line).",
        discussion:
            "Exits 0 when created, 1 when refused (bad name, weak password, name taken), 2 when the database cannot be opened."
    )

    @Argument(help: "The username: 3-64 lower-case letters, digits, '.', '_' or '-'.")
    var name: String

    @Option(help: "The role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: String

    @Option(
        help: """
            The checkpoints and posts whose alert streams the account may hold, comma-separated \
            (checkpoints/cp-air-dushanbe,posts/post-ward-gate); admins and commanders may hold any.
            """
    )
    var serves: String?

    @Option(
        help:
            "A SQLite file, or postgresql://user@host:port/database. Default: $CORDON_DATABASE_URL, else cordon.sqlite."
    )
    var database: String?

    func run() async throws {
        guard let role = Role(rawValue: role) else {
            printError("--role \(role) is not a role (\(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            throw ExitCode(1)
        }
        let recipients = (serves ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        do {
            try Account.validate(username: name)
            try Account.validate(serves: recipients)
        } catch let failure as ValidationFailure {
            printError(failure.issues.map(\.message).joined(separator: "; "))
            throw ExitCode(1)
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            printError("no password on standard input")
            throw ExitCode(1)
        }
        if let weakness = PasswordHasher.weakness(of: line) {
            printError(weakness)
            throw ExitCode(1)
        }
        let account = Account(
            username: name,
            role: role,
            passwordHash: try await PasswordHasher(cost: ServerConfiguration().bcryptCost).hash(line),
            createdAt: Date(),
            serves: recipients
        )
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation(option: database, default: "cordon.sqlite")
        } catch {
            printError(String(describing: error))
            throw ExitCode(2)
        }
        var opened = false
        do {
            try await location.withStore(logger: Logger(label: "cordon"), reachWithin: .seconds(10)) { store in
                opened = true
                try await store.createAccount(
                    account,
                    audit: .init(
                        actor: "cli",
                        action: "accounts.create",
                        target: "accounts/\(name)",
                        details: .object([
                            "role": .string(role.rawValue), "serves": .array(account.serves.map(JSONValue.string)),
                        ])
                    )
                )
            }
        } catch let error as StoreError where error.code == .conflict && opened {
            printError("an account named \(name) exists already")
            throw ExitCode(1)
        } catch let error as StoreError {
            printError("cannot write to the database \(location): \(ServeCommand.describe(error))")
            throw ExitCode(2)
        }
        print("account \(name) created with role \(role)")
    }
}

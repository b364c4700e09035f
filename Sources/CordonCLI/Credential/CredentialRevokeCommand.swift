import ArgumentParser
import CordonCore
import Foundation

/// `cordon credential revoke`: revokes an officer's credential at headquarters.
struct CredentialRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an officer's credential.",
        discussion: """
            Revoking a revoked credential changes nothing. Checkpoints learn of the revocation with their \
            next alert. The token may come from CORDON_TOKEN instead of --token.
            """
    )

    @Argument(help: "The credential's id (cr-…).")
    var id: String

    @Option(help: "The server's base URL (http://127.0.0.1:8080).")
    var server: String

    @Option(help: "A bearer token of an admin or commander (or set CORDON_TOKEN).")
    var token: String?

    @Option(help: "Why it is revoked (uniform stolen, officer killed).")
    var reason: String

    func validate() throws {
        guard (try? CredentialID(id)) != nil else { throw ValidationError("'\(id)' is not a credential id") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--reason must not be empty")
        }
        _ = try ServerClient(server: server, token: token)
    }

    func run() async throws {
        let client = try ServerClient(server: server, token: token)
        do {
            let answer = try await client.call("POST", "/v1/credentials/\(id)/revoke", json: ["reason": reason])
            let changed = answer["changed"] as? Bool ?? false
            print(changed ? "revoked \(id)" : "\(id) was already revoked")
        } catch let failure as ServerClient.Failure {
            printError(failure.description)
            throw ExitCode(1)
        }
    }
}

import ArgumentParser
import CordonCore
import Crypto
import Foundation

/// `cordon credential issue`: asks headquarters to sign an officer's credential and prints the token.
struct CredentialIssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue an officer's signed credential and print its token.",
        discussion: """
            Either --staff (name, service number, unit and role come from the staff record) or --name, \
            --service-number, --unit and --role. --photo binds the SHA-256 of a photo file. The token \
            (CDC1.…) is printed alone on standard output, ready for a QR code; the credential's id and \
            validity go to standard error. The token may come from CORDON_TOKEN instead of --token.
            """
    )

    @Option(help: "The server's base URL (http://127.0.0.1:8080).")
    var server: String

    @Option(help: "A bearer token of an admin or commander (or set CORDON_TOKEN).")
    var token: String?

    @Option(help: "The member of staff's identifier (st-ward-qodirov-sorbon).")
    var staff: String?

    @Option(help: "The officer's name as written on the credential.")
    var name: String?

    @Option(help: "The officer's service number.")
    var serviceNumber: String?

    @Option(help: "The officer's unit.")
    var unit: String?

    @Option(help: "The officer's role: guard, duty_officer, commander, checkpoint_officer, analyst, medic, other.")
    var role: String?

    @Option(help: "A photo of the officer whose SHA-256 the credential binds.")
    var photo: String?

    @Option(help: "Days the credential holds from now (default 365).")
    var validDays: Int?

    @Flag(help: "Print the whole answer as JSON instead of the token.")
    var json: Bool = false

    func validate() throws {
        let explicit = [name, serviceNumber, unit, role]
        if staff != nil {
            guard explicit.allSatisfy({ $0 == nil }) else {
                throw ValidationError("give --staff or --name, --service-number, --unit and --role, not both")
            }
        } else {
            guard explicit.allSatisfy({ $0 != nil }) else {
                throw ValidationError("give --staff, or all of --name, --service-number, --unit and --role")
            }
        }
        if let validDays, !(1...3650).contains(validDays) {
            throw ValidationError("--valid-days must be from 1 to 3650")
        }
        _ = try ServerClient(server: server, token: token)
    }

    func run() async throws {
        let client = try ServerClient(server: server, token: token)
        var body: [String: Any] = [:]
        if let staff {
            body["staff"] = staff
        } else {
            body["name"] = name
            body["service_number"] = serviceNumber
            body["unit"] = unit
            body["role"] = role
        }
        if let photo {
            guard let data = FileManager.default.contents(atPath: photo) else {
                printError("cannot read the photo \(photo)")
                throw ExitCode(2)
            }
            body["photo_sha256"] = Hex.encode(SHA256.hash(data: data))
        }
        if let validDays {
            let now = Date()
            body["valid_from"] = Instant.format(now, in: TimeZone(secondsFromGMT: 0)!)
            body["valid_until"] = Instant.format(
                now.addingTimeInterval(TimeInterval(validDays) * 86400),
                in: TimeZone(secondsFromGMT: 0)!
            )
        }
        let answer: [String: Any]
        do {
            answer = try await client.call("POST", "/v1/credentials", json: body)
        } catch let failure as ServerClient.Failure {
            printError(failure.description)
            throw ExitCode(1)
        }
        guard let token = answer["token"] as? String, let credential = answer["credential"] as? [String: Any] else {
            printError("the server's answer has no token")
            throw ExitCode(1)
        }
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: answer,
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
            FileHandle.standardOutput.write(data + Data("\n".utf8))
            return
        }
        FileHandle.standardOutput.write(Data((token + "\n").utf8))
        printError(
            "issued \(credential["id"] as? String ?? "?") to \(credential["name"] as? String ?? "?"), "
                + "valid \(credential["valid_from"] as? String ?? "?") to \(credential["valid_until"] as? String ?? "?")"
                + " (\(token.utf8.count) characters)"
        )
    }
}

import ArgumentParser
import CordonCheckpoint
import CordonCore
import CordonDocuments
import Foundation

/// `cordon credential verify`: checks an officer's credential offline, with headquarters' public key
/// and a list of revoked credentials, or fetches both from the server first.
struct CredentialVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an officer's credential token, offline.",
        discussion: """
            Give headquarters' credential public key with --key (64 hex digits; repeat for several keys) or \
            --key-file (hex keys, one a line, or the JSON of GET /v1/credentials/keys), or give --server and \
            --token to fetch the keys and the revocations first, or give --store, a checkpoint's copy of the \
            signed list (`cordon checkpoint sync`), which carries both. --revoked names a file of revoked \
            credential ids: one a line (lines of digits and lines starting with # are skipped, so the state \
            file of `cordon checkpoint listen` will do), or the JSON of GET /v1/credentials/revocations. \
            Prints who the credential names and the verdict. Exit status: 0 valid, 1 invalid, 2 for a usage \
            or I/O error.
            """
    )

    @Argument(help: "The credential token (CDC1.…), or - to read it from standard input.")
    var credential: String?

    @Option(help: "Headquarters' credential public key, 64 hex digits (repeatable).")
    var key: [String] = []

    @Option(help: "A file of headquarters' credential public keys.")
    var keyFile: String?

    @Option(help: "Fetch the keys and revocations from this server (http://127.0.0.1:8080).")
    var server: String?

    @Option(help: "A bearer token for --server (or set CORDON_TOKEN).")
    var token: String?

    @Option(help: "A checkpoint's copy of the signed list, whose keys and revocations are used (offline).")
    var store: String?

    @Option(help: "A file of revoked credential ids.")
    var revoked: String?

    @Option(help: "Verify as of this instant (2010-08-23T01:10:00+05:00) instead of now.")
    var at: String?

    @Flag(help: "Print the verdict as one JSON object.")
    var json: Bool = false

    /// A usage or I/O problem: printed, exit status 2.
    struct Trouble: Error {
        let message: String
    }

    func run() async throws {
        do {
            let result = try await verify()
            report(result)
            if !result.isValid { throw ExitCode(1) }
        } catch let trouble as Trouble {
            printError(trouble.message)
            throw ExitCode(2)
        }
    }

    func verify() async throws -> CredentialVerification {
        var text = credential ?? ""
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw Trouble(message: "give the credential token (or - to read it)") }
        let sources =
            (key.isEmpty ? 0 : 1) + (keyFile == nil ? 0 : 1) + (server == nil ? 0 : 1) + (store == nil ? 0 : 1)
        guard sources == 1 else { throw Trouble(message: "give one of --key, --key-file, --server or --store") }
        var now = Date()
        if let at {
            guard let instant = Instant.parse(at) else {
                throw Trouble(message: "--at '\(at)' is not an ISO 8601 instant with an offset")
            }
            now = instant
        }
        var keys: [CredentialPublicKey] = []
        var revocations: [String: String?] = [:]
        for hex in key { keys.append(try Self.publicKey(hex, from: "--key")) }
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else {
                throw Trouble(message: "cannot read \(keyFile)")
            }
            keys += try Self.publicKeys(in: data, from: keyFile)
        }
        if let store {
            guard FileManager.default.fileExists(atPath: store + "/checkpoint.sqlite") else {
                throw Trouble(message: "no checkpoint copy in \(store): run `cordon checkpoint sync` first")
            }
            do {
                let copy = try CheckpointStore(folder: store)
                guard try copy.listVersion() != nil else {
                    throw Trouble(message: "no list yet in \(store): run `cordon checkpoint sync` first")
                }
                for hex in try copy.credentialKeys() { keys.append(try Self.publicKey(hex, from: store)) }
                revocations = try copy.revocations()
                if !json, let list = try? OfflineList(store: copy, loadIndex: false) {
                    FileHandle.standardOutput.write(
                        Data("keys and revocations of \(list.age(now: Date(), zone: .current))\n".utf8)
                    )
                }
            } catch let trouble as Trouble {
                throw trouble
            } catch {
                throw Trouble(message: "cannot read the checkpoint copy \(store): \(error)")
            }
        }
        if let server {
            let client: ServerClient
            do {
                client = try ServerClient(server: server, token: token)
            } catch let error as ValidationError {
                throw Trouble(message: error.message)
            }
            do {
                let keyAnswer = try await client.call("GET", "/v1/credentials/keys")
                keys += try Self.publicKeys(
                    in: try JSONSerialization.data(withJSONObject: keyAnswer),
                    from: "the server"
                )
                let revocationAnswer = try await client.call("GET", "/v1/credentials/revocations")
                revocations = Self.revocations(
                    in: try JSONSerialization.data(withJSONObject: revocationAnswer)
                )
            } catch let failure as ServerClient.Failure {
                throw Trouble(message: failure.description)
            }
        }
        if let revoked {
            guard let data = FileManager.default.contents(atPath: revoked) else {
                throw Trouble(message: "cannot read \(revoked)")
            }
            revocations.merge(Self.revocations(in: data)) { old, new in old ?? new }
        }
        guard !keys.isEmpty else { throw Trouble(message: "no public key to verify with") }
        return CredentialVerifier(keys: keys, revoked: revocations).verify(text, at: now)
    }

    func report(_ result: CredentialVerification) {
        let utc = TimeZone(secondsFromGMT: 0)!
        if json {
            var object: [String: Any] = [
                "status": result.status.rawValue, "valid": result.isValid, "message": result.message,
            ]
            if let reason = result.revocationReason { object["revocation_reason"] = reason }
            if let credential = result.credential {
                var fields: [String: Any] = [
                    "id": credential.id, "key_id": credential.keyID.description, "name": credential.name,
                    "service_number": credential.serviceNumber, "unit": credential.unit, "role": credential.role,
                    "valid_from": Instant.format(credential.validFrom, in: utc),
                    "valid_until": Instant.format(credential.validUntil, in: utc),
                ]
                if let photo = credential.photoSHA256 { fields["photo_sha256"] = Hex.encode(photo) }
                object["credential"] = fields
            }
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                ?? Data()
            FileHandle.standardOutput.write(data + Data("\n".utf8))
            return
        }
        var lines: [String] = []
        if result.isValid {
            lines.append("VALID: \(result.message)")
        } else {
            lines.append("INVALID (\(result.status.rawValue)): \(result.message)")
        }
        if let credential = result.credential {
            let claim = result.isValid ? "" : " (as the token claims; not vouched for)"
            lines.append("  officer: \(credential.name)\(claim)")
            lines.append(
                "  service number: \(credential.serviceNumber); role: \(credential.role); unit: \(credential.unit)"
            )
            lines.append(
                "  credential \(credential.id), key \(credential.keyID), valid "
                    + "\(Instant.format(credential.validFrom, in: utc)) to \(Instant.format(credential.validUntil, in: utc))"
            )
            if let photo = credential.photoSHA256 { lines.append("  photo SHA-256: \(Hex.encode(photo))") }
        }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    static func publicKey(_ hex: String, from source: String) throws -> CredentialPublicKey {
        guard let key = CredentialPublicKey(hex: hex.trimmingCharacters(in: .whitespaces)) else {
            throw Trouble(message: "\(source): '\(hex.prefix(80))' is not an Ed25519 public key in hex (64 digits)")
        }
        return key
    }

    /// Keys as the JSON of `GET /v1/credentials/keys`, or as hex lines.
    static func publicKeys(in data: Data, from source: String) throws -> [CredentialPublicKey] {
        if let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            guard let items = object["keys"] as? [[String: Any]] else {
                throw Trouble(message: "\(source) holds JSON without keys")
            }
            return try items.map { try publicKey($0["public_key"] as? String ?? "", from: source) }
        }
        return try String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { try publicKey($0, from: source) }
    }

    /// Revoked ids as the JSON of `GET /v1/credentials/revocations` (with reasons), or one a line.
    static func revocations(in data: Data) -> [String: String?] {
        if let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let items = object["revocations"] as? [[String: Any]]
        {
            var out: [String: String?] = [:]
            for item in items {
                if let id = item["id"] as? String { out[id] = item["reason"] as? String }
            }
            return out
        }
        var out: [String: String?] = [:]
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let id = line.trimmingCharacters(in: .whitespaces)
            if id.isEmpty || id.hasPrefix("#") || id.allSatisfy(\.isNumber) { continue }
            out[id] = String?.none
        }
        return out
    }
}

import ArgumentParser
import CordonCheckpoint
import CordonCore
import CordonEvents
import Foundation
import Synchronization

/// `cordon checkpoint listen`: holds a checkpoint's alert stream open, prints each alert once, and
/// confirms and acknowledges it.
struct CheckpointListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Receive a checkpoint's alerts, print them and acknowledge them.",
        discussion: """
            Connects to the server's WebSocket stream of the checkpoint and says which alerts it has seen \
            (the last sequence number, kept in --state between runs), so that it receives everything it \
            missed, in order, and nothing twice. The state file also keeps the revoked officer credentials \
            that came with the latest alert, one id a line after the sequence number, so that \
            `cordon credential verify --revoked STATE` refuses them offline. Each new alert is printed, confirmed as received and, \
            unless --no-ack, acknowledged. A dropped connection is opened again, on the next server when several are given, waiting \
            a little longer each round. The token may come from CORDON_TOKEN instead of --token.
            """
    )

    @Option(
        help: """
            A server's base URL (http://127.0.0.1:8080). Give several (--server A --server B, or A,B) for \
            the nodes of one deployment: the stream moves to the next when one is gone or stands by.
            """
    )
    var server: [String]

    /// The servers named, commas split.
    var servers: [String] {
        server.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    @Option(help: "A bearer token of a checkpoint officer (or set CORDON_TOKEN).")
    var token: String?

    @Option(help: "The checkpoint's identifier (cp-air-dushanbe).")
    var checkpoint: String

    @Option(help: "A file that keeps the last sequence seen between runs.")
    var state: String?

    @Option(help: "Stop after this many new alerts have been received and acknowledged.")
    var count: Int?

    @Option(help: "Stop after this many seconds.")
    var seconds: Double?

    @Flag(help: "Confirm receipt but do not acknowledge: a person will acknowledge later.")
    var noAck: Bool = false

    @Option(help: "A note sent with each acknowledgement (who read it).")
    var note: String?

    @Option(
        help: "This device's name when several hold the checkpoint's stream (desk 2); every device gets every alert."
    )
    var device: String?

    @Flag(help: "Print each alert as one JSON line instead of text.")
    var json: Bool = false

    func validate() throws {
        guard !servers.isEmpty else { throw ValidationError("give --server, such as http://127.0.0.1:8080") }
        for server in servers {
            guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw ValidationError("--server must be an http:// or https:// URL, such as http://127.0.0.1:8080")
            }
        }
        guard (try? CheckpointID(checkpoint)) != nil else {
            throw ValidationError("--checkpoint '\(checkpoint)' is not an identifier")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let device, device.isEmpty || device.count > ClientFrame.deviceLimit {
            throw ValidationError("--device must be 1 to \(ClientFrame.deviceLimit) characters")
        }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be more than 0") }
        if token == nil, ProcessInfo.processInfo.environment["CORDON_TOKEN"]?.isEmpty ?? true {
            throw ValidationError("give --token or set CORDON_TOKEN")
        }
    }

    func run() async throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["CORDON_TOKEN"] ?? ""
        let client: AlertStreamClient
        do {
            client = try AlertStreamClient(
                configuration: .init(
                    servers: servers,
                    path: "/v1/checkpoints/\(checkpoint)/stream",
                    token: token,
                    automaticAcknowledgement: noAck ? .none : .some(note),
                    stateFile: state,
                    device: device
                )
            )
        } catch {
            printError(String(describing: error))
            throw ExitCode(2)
        }
        let tally = Mutex(Tally())
        let limit = count
        let acknowledge = !noAck
        let json = self.json
        let run: @Sendable () async throws -> Void = {
            try await client.run { event in
                switch event {
                case .alert(let frame, let isNew):
                    guard isNew else { return .proceed }
                    tally.withLock { tally in
                        tally.received += 1
                        if acknowledge { tally.pending.insert(frame.content.alert.id.rawValue) }
                    }
                    Self.write(json ? frame.text : Self.describe(frame))
                case .revocationsChanged(let revoked):
                    if !json {
                        Self.write(
                            "  revoked credentials: \(revoked.isEmpty ? "none" : revoked.joined(separator: ", "))"
                        )
                    }
                case .acknowledged(let alert, let ack):
                    tally.withLock { _ = $0.pending.remove(alert) }
                    if !json { Self.write("  acknowledged \(alert) (CAP Ack \(ack))") }
                case .problem(let message):
                    printError(message)
                case .connectionLost(let reason, let delay):
                    printError("connection lost (\(reason)); trying again in \(delay)")
                case .connected, .closed:
                    break
                }
                let done = tally.withLock { tally in
                    guard let limit else { return false }
                    return tally.received >= limit && (!acknowledge || tally.pending.isEmpty)
                }
                return done ? .finish : .proceed
            }
        }
        do {
            try await withDeadline(seconds.map { ContinuousClock.now + .seconds($0) }, run)
        } catch let refused as AlertStreamClient.Refused {
            printError(refused.description)
            throw ExitCode(1)
        } catch is DeadlineReached {
            return
        }
    }

    private struct Tally {
        var received = 0
        var pending: Set<String> = []
    }

    static func describe(_ frame: AlertFrame) -> String {
        let alert = frame.content.alert
        let cap = frame.content.cap
        var lines = [
            "#\(frame.sequence) \(alert.kind.rawValue.uppercased()) \(Instant.format(alert.sentAt, in: TimeZone(secondsFromGMT: 0)!)): "
                + "\(alert.headline) [CAP \(cap.messageType) \(cap.identifier)]"
        ]
        if alert.persons.count + alert.vehicles.count > 0 {
            lines.append(
                "  \(alert.persons.count) wanted persons, \(alert.vehicles.count) vehicles; incident \(alert.incident.rawValue)"
            )
        }
        return lines.joined(separator: "\n")
    }

    static func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Thrown when --seconds runs out.
struct DeadlineReached: Error {}

/// Runs `body` until it ends or `deadline` passes.
func withDeadline(
    _ deadline: ContinuousClock.Instant?,
    _ body: @escaping @Sendable () async throws -> Void
) async throws {
    guard let deadline else { return try await body() }
    try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await body()
            return true
        }
        group.addTask {
            try await Task.sleep(until: deadline)
            return false
        }
        let finished = try await group.next() ?? false
        group.cancelAll()
        if !finished { throw DeadlineReached() }
    }
}

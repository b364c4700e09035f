import ArgumentParser
import CordonCore
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
            unless --no-ack, acknowledged. A dropped connection is opened again, waiting a little longer \
            each time. The token may come from CORDON_TOKEN instead of --token.
            """
    )

    @Option(help: "The server's base URL (http://127.0.0.1:8080).")
    var server: String

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

    @Flag(help: "Print each alert as one JSON line instead of text.")
    var json: Bool = false

    func validate() throws {
        guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw ValidationError("--server must be an http:// or https:// URL, such as http://127.0.0.1:8080")
        }
        guard (try? CheckpointID(checkpoint)) != nil else {
            throw ValidationError("--checkpoint '\(checkpoint)' is not an identifier")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be more than 0") }
        if token == nil, ProcessInfo.processInfo.environment["CORDON_TOKEN"]?.isEmpty ?? true {
            throw ValidationError("give --token or set CORDON_TOKEN")
        }
    }

    func run() async throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["CORDON_TOKEN"] ?? ""
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let path = "/v1/checkpoints/\(checkpoint)/stream"
        let socketURL =
            base.replacingOccurrences(of: "https://", with: "wss://")
            .replacingOccurrences(of: "http://", with: "ws://") + path
        let listener = Listener(
            stateFile: state,
            limit: count,
            acknowledge: !noAck,
            note: note,
            json: json,
            lastSeen: try Self.readState(state),
            revoked: Self.readRevoked(state)
        )
        let logger = {
            var logger = Logger(label: "cordon-checkpoint")
            logger.logLevel = .critical
            return logger
        }()
        let deadline = seconds.map { ContinuousClock.now + .seconds($0) }
        var delay = Duration.milliseconds(500)
        while true {
            do {
                try await withDeadline(deadline) {
                    try await WebSocketClient.connect(
                        url: socketURL,
                        configuration: .init(
                            maxFrameSize: 1 << 22,
                            additionalHeaders: [.authorization: "Bearer \(token)"]
                        ),
                        logger: logger
                    ) { inbound, outbound, _ in
                        try await listener.serve(inbound: inbound, outbound: outbound)
                    }
                }
            } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
                // The server refused the stream: ask it why over plain HTTP, then give up.
                printError(await Self.refusal(base + path, token: token))
                throw ExitCode(1)
            } catch is DeadlineReached {
                return
            } catch {
                if listener.isDone { return }
                printError("connection lost (\(error)); trying again in \(delay)")
            }
            if listener.isDone { return }
            if let deadline, ContinuousClock.now >= deadline { return }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(30))
        }
    }

    /// The sequence number on the state file's first line (0 without a file).
    static func readState(_ path: String?) throws -> Int {
        guard let path, FileManager.default.fileExists(atPath: path) else { return 0 }
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.split(whereSeparator: \.isNewline).first
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let text, let value = Int(text), value >= 0 else {
            printError("\(path) does not hold a sequence number")
            throw ExitCode(2)
        }
        return value
    }

    /// The revoked credential ids on the state file's other lines; nil when the file keeps none.
    static func readRevoked(_ path: String?) -> [String]? {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(whereSeparator: \.isNewline).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        let ids = lines.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return lines.isEmpty ? nil : ids
    }

    static func refusal(_ url: String, token: String) async -> String {
        guard let url = URL(string: url) else { return "the server refused the stream" }
        var request = URLRequest(url: url)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let status = (response as? HTTPURLResponse)?.statusCode
        else { return "the server refused the stream and could not say why" }
        let detail = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["detail"] as? String
        return "the server refused the stream: \(status)" + (detail.map { ", \($0)" } ?? "")
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

/// One checkpoint's side of the stream: what it has seen, what it prints, what it acknowledges.
final class Listener: Sendable {
    private struct State {
        var lastSeen: Int
        var received = 0
        var acknowledged: Set<String> = []
        var pendingAcks: Set<String> = []
        /// The revoked credential ids of the latest alert frame that carried them.
        var revoked: [String]?
    }

    let stateFile: String?
    let limit: Int?
    let acknowledge: Bool
    let note: String?
    let json: Bool
    private let state: Mutex<State>

    init(
        stateFile: String?,
        limit: Int?,
        acknowledge: Bool,
        note: String?,
        json: Bool,
        lastSeen: Int,
        revoked: [String]? = nil
    ) {
        self.stateFile = stateFile
        self.limit = limit
        self.acknowledge = acknowledge
        self.note = note
        self.json = json
        self.state = Mutex(State(lastSeen: lastSeen, revoked: revoked))
    }

    /// Whether the --count alerts have all been received (and acknowledged).
    var isDone: Bool {
        state.withLock { state in
            guard let limit else { return false }
            return state.received >= limit && (!acknowledge || state.pendingAcks.isEmpty)
        }
    }

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let lastSeen = state.withLock { $0.lastSeen }
        try await outbound.write(
            .text(Self.text(["type": .string("hello"), "last_sequence": .number(Double(lastSeen))]))
        )
        for try await message in inbound.messages(maxSize: 1 << 22) {
            guard case .text(let text) = message,
                case .object(let frame)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
                case .string(let type)? = frame["type"]
            else { continue }
            switch type {
            case "alert":
                try await handleAlert(frame, text: text, outbound: outbound)
            case "acknowledged":
                if case .string(let alert)? = frame["alert"] {
                    state.withLock {
                        $0.pendingAcks.remove(alert)
                        $0.acknowledged.insert(alert)
                    }
                    if !json, case .string(let ack)? = frame["ack_identifier"] {
                        Self.write("  acknowledged \(alert) (CAP Ack \(ack))")
                    }
                }
            case "error":
                if case .string(let detail)? = frame["message"] { printError("server: \(detail)") }
            default:
                break
            }
            if isDone {
                try? await outbound.close(.normalClosure, reason: "done")
                return
            }
        }
    }

    private func handleAlert(_ frame: [String: JSONValue], text: String, outbound: WebSocketOutboundWriter) async throws
    {
        guard case .number(let number)? = frame["sequence"], case .object(let alert)? = frame["alert"],
            case .string(let alertID)? = alert["id"]
        else { return }
        let sequence = Int(number)
        var revoked: [String]?
        if case .array(let items)? = frame["revoked_credentials"] {
            revoked = items.compactMap { item -> String? in
                if case .string(let id) = item { return id }
                return nil
            }
        }
        let (isNew, revokedChanged, saved) = state.withLock { state -> (Bool, Bool, State) in
            var revokedChanged = false
            // No list and an empty list say the same: nothing is revoked.
            if let revoked, revoked != (state.revoked ?? []) {
                state.revoked = revoked
                revokedChanged = true
            }
            guard sequence > state.lastSeen else { return (false, revokedChanged, state) }
            state.lastSeen = sequence
            state.received += 1
            if acknowledge { state.pendingAcks.insert(alertID) }
            return (true, revokedChanged, state)
        }
        if isNew {
            if json {
                Self.write(text)
            } else {
                Self.write(Self.describe(sequence: sequence, alert: alert, cap: frame["cap"]))
            }
        }
        if !json, revokedChanged, let revoked {
            Self.write("  revoked credentials: \(revoked.isEmpty ? "none" : revoked.joined(separator: ", "))")
        }
        if isNew || revokedChanged, let stateFile {
            try? Self.stateText(saved).write(toFile: stateFile, atomically: true, encoding: .utf8)
        }
        try await outbound.write(
            .text(Self.text(["type": .string("received"), "sequence": .number(Double(sequence))]))
        )
        let needsAck = acknowledge && state.withLock { !$0.acknowledged.contains(alertID) }
        if needsAck {
            var ack: [String: JSONValue] = ["type": .string("ack"), "alert": .string(alertID)]
            if let note { ack["note"] = .string(note) }
            try await outbound.write(.text(Self.text(ack)))
        }
    }

    /// The state file: the last sequence seen, then the revoked credential ids, one a line (the
    /// sequence number alone, as before, while nothing is revoked).
    private static func stateText(_ state: State) -> String {
        var text = "\(state.lastSeen)\n"
        if let revoked = state.revoked, !revoked.isEmpty {
            text += "# revoked credentials\n"
            for id in revoked { text += id + "\n" }
        }
        return text
    }

    static func describe(sequence: Int, alert: [String: JSONValue], cap: JSONValue?) -> String {
        func string(_ key: String) -> String {
            if case .string(let value)? = alert[key] { return value }
            return ""
        }
        func count(_ key: String) -> Int {
            if case .array(let items)? = alert[key] { return items.count }
            return 0
        }
        var capLine = ""
        if case .object(let message)? = cap, case .string(let identifier)? = message["identifier"],
            case .string(let type)? = message["message_type"]
        {
            capLine = " [CAP \(type) \(identifier)]"
        }
        var lines = [
            "#\(sequence) \(string("kind").uppercased()) \(string("sent_at")): \(string("headline"))\(capLine)"
        ]
        if count("persons") + count("vehicles") > 0 {
            lines.append(
                "  \(count("persons")) wanted persons, \(count("vehicles")) vehicles; incident \(string("incident"))"
            )
        }
        return lines.joined(separator: "\n")
    }

    static func text(_ object: [String: JSONValue]) -> String {
        String(decoding: (try? JSONEncoder().encode(JSONValue.object(object))) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

// Delivery of one alert to N connected WebSocket clients on loopback.
//
//   cordon-delivery-bench --binary PATH/TO/cordon [--clients 1000,5000,10000] [--alerts 3]
//                         [--database postgresql://user@host:port/db --nodes 1,3]
//
// Starts `cordon serve --demo --port 0` on a fresh database, adds N checkpoints, connects one
// WebSocket client per checkpoint (each confirms and acknowledges every alert at once), then composes
// be-on-the-lookout alerts to every checkpoint. With --database, the same runs on PostgreSQL (a fresh
// schema each time) for each node count of --nodes: the clients spread over the nodes (client i on
// node i mod n), and the alert composed on a node that does not lead. For each alert it reports, over the N clients, the
// time from the request that creates the alert to its receipt by each client, and to the server's
// confirmation that the client's acknowledgement is committed; and the server's resident memory per
// connection. Server and clients share the machine (and its two cores) and its clock.

import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOPosix
import NIOWebSocket
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func argument(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else {
        return nil
    }
    return CommandLine.arguments[index + 1]
}

/// The server process.
final class Server: @unchecked Sendable {
    let process = Process()
    var port = 0
    var output = ""
    var errorText = ""
    let lock = NSLock()

    /// A node: on `database` (a PostgreSQL URL, given by environment) or on a file in `folder`; the
    /// first node of a deployment loads the demo and prints its passwords.
    init(binary: String, folder: URL, database: String? = nil, node: String = "n1", demo: Bool = true) throws {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "serve", "--port", "0", "--log-level", "notice", "--node", node, "--keys",
                folder.appendingPathComponent("keys").path,
                // One account holds every bench checkpoint's stream.
                "--streams-per-account", "1000000",
                // Every bench client connects from 127.0.0.1.
                "--max-connections-per-address", "1000000",
            ]
            + (demo ? ["--demo"] : [])
            + (database == nil ? ["--database", folder.appendingPathComponent("bench.sqlite").path] : [])
        if let database {
            var environment = ProcessInfo.processInfo.environment
            environment["CORDON_DATABASE_URL"] = database
            process.environment = environment
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        err.fileHandleForReading.readabilityHandler = { [weak self, lock] handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            lock.lock()
            self?.errorText += chunk
            lock.unlock()
        }
        out.fileHandleForReading.readabilityHandler = { [weak self, lock] handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            lock.lock()
            self?.output += chunk
            lock.unlock()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            lock.lock()
            let text = errorText
            let printed = output
            lock.unlock()
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                printed.contains("demo-commander") || !demo
            {
                port = Int(text[range].split(separator: ":").last ?? "") ?? 0
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard port > 0 else { throw BenchError("the server did not start: \(errorText)") }
    }

    func password(_ user: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, fields[0] == user { return String(fields[1]) }
        }
        return ""
    }

    /// Resident memory in bytes.
    var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

func call(
    _ base: String,
    _ method: String,
    _ path: String,
    token: String? = nil,
    json: Any? = nil
) async throws
    -> (Int, [String: Any])
{
    var request = URLRequest(url: URL(string: base + path)!)
    request.httpMethod = method
    request.timeoutInterval = 120
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let json {
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    return (
        (response as? HTTPURLResponse)?.statusCode ?? 0,
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    )
}

/// Receipt and acknowledgement times per alert, shared by the clients.
final class Receipts: Sendable {
    private struct State {
        var welcomed = 0
        var received: [String: [Date]] = [:]
        var acknowledged: [String: [Date]] = [:]
    }

    private let state = Mutex(State())
    func welcome() { state.withLock { $0.welcomed += 1 } }
    var welcomed: Int { state.withLock { $0.welcomed } }
    func received(_ alert: String, at date: Date) { state.withLock { $0.received[alert, default: []].append(date) } }
    func acknowledged(_ alert: String, at date: Date) {
        state.withLock { $0.acknowledged[alert, default: []].append(date) }
    }
    func count(_ alert: String) -> (received: Int, acknowledged: Int) {
        state.withLock { ($0.received[alert]?.count ?? 0, $0.acknowledged[alert]?.count ?? 0) }
    }
    func times(_ alert: String) -> (received: [Date], acknowledged: [Date]) {
        state.withLock { ($0.received[alert] ?? [], $0.acknowledged[alert] ?? []) }
    }
}

/// The value of a string field in a frame, found without parsing the whole frame (alert frames carry
/// the CAP XML: parsing them all would measure this client, not the server).
func field(_ name: String, in text: Substring) -> Substring? {
    guard let start = text.range(of: "\"\(name)\":") else { return nil }
    var rest = text[start.upperBound...]
    if rest.first == "\"" {
        rest = rest.dropFirst()
        return rest.prefix { $0 != "\"" }
    }
    return rest.prefix { $0.isNumber }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func run() async throws {
    guard let binary = argument("--binary") else {
        throw BenchError(
            "usage: cordon-delivery-bench --binary PATH/TO/cordon [--clients 1000,5000,10000] [--alerts 3]"
        )
    }
    let sizes = (argument("--clients") ?? "1000,5000,10000").split(separator: ",").compactMap { Int($0) }
    let alertsPerSize = Int(argument("--alerts") ?? "3") ?? 3
    let database = argument("--database")
    let nodeCounts = database == nil ? [1] : (argument("--nodes") ?? "1,3").split(separator: ",").compactMap { Int($0) }
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
    print(
        "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; server and clients on one machine, loopback; "
            + "load average before: \(load?.joined(separator: " ") ?? "unknown")"
    )
    print(
        "| store | nodes | clients | alert | composed in | receipt p50 | receipt p99 | acknowledged p50 | acknowledged p99 | all acknowledged after |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    var memoryLines: [String] = []
    for size in sizes {
        for nodes in nodeCounts {
            try await measure(
                binary: binary,
                database: database,
                nodes: nodes,
                size: size,
                alerts: alertsPerSize,
                memory: &memoryLines
            )
        }
    }
    print("")
    print("| store | nodes | clients | servers' RSS before | with every client connected | per connection |")
    print("|---|---|---|---|---|---|")
    for line in memoryLines { print(line) }
}

/// One deployment (one SQLite node, or `nodes` nodes on a fresh PostgreSQL schema) and `size` clients.
func measure(
    binary: String,
    database: String?,
    nodes count: Int,
    size: Int,
    alerts alertsPerSize: Int,
    memory memoryLines: inout [String]
) async throws {
    do {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cordon-delivery-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = "bench_" + UUID().uuidString.lowercased().prefix(8)
        let url = database.map { $0 + ($0.contains("?") ? "&" : "?") + "schema=\(schema)" }
        let store = database == nil ? "SQLite" : "PostgreSQL"
        let server = try Server(binary: binary, folder: folder, database: url)
        var servers = [server]
        defer { for node in servers { node.stop() } }
        for index in stride(from: 2, through: count, by: 1) {
            servers.append(try Server(binary: binary, folder: folder, database: url, node: "n\(index)", demo: false))
        }
        // Writes and sign-in go to the leader; the alert is composed on another node when there is one.
        var leaderIndex: Int?
        let electionDeadline = Date().addingTimeInterval(30)
        while leaderIndex == nil, Date() < electionDeadline {
            for (index, node) in servers.enumerated() {
                let (_, ready) = try await call("http://127.0.0.1:\(node.port)", "GET", "/ready")
                if ready["engines"] as? String == "serving" { leaderIndex = index }
            }
            if leaderIndex == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let leaderIndex else { throw BenchError("no node led") }
        let base = "http://127.0.0.1:\(servers[leaderIndex].port)"
        let composer = "http://127.0.0.1:\(servers[count > 1 ? (leaderIndex + 1) % count : leaderIndex].port)"
        func token(_ user: String) async throws -> String {
            let (status, body) = try await call(
                base,
                "POST",
                "/v1/auth/token",
                json: ["username": user, "password": server.password(user)]
            )
            guard status == 201, let token = body["token"] as? String else { throw BenchError("sign-in \(status)") }
            return token
        }
        let commander = try await token("demo-commander")
        // N checkpoints around Dushanbe, sixteen requests at a time.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for index in stride(from: worker, to: size, by: 16) {
                        let (status, body) = try await call(
                            base,
                            "POST",
                            "/v1/checkpoints",
                            token: commander,
                            json: [
                                "id": "cp-bench-\(index)", "name": "Bench checkpoint \(index)", "kind": "road",
                                "location": [
                                    "lat": 38.0 + Double(index % 100) / 100, "lon": 68.0 + Double(index / 100) / 100,
                                ],
                                "region": "Bench",
                            ]
                        )
                        if status != 201 { throw BenchError("creating a checkpoint answered \(status): \(body)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let before = servers.map(\.residentBytes).reduce(0, +)
        let receipts = Receipts()
        let stop = Mutex<[AsyncStream<String>.Continuation]>([])
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let clientLogger = logger
        let ports = servers.map(\.port)
        let clients = Task {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<size {
                    let (outgoing, continuation) = AsyncStream<String>.makeStream()
                    stop.withLock { $0.append(continuation) }
                    continuation.yield(#"{"type":"hello","last_sequence":0}"#)
                    group.addTask {
                        _ = try? await WebSocketClient.connect(
                            url:
                                "ws://127.0.0.1:\(ports[index % count])/v1/checkpoints/cp-bench-\(index)/stream",
                            configuration: .init(
                                maxFrameSize: 1 << 20,
                                // The commander's account may hold any checkpoint's stream; the bench's
                                // checkpoints are served by no officer's account.
                                additionalHeaders: [.authorization: "Bearer \(commander)"]
                            ),
                            logger: clientLogger
                        ) { inbound, outbound, _ in
                            let writer = Task {
                                for await text in outgoing { try? await outbound.write(.text(text)) }
                                try? await outbound.close(.normalClosure, reason: nil)
                            }
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                let now = Date()
                                guard case .text(let whole) = message else { continue }
                                let head = whole.prefix(200)
                                switch field("type", in: head) {
                                case "welcome":
                                    receipts.welcome()
                                case "alert":
                                    guard !head.contains("\"resend\":true"),
                                        let sequence = field("sequence", in: head),
                                        let alertStart = whole.range(of: "\"alert\":{"),
                                        let alert = field("id", in: whole[alertStart.upperBound...].prefix(800))
                                    else { continue }
                                    receipts.received(String(alert), at: now)
                                    continuation.yield(#"{"type":"received","sequence":\#(sequence)}"#)
                                    continuation.yield(#"{"type":"ack","alert":"\#(alert)"}"#)
                                case "acknowledged":
                                    if let alert = field("alert", in: head) {
                                        receipts.acknowledged(String(alert), at: now)
                                    }
                                default:
                                    break
                                }
                            }
                            writer.cancel()
                        }
                    }
                    // Connect in waves, as checkpoints would come on line.
                    if index % 200 == 199 { try? await Task.sleep(for: .milliseconds(50)) }
                }
            }
        }
        let connectDeadline = Date().addingTimeInterval(300)
        while receipts.welcomed < size, Date() < connectDeadline { try await Task.sleep(for: .milliseconds(100)) }
        guard receipts.welcomed == size else {
            throw BenchError("only \(receipts.welcomed) of \(size) clients connected")
        }
        try await Task.sleep(for: .seconds(1))
        let connected = servers.map(\.residentBytes).reduce(0, +)
        memoryLines.append(
            "| \(store) | \(count) | \(size) | \(before / 1_048_576) MiB | \(connected / 1_048_576) MiB | "
                + "\((connected - before) / size) bytes |"
        )
        // The demo's night declares the escape as an incident of Cordon's own: find it.
        let (_, incidentList) = try await call(composer, "GET", "/v1/incidents?limit=100", token: commander)
        guard
            let escape = (incidentList["items"] as? [[String: Any]])?.first(where: {
                $0["kind"] as? String == "escape" && $0["status"] as? String == "confirmed"
            })?["id"] as? String
        else { throw BenchError("the demo has no confirmed escape to send alerts from") }
        for round in 1...alertsPerSize {
            // The alert is created while this request is under way: timing from before it is sent
            // counts the request too, so the figures are upper bounds.
            let sent = Date()
            let (status, body) = try await call(
                composer,
                "POST",
                "/v1/incidents/\(escape)/alerts",
                token: commander,
                json: ["kind": "be_on_lookout", "headline": "Bench alert \(round) to \(size) checkpoints"]
            )
            let composed = Date().timeIntervalSince(sent) * 1000
            guard status == 201, let alert = body["alert"] as? [String: Any], let id = alert["id"] as? String else {
                throw BenchError("composing answered \(status): \(body)")
            }
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                let counts = receipts.count(id)
                if counts.received >= size, counts.acknowledged >= size { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let times = receipts.times(id)
            let received = times.received.map { $0.timeIntervalSince(sent) * 1000 }
            let acknowledged = times.acknowledged.map { $0.timeIntervalSince(sent) * 1000 }
            func ms(_ value: Double) -> String { String(format: "%.0f ms", value) }
            print(
                "| \(store) | \(count) | \(size) | \(round) | \(ms(composed)) | \(ms(percentile(received, 50))) | \(ms(percentile(received, 99))) | "
                    + "\(ms(percentile(acknowledged, 50))) | \(ms(percentile(acknowledged, 99))) | "
                    + "\(ms(acknowledged.max() ?? .nan)) (\(acknowledged.count) of \(size), \(received.count) received) |"
            )
            try await Task.sleep(for: .seconds(1))
        }
        for continuation in stop.withLock({ $0 }) { continuation.finish() }
        _ = await clients.value
    }
}

do {
    try await run()
} catch {
    FileHandle.standardError.write(Data("cordon-delivery-bench: \(error)\n".utf8))
    exit(1)
}

import CordonCore
import CordonDashboard
import CordonDemo
import CordonEvents
import CordonServer
import CordonStore
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A clock tests move by hand, and that may also run: `rate` seconds of its time pass in each real
/// second (0 for a clock that moves only by hand).
final class TestClock: Sendable {
    private let state: Mutex<(base: Date, since: ContinuousClock.Instant)>
    let rate: Double

    init(_ start: Date = Instant.parse("2026-11-25T10:00:00Z")!, rate: Double = 0) {
        state = Mutex((start, ContinuousClock.now))
        self.rate = rate
    }

    var now: Date {
        state.withLock { state in
            let elapsed = ContinuousClock.now - state.since
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return state.base.addingTimeInterval(seconds * rate)
        }
    }

    func advance(by seconds: TimeInterval) {
        state.withLock { $0.base = $0.base.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date` (for a clock that moves only by hand).
    func set(_ date: Date) {
        state.withLock { $0 = (date, ContinuousClock.now) }
    }
}

/// A JSON answer read back.
struct APIResponse {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Talks to a live test server.
struct API: Sendable {
    let client: any TestClientProtocol

    /// The port of the live server.
    var port: Int { client.port ?? 0 }

    func call(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String? = nil,
        json: Any? = nil,
        raw: String? = nil,
        data: Data? = nil,
        headers: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        } else if let raw {
            body = ByteBuffer(string: raw)
        } else if let data {
            body = ByteBuffer(bytes: data)
        }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        let answer = APIResponse(
            status: response.status,
            headers: response.headers,
            body: Data(response.body.readableBytesView)
        )
        ExchangeRecorder.shared?.record(
            method: method,
            uri: uri,
            requestHeaders: headers,
            requestBody: body.map { Data($0.readableBytesView) },
            response: answer
        )
        return answer
    }

    func token(_ username: String, _ password: String) async throws -> String {
        let response = try await call(.post, "/v1/auth/token", json: ["username": username, "password": password])
        guard let token = response.object["token"] as? String else {
            throw TestFailure("sign-in failed for \(username): \(response.status) \(response.text)")
        }
        return token
    }
}

/// Appends every exchange of ``API/call(_:_:token:json:raw:headers:)`` as one JSON line to the file named by
/// `CORDON_EXCHANGES_FILE`, so that `scripts/check_exchanges.py` can check the answers against openapi.json.
///
/// Each line is written with one `write(2)` to a descriptor opened with `O_APPEND`, so lines from tests
/// running in parallel, in this process or another, never interleave.
final class ExchangeRecorder: Sendable {
    /// The recorder, when `CORDON_EXCHANGES_FILE` is set.
    static let shared: ExchangeRecorder? = ProcessInfo.processInfo.environment["CORDON_EXCHANGES_FILE"].flatMap {
        $0.isEmpty ? nil : ExchangeRecorder(path: $0)
    }

    private let descriptor: Int32

    private init?(path: String) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    func record(
        method: HTTPRequest.Method,
        uri: String,
        requestHeaders: HTTPFields,
        requestBody: Data?,
        response: APIResponse
    ) {
        let pieces = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var responseHeaders: [String: String] = [:]
        for field in response.headers {
            let name = field.name.canonicalName
            responseHeaders[name] = responseHeaders[name].map { $0 + ", " + field.value } ?? field.value
        }
        let line: [String: Any] = [
            "method": method.rawValue,
            "path": String(pieces[0]),
            "query": pieces.count > 1 ? String(pieces[1]) : "",
            "request_content_type": requestHeaders[.contentType] ?? NSNull(),
            "request_body": requestBody.map { String(decoding: $0, as: UTF8.self) } ?? NSNull(),
            "status": Int(response.status.code),
            "content_type": response.headers[.contentType] ?? NSNull(),
            "headers": responseHeaders,
            "body": response.text,
        ]
        guard var data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) else { return }
        data.append(UInt8(ascii: "\n"))
        data.withUnsafeBytes { bytes in
            _ = write(descriptor, bytes.baseAddress, bytes.count)
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A temporary SQLite file removed at the end.
final class TemporaryDatabase: Sendable {
    let folder: URL
    var path: String { folder.appendingPathComponent("cordon.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

/// What a test server offers its test.
struct DemoServer {
    let api: API
    let store: SQLiteStore
    let parts: CordonServerParts<SQLiteStore>
    let clock: TestClock
    /// A token per role, signed in as the demo account of that role.
    let tokens: [Role: String]
    let passwords: [Role: String]

    /// Waits until the event bus has `count` subscribers (an operations stream is listening), instead of
    /// sleeping for a guess.
    func waitForSubscribers(_ count: Int = 1) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while parts.events.subscriberCount < count {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// Runs a live server on 127.0.0.1, port 0, on a fresh database loaded with the demo, and signs in
/// one demo account per role.
func withDemoServer(
    loginLimits: LoginLimiter.Limits = .init(failuresPerPair: 5, attemptsPerAddress: 1000),
    tokenLifetime: TimeInterval = 3600,
    clockRate: Double = 0,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (DemoServer) async throws -> Void
) async throws {
    let database = try TemporaryDatabase()
    let clock = TestClock(rate: clockRate)
    let store = try SQLiteStore(path: database.path, now: { clock.now })
    try await store.migrate()
    let scenario = try DemoScenario.load()
    let credentials = try await DemoLoader.load(scenario, into: store, hasher: PasswordHasher(cost: 4), now: clock.now)
    var logger = Logger(label: "cordon-test")
    logger.logLevel = .warning
    var configuration = ServerConfiguration(
        host: "127.0.0.1",
        port: 0,
        tokenLifetime: tokenLifetime,
        bcryptCost: 4,
        loginLimits: loginLimits,
        now: { clock.now }
    )
    configuration.clockRate = max(clockRate, 1)
    configure(&configuration)
    let (application, parts) = try await buildApplication(
        configuration: configuration,
        store: store,
        extensions: [Dashboard.serverExtension()],
        logger: logger
    )
    try await application.test(.live) { client in
        let api = API(client: client)
        var tokens: [Role: String] = [:]
        var passwords: [Role: String] = [:]
        for credential in credentials {
            tokens[credential.role] = try await api.token(credential.username, credential.password)
            passwords[credential.role] = credential.password
        }
        try await body(
            DemoServer(api: api, store: store, parts: parts, clock: clock, tokens: tokens, passwords: passwords)
        )
    }
    _ = database
}

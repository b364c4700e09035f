import Foundation
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A value shared between threads, guarded by a lock.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}

/// A `cordon serve` process, started as a user would, whose port is read from its log.
final class ServerProcess: Sendable {
    let process: ChildProcess
    let port: Int
    private let log: Shared<String>
    private let printed: Shared<String>

    /// Starts `cordon serve --database PATH --port 0` and waits until it logs where it listens.
    init(database: String, extra: [String] = []) throws {
        let process = try ChildProcess(
            executable: CordonProcess.executable.path,
            arguments: ["serve", "--database", database, "--port", "0"] + extra
        )
        let printed = Shared("")
        let log = Shared("")
        let found = Shared<Int?>(nil)
        // Each pipe is read on a thread of its own until it ends, not with a readability handler: a
        // handler left registered on a pipe whose process has gone can crash the dispatch event loop.
        Self.read(process.output) { chunk in printed.withLock { $0 += chunk } }
        Self.read(process.errors) { chunk in
            let text = log.withLock { log in
                log += chunk
                return log
            }
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let port = Int(text[range].split(separator: ":").last ?? "")
                found.withLock { $0 = port }
            }
        }
        // A hang guard: with --demo the server listens only once the demo's night has been played, which
        // on a machine running every test at once takes far longer than the few seconds it takes alone.
        let deadline = Date().addingTimeInterval(150)
        while found.withLock({ $0 }) == nil, Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let port = found.withLock({ $0 }) else {
            process.kill(SIGTERM)
            process.wait()
            throw TestError("the server did not start: \(log.withLock { $0 })")
        }
        self.process = process
        self.port = port
        self.log = log
        self.printed = printed
    }

    /// Hands each chunk read from `handle` to `body`, on a thread of its own, until the end of the data.
    private static func read(_ handle: FileHandle, _ body: @escaping @Sendable (String) -> Void) {
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                body(String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// What the server printed on standard output (the demo accounts' passwords).
    var standardOutput: String { printed.withLock { $0 } }

    var output: String { log.withLock { $0 } }

    /// Sends an HTTP request and returns the status and the JSON body.
    func call(_ method: String, _ path: String, token: String? = nil, json: Any? = nil) async throws -> (Int, Any?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, try? JSONSerialization.jsonObject(with: data))
    }

    func kill(_ signal: Int32) {
        process.kill(signal)
        process.wait()
    }
}

struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

private func person(_ index: Int) -> [String: Any] {
    [
        "id": "p-durable-\(index)",
        "name": ["parts": [["kind": "family", "value": "Давлатов"], ["kind": "given", "value": "Тест\(index)"]]],
        "nationalities": ["TJ"],
        "wanted": ["reason": "escaped", "history": [["status": "at_large", "at": "2010-08-23T01:10:00+05:00"]]],
    ]
}

@Suite(.serialized, .timeLimit(.minutes(5))) struct ServerProcessTests {
    func addAccount(_ database: String) throws {
        let added = try CordonProcess.runBlocking(
            ["user", "add", "chief", "--role", "commander", "--database", database],
            input: Data("a long pass phrase for chief\n".utf8)
        )
        #expect(added.status == 0, "\(added.standardError)")
    }

    @Test func everyAcknowledgedWriteSurvivesKill9() async throws {
        let folder = try TemporaryFolder()
        let database = folder.url.appendingPathComponent("cordon.sqlite").path
        try addAccount(database)
        let server = try ServerProcess(database: database)
        let (status, body) = try await server.call(
            "POST",
            "/v1/auth/token",
            json: ["username": "chief", "password": "a long pass phrase for chief"]
        )
        #expect(status == 201)
        let token = try #require((body as? [String: Any])?["token"] as? String)
        var acknowledged: [String] = []
        for index in 0..<40 {
            let (created, _) = try await server.call("POST", "/v1/persons", token: token, json: person(index))
            if created == 201 { acknowledged.append("p-durable-\(index)") }
        }
        // No pause: the process dies right after the last acknowledgement.
        server.kill(SIGKILL)
        #expect(acknowledged.count == 40)

        let restarted = try ServerProcess(database: database)
        let (_, again) = try await restarted.call(
            "POST",
            "/v1/auth/token",
            json: ["username": "chief", "password": "a long pass phrase for chief"]
        )
        let second = try #require((again as? [String: Any])?["token"] as? String)
        for id in acknowledged {
            let (found, _) = try await restarted.call("GET", "/v1/persons/\(id)", token: second)
            #expect(found == 200, "\(id) was acknowledged but is gone")
        }
        let (screened, hits) = try await restarted.call(
            "POST",
            "/v1/screen",
            token: second,
            json: ["name": "Davlatov Test39"]
        )
        #expect(screened == 200)
        let first = ((hits as? [String: Any])?["hits"] as? [[String: Any]])?.first
        #expect(first?["id"] as? String == "p-durable-39")
        restarted.kill(SIGTERM)
        #expect(restarted.process.wait() == 0, "\(restarted.output)")

        let verified = try await CordonProcess.run(["audit", "verify", "--database", database])
        #expect(verified.status == 0, "\(verified.standardOutput)\(verified.standardError)")
    }

    @Test func shutsDownGracefullyOnSIGTERM() async throws {
        let folder = try TemporaryFolder()
        let database = folder.url.appendingPathComponent("cordon.sqlite").path
        let server = try ServerProcess(database: database)
        let (status, _) = try await server.call("GET", "/health")
        #expect(status == 200)
        server.kill(SIGTERM)
        #expect(server.process.exitedNormally == true)
        #expect(server.process.wait() == 0)
    }

    @Test func userAddRefusesBadInput() throws {
        let folder = try TemporaryFolder()
        let database = folder.url.appendingPathComponent("cordon.sqlite").path
        let weak = try CordonProcess.runBlocking(
            ["user", "add", "chief", "--role", "commander", "--database", database],
            input: Data("short\n".utf8)
        )
        #expect(weak.status == 1)
        #expect(weak.standardError.contains("12 characters"))
        let role = try CordonProcess.runBlocking(
            ["user", "add", "chief", "--role", "pilot", "--database", database],
            input: Data("a long pass phrase for chief\n".utf8)
        )
        #expect(role.status == 1)
        try addAccount(database)
        let twice = try CordonProcess.runBlocking(
            ["user", "add", "chief", "--role", "commander", "--database", database],
            input: Data("a long pass phrase for chief\n".utf8)
        )
        #expect(twice.status == 1)
        #expect(twice.standardError.contains("exists"))
    }
}

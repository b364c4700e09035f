import CordonCore
import Foundation
import HTTPTypes
import Testing

@testable import CordonServer

/// The connection rules against a live server: malformed requests answered and closed, silent and slow
/// connections closed within their deadlines, connections over the limits refused at once, and normal
/// requests answered all along.
@Suite struct ConnectionLimitTests {
    static let short = ConnectionLimits(
        headerTimeout: .seconds(1),
        bodyTimeout: .seconds(1),
        // Long enough that the test client's kept-alive connection is not closed under it.
        idleTimeout: .seconds(30),
        maximumConnections: 1000,
        maximumConnectionsPerAddress: 200
    )

    struct Case: Sendable {
        let name: String
        let request: String
        /// The status codes that may answer it, or nil when the server closes without a word.
        let statuses: Set<Int>?
    }

    static func malformed(token: String) -> [Case] {
        [
            Case(
                name: "NUL in the path",
                request: "GET /v1/\u{0}x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                statuses: [400]
            ),
            Case(
                name: "100 KB URL",
                request: "GET /" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                statuses: [400, 431]
            ),
            Case(
                name: "2,000 headers",
                request: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (0..<2000).map { "X-Header-\($0): value\r\n" }.joined() + "\r\n",
                statuses: [400, 431]
            ),
            Case(
                name: "Content-Length and Transfer-Encoding",
                request: "POST /v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                statuses: [400]
            ),
            Case(
                name: "an unfinished header line",
                request: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: abc",
                statuses: [408]
            ),
            Case(name: "nothing at all", request: "", statuses: [408]),
            Case(
                name: "a body that stops",
                request: "POST /v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer \(token)\r\nContent-Length: 100\r\n\r\n{\"na",
                statuses: [408]
            ),
        ]
    }

    /// Waits (10 s at most) for `condition`.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("the server did not take the connections") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func malformedAndUnfinishedRequestsAreAnsweredAndClosed() async throws {
        let configure: (inout ServerConfiguration) -> Void = { $0.connections = Self.short }
        try await withDemoServer(configure: configure) { server in
            let port = server.api.port
            try await withThrowingTaskGroup(of: (Case, RawConnection.Received).self) { group in
                for item in Self.malformed(token: server.tokens[.analyst] ?? "") {
                    group.addTask {
                        let connection = try await RawConnection.open(port: port)
                        if !item.request.isEmpty { await connection.send(item.request) }
                        // Every deadline here is 1 s: closed well within 6 s, never held.
                        return (item, await connection.receive(for: 6))
                    }
                }
                for try await (item, received) in group {
                    #expect(received.closed, "\(item.name): still open")
                    if let statuses = item.statuses {
                        #expect(
                            received.status.map(statuses.contains) == true,
                            "\(item.name): \(received.text.prefix(120))"
                        )
                    }
                    if received.status != nil {
                        #expect(received.text.contains("application/problem+json"), "\(item.name)")
                    }
                }
            }
        }
    }

    @Test func silentConnectionsDoNotSlowNormalRequests() async throws {
        var limits = Self.short
        limits.headerTimeout = .seconds(3)
        let configure: (inout ServerConfiguration) -> Void = { $0.connections = limits }
        try await withDemoServer(configure: configure) { server in
            // 300 connections that never speak, from three addresses.
            var silent: [RawConnection] = []
            for index in 0..<300 {
                silent.append(try await RawConnection.open(port: server.api.port, from: "127.0.1.\(index % 3 + 1)"))
            }
            var slowest = Duration.zero
            for _ in 0..<20 {
                let start = ContinuousClock.now
                let answer = try await server.api.call(.get, "/health")
                slowest = max(slowest, ContinuousClock.now - start)
                #expect(answer.status == .ok)
            }
            #expect(slowest < .seconds(1), "a normal request took \(slowest) beside 300 silent connections")
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for connection in silent { group.addTask { await connection.receive(for: 8).closed } }
                return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(outcomes == 300, "closed \(outcomes) of 300")
        }
    }

    @Test func connectionsOverTheLimitsAreRefusedAtOnce() async throws {
        var limits = Self.short
        limits.headerTimeout = .seconds(10)
        limits.maximumConnectionsPerAddress = 10
        let configure: (inout ServerConfiguration) -> Void = { $0.connections = limits }
        try await withDemoServer(configure: configure) { server in
            var held: [RawConnection] = []
            let before = server.parts.connectionBudget.held
            for _ in 0..<10 { held.append(try await RawConnection.open(port: server.api.port, from: "127.0.2.1")) }
            // The server takes the ten before the eleventh arrives.
            try await Self.waitUntil { server.parts.connectionBudget.held >= before + 10 }
            let refused = await (try await RawConnection.open(port: server.api.port, from: "127.0.2.1")).receive(for: 2)
            #expect(refused.status == 503, "\(refused.text.prefix(200))")
            #expect(refused.closed)
            // Another address is served meanwhile.
            let other = try await RawConnection.open(port: server.api.port, from: "127.0.2.2")
            await other.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(await other.receive(for: 3).status == 200)
            // Once the silent ones are closed by their deadline, the address is welcome again.
            for connection in held { #expect(await connection.receive(for: 20).closed) }
            let again = try await RawConnection.open(port: server.api.port, from: "127.0.2.1")
            await again.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(await again.receive(for: 3).status == 200)
        }
    }

    @Test func theTotalLimitHolds() async throws {
        var limits = Self.short
        // Long enough that none of the silent connections is closed before the last is open, however
        // slowly a loaded machine opens them.
        limits.headerTimeout = .seconds(120)
        limits.maximumConnections = 60
        let configure: (inout ServerConfiguration) -> Void = { $0.connections = limits }
        try await withDemoServer(configure: configure) { server in
            // The API client's own connections count too: the limit is set after it has signed in.
            let budget = server.parts.connectionBudget
            let room = budget.maximum - budget.held
            var held: [RawConnection] = []
            for index in 0..<room {
                held.append(try await RawConnection.open(port: server.api.port, from: "127.0.3.\(index % 5 + 1)"))
            }
            try await Self.waitUntil { budget.held >= budget.maximum }
            let refused = await (try await RawConnection.open(port: server.api.port, from: "127.0.3.9")).receive(for: 2)
            #expect(refused.status == 503, "\(refused.text.prefix(200))")
            #expect(refused.text.contains("the server holds as many connections as it may"))
            _ = held
        }
    }
}

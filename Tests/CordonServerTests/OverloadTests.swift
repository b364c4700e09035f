import CordonCheckpoint
import CordonCore
import CordonServer
import Foundation
import HTTPTypes
import Testing

/// A node past the requests it may hold answers the next at once with 503 `overloaded` and
/// `Retry-After`, keeps answering its health, and takes requests again once a place is free.
@Suite(.timeLimit(.minutes(2))) struct OverloadTests {
    @Test func requestsPastTheLimitAreRefusedEarlyAndTheNodeRecovers() async throws {
        try await withDemoServer(
            configure: { $0.maxInFlight = 2 },
            { server in
                let token = try #require(server.tokens[.checkpointOfficer])
                let reader = try #require(server.tokens[.commander])
                let body = #"{"name": "Давлатов Хикматулло"}"#
                let bytes = Array(body.utf8)
                let head =
                    "POST /v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n\r\n"
                // Two screenings whose bodies have not all arrived hold both places.
                var held: [RawConnection] = []
                for _ in 0..<2 {
                    let connection = try await RawConnection.open(port: server.api.port)
                    await connection.send(head + String(decoding: bytes.prefix(10), as: UTF8.self))
                    held.append(connection)
                }
                // Wait until the node says it holds both (its metrics take no place).
                var holding = false
                let start = ContinuousClock.now
                while !holding, ContinuousClock.now < start + .seconds(10) {
                    let metrics = try await server.api.call(.get, "/metrics").text
                    holding = metrics.split(separator: "\n").contains { $0 == "cordon_http_in_flight 2.0" }
                    if !holding { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(holding, "the node never held two requests")
                var refused: APIResponse?
                let deadline = ContinuousClock.now + .seconds(10)
                while refused == nil, ContinuousClock.now < deadline {
                    let answer = try await server.api.call(.get, "/v1/persons?limit=1", token: reader)
                    if answer.status == .serviceUnavailable {
                        refused = answer
                    } else {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                let answer = try #require(refused, "no request was refused with two places held")
                #expect(answer.headers[.retryAfter] == "1")
                #expect(answer.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect((answer.object["type"] as? String)?.hasSuffix("overloaded") == true, "\(answer.text)")
                #expect(answer.object["status"] as? Int == 503)
                // Health and metrics take no place; the metrics count the refusal.
                #expect(try await server.api.call(.get, "/health").status == .ok)
                let metrics = try await server.api.call(.get, "/metrics").text
                let lines = metrics.split(separator: "\n").map(String.init)
                #expect(lines.contains("cordon_http_in_flight 2.0"), "\(metrics)")
                #expect(lines.contains { $0.hasPrefix("cordon_http_refused_overloaded_total ") && !$0.hasSuffix(" 0") })

                // The held screenings finish and are answered; their places come free.
                for connection in held {
                    await connection.send(String(decoding: bytes.dropFirst(10), as: UTF8.self))
                    let received = await connection.receive(for: 2)
                    #expect(received.status == 200, "\(received.text.prefix(200))")
                    #expect(received.text.contains("Давлатов"))
                }
                var recovered = false
                while !recovered, ContinuousClock.now < deadline + .seconds(5) {
                    recovered = try await server.api.call(.get, "/v1/persons?limit=1", token: reader).status == .ok
                    if !recovered { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(recovered, "the node did not take requests again")
            }
        )
    }

    /// Cordon's own clients wait as `Retry-After` says and try again: a checkpoint's fetch that meets a
    /// full node is answered once a place is free, without its owner seeing the refusal.
    @Test func aCheckpointsFetchWaitsAsToldAndIsAnswered() async throws {
        try await withDemoServer(
            configure: { $0.maxInFlight = 1 },
            { server in
                let token = try #require(server.tokens[.checkpointOfficer])
                let body = Array(#"{"name": "Давлатов Хикматулло"}"#.utf8)
                let head =
                    "POST /v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                let held = try await RawConnection.open(port: server.api.port)
                await held.send(head + String(decoding: body.prefix(10), as: UTF8.self))
                let start = ContinuousClock.now
                while try await server.api.call(.get, "/metrics").text.contains("cordon_http_in_flight 1.0") == false {
                    try #require(ContinuousClock.now < start + .seconds(10), "the node never held the request")
                    try await Task.sleep(for: .milliseconds(20))
                }
                let fetcher = HTTPRepositoryFetcher(
                    server: URL(string: "http://127.0.0.1:\(server.api.port)")!,
                    token: token
                )
                let fetch = Task { try await fetcher.fetch("timestamp.json") }
                // Refused at least once while the place is held…
                while try await Self.refusals(server) == 0 {
                    try #require(ContinuousClock.now < start + .seconds(20), "the fetch was never refused")
                    try await Task.sleep(for: .milliseconds(20))
                }
                await held.send(String(decoding: body.dropFirst(10), as: UTF8.self))
                #expect(await held.receive(for: 2).status == 200)
                // …then answered on a later try, after the second the server asked for.
                let timestamp = try #require(try await fetch.value)
                #expect(String(decoding: timestamp, as: UTF8.self).contains("timestamp"))
                #expect(ContinuousClock.now - start >= .seconds(1))
            }
        )
    }

    static func refusals(_ server: DemoServer) async throws -> Double {
        let metrics = try await server.api.call(.get, "/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("cordon_http_refused_overloaded_total ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }
}

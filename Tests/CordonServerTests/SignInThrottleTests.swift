import CordonCore
import CordonStoreSQLite
import Foundation
import Testing

/// Sign-in throttling against a live server, each "machine" a loopback address of its own: guessing
/// is slowed, yet the right password from a clean address still works, concurrent guesses are
/// counted before the password check, and every refusal is in the audit log.
@Suite struct SignInThrottleTests {
    /// Posts a sign-in from `source` and returns the status code.
    static func signIn(
        _ server: DemoServer,
        _ username: String,
        _ password: String,
        from source: String
    ) async throws
        -> Int
    {
        let body = #"{"username": "\#(username)", "password": "\#(password)"}"#
        let answer = try await rawExchange(
            port: server.api.port,
            "POST /v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)",
            timeout: 10,
            from: source
        )
        let status = answer.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) }
        guard let status else { throw TestFailure("no status in \(answer.prefix(200))") }
        return status
    }

    static func throttled(_ server: DemoServer) async throws -> [AuditRecord] {
        try await server.store.auditRecords(after: 0, limit: 10_000).filter { $0.action == "auth.throttled" }
    }

    @Test func guessingFromOneAddressDoesNotLockOutTheOwner() async throws {
        try await withDemoServer(loginLimits: .init()) { server in
            var statuses: [Int] = []
            for _ in 0..<8 {
                statuses.append(try await Self.signIn(server, "demo-analyst", "not the password", from: "127.0.0.2"))
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == 401 }, "\(statuses)")
            #expect(statuses.dropFirst(5).allSatisfy { $0 == 429 }, "\(statuses)")
            // The attacker's address waits, and its right guess too; the owner's clean address does not.
            let owner = try await Self.signIn(server, "demo-analyst", server.passwords[.analyst]!, from: "127.0.0.3")
            #expect(owner == 201)
            let attacker = try await Self.signIn(server, "demo-analyst", server.passwords[.analyst]!, from: "127.0.0.2")
            #expect(attacker == 429)
            // The back-off doubles from the last failure and ends: nothing is locked for good.
            server.clock.advance(by: 2)
            #expect(try await Self.signIn(server, "demo-analyst", "still wrong", from: "127.0.0.2") == 401)
            #expect(try await Self.signIn(server, "demo-analyst", "again wrong", from: "127.0.0.2") == 429)
            let refusals = try await Self.throttled(server)
            #expect(refusals.count == 5)
            #expect(refusals.allSatisfy { $0.address == "127.0.0.2" && $0.actor == "demo-analyst" })
            #expect(refusals.first?.details["reason"]?.stringValue == "account_from_address")
        }
    }

    @Test func concurrentGuessesAreCountedBeforeThePasswordCheck() async throws {
        try await withDemoServer(loginLimits: .init()) { server in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        try await Self.signIn(server, "demo-commander", "guess \(index)", from: "127.0.0.4")
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 30)
            #expect(statuses.filter { $0 == 401 }.count == 5, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count == 25, "\(statuses.sorted())")
            let failed = try await server.store.auditRecords(after: 0, limit: 10_000).filter {
                $0.action == "auth.failed" && $0.address == "127.0.0.4"
            }
            #expect(failed.count == 5)
            #expect(try await Self.throttled(server).count == 25)
        }
    }

    @Test func guessingFromManyAddressesSlowsOnlyAddressesThatFailed() async throws {
        try await withDemoServer(loginLimits: .init(failuresPerAccount: 10)) { server in
            for host in 10..<22 {
                #expect(try await Self.signIn(server, "demo-auditor", "guess", from: "127.0.0.\(host)") == 401)
            }
            // Twelve failures for the account: an address that failed waits even for a new pair.
            let refused = try await Self.signIn(server, "demo-auditor", "guess", from: "127.0.0.10")
            #expect(refused == 429)
            #expect(try await Self.throttled(server).last?.details["reason"]?.stringValue == "account")
            // A clean address is let through, and the right password works from it.
            let owner = try await Self.signIn(server, "demo-auditor", server.passwords[.auditor]!, from: "127.0.0.30")
            #expect(owner == 201)
        }
    }
}

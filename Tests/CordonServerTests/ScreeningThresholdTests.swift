import CordonCore
import CordonScreening
import CordonServer
import Foundation
import HTTPTypes
import Testing

/// The screening threshold: the server's from configuration, a stricter one per query, never a looser
/// one, and every answer says which it used.
@Suite(.timeLimit(.minutes(5))) struct ScreeningThresholdTests {
    /// A spelling of a listed fugitive.
    static var query: [String: Any] { ["name": "Mirzoev Abdurasul"] }
    /// Misspellings of the same fugitive, one of which scores below 1 and still alerts.
    static let misspellings = ["Mirzoyev Abdurasl", "Mirzoev Abdurassul", "Mirzoyev Abdurasyl", "Mirzojev Abdurasull"]

    static func screen(_ server: DemoServer, _ body: [String: Any]) async throws -> APIResponse {
        try await server.api.call(.post, "/v1/screen", token: server.tokens[.checkpointOfficer], json: body)
    }

    @Test func answersStateTheServersThresholdAndAQueryMayBeStricter() async throws {
        try await withDemoServer { server in
            let plain = try await Self.screen(server, Self.query)
            #expect(plain.status == .ok, "\(plain.text)")
            #expect(plain.object["threshold"] as? Double == ScreeningPolicy.defaultThreshold)
            // A misspelling that alerts at the server's threshold with a score below 1.
            var found: (name: String, top: [String: Any], score: Double)?
            for name in Self.misspellings {
                let answer = try await Self.screen(server, ["name": name])
                guard let top = (answer.object["hits"] as? [[String: Any]])?.first,
                    let score = top["score"] as? Double, score < 1, top["alert"] as? Bool == true
                else { continue }
                found = (name, top, score)
                break
            }
            let (name, top, score) = try #require(found, "no misspelling alerts below a perfect score")

            // Asking for a threshold above the hit's score: the same hit, no longer an alert.
            let stricter = ((score + 1) / 2 * 10_000).rounded(.up) / 10_000
            var body: [String: Any] = ["name": name]
            body["threshold"] = stricter
            let strict = try await Self.screen(server, body)
            #expect(strict.status == .ok, "\(strict.text)")
            #expect(strict.object["threshold"] as? Double == stricter)
            let strictTop = try #require((strict.object["hits"] as? [[String: Any]])?.first)
            #expect(strictTop["id"] as? String == top["id"] as? String)
            #expect(strictTop["alert"] as? Bool == false)

            // A batch states it too.
            let batch = try await Self.screen(server, ["queries": [Self.query], "threshold": 0.99])
            #expect(batch.status == .ok, "\(batch.text)")
            #expect(batch.object["threshold"] as? Double == 0.99)
        }
    }

    @Test(arguments: [0.5, 0.9499, 1.5, -1.0])
    func aLooserOrImpossibleThresholdIsRefusedNamingTheField(threshold: Double) async throws {
        try await withDemoServer { server in
            var body = Self.query
            body["threshold"] = threshold
            let refused = try await Self.screen(server, body)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            let errors = try #require(refused.object["errors"] as? [[String: Any]])
            #expect(errors.contains { $0["pointer"] as? String == "/threshold" }, "\(refused.text)")
        }
    }

    @Test func theServersThresholdComesFromItsConfiguration() async throws {
        try await withDemoServer(
            configure: { $0.threshold = 0.9 },
            { server in
                let plain = try await Self.screen(server, Self.query)
                #expect(plain.object["threshold"] as? Double == 0.9)
                var body = Self.query
                body["threshold"] = 0.92
                #expect(try await Self.screen(server, body).object["threshold"] as? Double == 0.92)
                body["threshold"] = 0.85
                #expect(try await Self.screen(server, body).status == .unprocessableContent)
            }
        )
    }

    @Test func aPolicyRefusesAThresholdOutsideZeroToOne() throws {
        #expect(throws: ValidationFailure.self) { try ScreeningPolicy(threshold: 0) }
        #expect(throws: ValidationFailure.self) { try ScreeningPolicy(threshold: 1.01) }
        #expect(throws: ValidationFailure.self) { try ScreeningPolicy(threshold: .nan) }
        let policy = try ScreeningPolicy(threshold: 0.9)
        #expect(try policy.threshold(requested: nil) == 0.9)
        #expect(try policy.threshold(requested: 0.97) == 0.97)
        #expect(throws: ValidationFailure.self) { try policy.threshold(requested: 0.89) }
    }
}

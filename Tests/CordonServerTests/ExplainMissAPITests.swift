import CordonCore
import CordonScreening
import CordonServer
import Foundation
import HTTPTypes
import Testing

/// `POST /v1/screen/explain-miss`: why a query did or did not alert on one listed entity, for analysts;
/// and lists with thresholds of their own, every hit stating the threshold it was judged at.
@Suite(.timeLimit(.minutes(5))) struct ExplainMissAPITests {
    static let fugitive = "p-mirzoyev-abdurasul"

    static func explain(_ server: DemoServer, _ body: [String: Any], role: Role = .analyst) async throws -> APIResponse
    {
        try await server.api.call(.post, "/v1/screen/explain-miss", token: server.tokens[role], json: body)
    }

    @Test func aSilentVariantIsExplainedFactorByFactorAndAudited() async throws {
        try await withDemoServer { server in
            // The right name with a birth year far from the listed one: the name matches, the date sinks it.
            let body: [String: Any] = ["name": "Mirzoev Abdurasul", "birth_date": "1930", "entity": Self.fugitive]
            let answer = try await Self.explain(server, body)
            #expect(answer.status == .ok, "\(answer.text)")
            let object = answer.object
            #expect(object["entity"] as? String == Self.fugitive)
            #expect(object["alert"] as? Bool == false)
            #expect(object["candidate"] as? Bool == true)
            #expect(object["threshold"] as? Double == ScreeningPolicy.defaultThreshold)
            let score = try #require(object["score"] as? Double)
            let gap = try #require(object["gap"] as? Double)
            #expect(score < ScreeningPolicy.defaultThreshold)
            #expect(abs(gap - (ScreeningPolicy.defaultThreshold - score)) < 0.0002)
            #expect(object["list_version"] is Int)
            let costs = try #require(object["costs"] as? [[String: Any]])
            let first = try #require(costs.first, "\(answer.text)")
            #expect(first["factor"] as? String == "birth_date", "\(answer.text)")
            let points = try #require(first["points"] as? Double)
            #expect(points > gap, "without the birth date the name alone would alert")
            let all = costs.compactMap { $0["points"] as? Double }
            #expect(all == all.sorted(by: >), "costs come largest first")
            #expect((object["summary"] as? String)?.contains("short") == true)

            let audit = try await server.api.call(.get, "/v1/audit?limit=1000", token: server.tokens[.auditor])
            let record = (audit.object["records"] as? [[String: Any]] ?? []).last {
                $0["action"] as? String == "screen.explain_miss"
            }
            let details = try #require(record?["details"] as? [String: Any], "\(audit.text.prefix(500))")
            #expect(details["entity"] as? String == Self.fugitive)
            #expect(details["alert"] as? Bool == false)
        }
    }

    @Test func anEntityThatAlertsIsSaidToAlert() async throws {
        try await withDemoServer { server in
            let answer = try await Self.explain(server, ["name": "Abdurasul Mirzoev", "entity": Self.fugitive])
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.object["alert"] as? Bool == true)
            #expect((answer.object["gap"] as? Double ?? 1) <= 0)
            #expect((answer.object["summary"] as? String)?.hasPrefix("alerts") == true)
        }
    }

    @Test func anUnknownEntityIsNotFoundAndBadFieldsAreNamed() async throws {
        try await withDemoServer { server in
            let unknown = try await Self.explain(server, ["name": "Abdurasul Mirzoev", "entity": "p-nobody"])
            #expect(unknown.status == .notFound, "\(unknown.text)")
            #expect(unknown.headers[.contentType]?.hasPrefix("application/problem+json") == true)

            let bad = try await Self.explain(server, ["name": "Abdurasul Mirzoev", "birth_date": "someday"])
            #expect(bad.status == .unprocessableContent, "\(bad.text)")
            let pointers = (bad.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            #expect(pointers.contains("/entity"), "\(bad.text)")
            #expect(pointers.contains("/birth_date"), "\(bad.text)")

            let looser = try await Self.explain(
                server,
                ["name": "Abdurasul Mirzoev", "entity": Self.fugitive, "threshold": 0.5]
            )
            #expect(looser.status == .unprocessableContent, "\(looser.text)")

            let officer = try await Self.explain(
                server,
                ["name": "Abdurasul Mirzoev", "entity": Self.fugitive],
                role: .checkpointOfficer
            )
            #expect(officer.status == .forbidden)
        }
    }

    @Test func anImportedListAlertsAtItsOwnThresholdAndHitsSayWhichTheyUsed() async throws {
        try await withDemoServer(
            configure: { $0.listThresholds = ["tonight": 0.6] },
            { server in
                let line =
                    #"{"id": "tn-1", "schema": "Person", "properties": {"name": ["Zafar Kholiqnazarov"], "birthDate": ["1990"]}}"#
                let imported = try await server.api.call(
                    .post,
                    "/v1/lists/import?format=ftm&list=tonight",
                    token: server.tokens[.commander],
                    raw: line,
                    headers: [.contentType: "application/x-ndjson"]
                )
                #expect(imported.status == .ok, "\(imported.text)")
                let person = try await server.api.call(.get, "/v1/persons/tn-1", token: server.tokens[.commander])
                #expect((person.object["wanted"] as? [String: Any])?["list"] as? String == "tonight", "\(person.text)")

                // A partial name scores well under the server's 0.95 but over the list's 0.6.
                let screen = try await server.api.call(
                    .post,
                    "/v1/screen",
                    token: server.tokens[.checkpointOfficer],
                    json: ["name": "Kholiqnazarov"]
                )
                #expect(screen.status == .ok, "\(screen.text)")
                let hit = try #require(
                    (screen.object["hits"] as? [[String: Any]])?.first { $0["id"] as? String == "tn-1" },
                    "\(screen.text)"
                )
                let score = try #require(hit["score"] as? Double)
                #expect(score >= 0.6 && score < 0.95, "\(screen.text)")
                #expect(hit["threshold"] as? Double == 0.6)
                #expect(hit["list"] as? String == "tonight")
                #expect(hit["alert"] as? Bool == true)
                #expect(screen.object["threshold"] as? Double == ScreeningPolicy.defaultThreshold)

                // A stricter threshold asked for still raises the bar for the list's hits.
                let strict = try await server.api.call(
                    .post,
                    "/v1/screen",
                    token: server.tokens[.checkpointOfficer],
                    json: ["name": "Kholiqnazarov", "threshold": 0.99]
                )
                let strictHit = (strict.object["hits"] as? [[String: Any]])?.first { $0["id"] as? String == "tn-1" }
                #expect(strictHit?["threshold"] as? Double == 0.99)
                #expect(strictHit?["alert"] as? Bool == false)

                // The explanation of a miss judges the entity at its list's threshold too.
                let explained = try await Self.explain(server, ["name": "Kholiqnazarov", "entity": "tn-1"])
                #expect(explained.object["threshold"] as? Double == 0.6, "\(explained.text)")
                #expect(explained.object["list"] as? String == "tonight")
                #expect(explained.object["alert"] as? Bool == true)
            }
        )
    }

    @Test func aBadListNameOnImportIsRefusedNamingTheParameter() async throws {
        try await withDemoServer { server in
            let refused = try await server.api.call(
                .post,
                "/v1/lists/import?format=ftm&list=no%20spaces",
                token: server.tokens[.commander],
                raw: #"{"id": "x-1", "schema": "Person", "properties": {"name": ["Anyone Else"]}}"#,
                headers: [.contentType: "application/x-ndjson"]
            )
            #expect(refused.status == .badRequest, "\(refused.text)")
            let pointers = (refused.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            #expect(pointers == ["?list"], "\(refused.text)")
        }
    }

    @Test func aPolicyRefusesListThresholdsOutsideTheRange() throws {
        #expect(throws: ValidationFailure.self) { try ScreeningPolicy(listThresholds: ["tonight": 0]) }
        #expect(throws: ValidationFailure.self) { try ScreeningPolicy(listThresholds: ["tonight": 1.2]) }
        #expect(throws: ValidationFailure.self) { try ScreeningPolicy(listThresholds: ["no spaces": 0.9]) }
        #expect(try ScreeningPolicy(listThresholds: ["tonight": 1]).listThresholds == ["tonight": 1])
    }
}

import CordonCore
import CordonStore
import CordonStoreSQLite
import Crypto
import Foundation
import HTTPTypes
import Testing

/// `POST /v1/persons/{id}/sources`: a report attached to a wanted person's timeline as a source, read
/// again by the server, kept as its hash and the person's mentions, audited; once per report and person.
@Suite(.timeLimit(.minutes(5))) struct PersonSourcesAPITests {
    static let person = "p-mirzoyev-abdurasul"
    /// The fugitive in the instrumental, then his surname alone; a deputy minister of the same surname.
    static let report = """
        Пограничники разыскивают Мирзоевым Абдурасулом. Позже Мирзоев был замечен в Вахдате.
        Заместитель министра Рустам Мирзоев отказался от комментариев.
        """

    @Test func attachesAReportNamingThePersonOnceAndAuditsIt() async throws {
        try await withDemoServer { server in
            let answer = try await server.api.call(
                .post,
                "/v1/persons/\(Self.person)/sources",
                token: server.tokens[.analyst],
                json: ["text": Self.report, "source": "Wire, 23 August"]
            )
            #expect(answer.status == .created, "\(answer.text)")
            #expect(answer.object["kind"] as? String == "report")
            #expect(answer.object["persons"] as? [String] == [Self.person])
            let report = try #require(answer.object["report"] as? [String: Any])
            let digest = SHA256.hash(data: Array(Self.report.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(report["sha256"] as? String == digest)
            #expect(report["bytes"] as? Int == Self.report.utf8.count)
            #expect(report["source"] as? String == "Wire, 23 August")
            #expect(report["attached_by"] as? String == "demo-analyst")
            let mentions = try #require(report["mentions"] as? [[String: Any]])
            let scalars = Array(Self.report.unicodeScalars)
            let words = mentions.compactMap { mention -> String? in
                guard let start = mention["start"] as? Int, let end = mention["end"] as? Int else { return nil }
                return String(String.UnicodeScalarView(scalars[start..<end]))
            }
            // The deputy minister is not the fugitive: only the fugitive's two mentions are kept.
            #expect(words == ["Мирзоевым Абдурасулом", "Мирзоев"])
            #expect(mentions.map { $0["basis"] as? String } == ["name", "earlier_mention"])
            let summary = try #require(answer.object["summary"] as? String)
            #expect(summary.contains("Wire, 23 August"))
            #expect(summary.contains("demo-analyst"))
            let id = try #require(answer.object["id"] as? String)
            let stored = try #require(try await server.store.entity(TimelineEvent.self, id: id))
            #expect(stored.entity.report?.sha256 == digest)
            let audit = try await server.store.auditRecords(after: 0, limit: 10_000)
                .filter { $0.action == "persons.source" }
            #expect(audit.count == 1)
            #expect(audit.first?.target == "persons/\(Self.person)")
            #expect(audit.first?.details["sha256"]?.stringValue == digest)
            // The same report again: the event already recorded, nothing written.
            let again = try await server.api.call(
                .post,
                "/v1/persons/\(Self.person)/sources",
                token: server.tokens[.commander],
                json: ["text": Self.report, "source": "Wire, 23 August"]
            )
            #expect(again.status == .ok)
            #expect(again.object["id"] as? String == id)
            #expect(
                try await server.store.auditRecords(after: 0, limit: 10_000).filter { $0.action == "persons.source" }
                    .count == 1
            )
        }
    }

    @Test func refusesAReportThatDoesNotNameThePersonAndWritesNothing() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.analyst]
            let other = try await server.api.call(
                .post,
                "/v1/persons/\(Self.person)/sources",
                token: token,
                json: ["text": "Заместитель министра Рустам Мирзоев отказался от комментариев."]
            )
            #expect(other.status == .unprocessableContent, "\(other.text)")
            #expect(other.headers[.contentType] == "application/problem+json")
            let errors = other.object["errors"] as? [[String: Any]]
            #expect(errors?.first?["pointer"] as? String == "/text")
            let nobody = try await server.api.call(
                .post,
                "/v1/persons/p-no-such-person/sources",
                token: token,
                json: ["text": Self.report]
            )
            #expect(nobody.status == .notFound)
            let empty = try await server.api.call(
                .post,
                "/v1/persons/\(Self.person)/sources",
                token: token,
                json: ["text": " "]
            )
            #expect(empty.status == .unprocessableContent)
            let unknown = try await server.api.call(
                .post,
                "/v1/persons/\(Self.person)/sources",
                token: token,
                json: ["text": Self.report, "note": "x"]
            )
            #expect(unknown.status == .unprocessableContent)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            let plain = try await server.api.call(
                .post,
                "/v1/persons/\(Self.person)/sources",
                token: token,
                raw: Self.report,
                headers: headers
            )
            #expect(plain.status == .unsupportedMediaType)
            for role in [Role.checkpointOfficer, .custodyOfficer, .auditor] {
                let refused = try await server.api.call(
                    .post,
                    "/v1/persons/\(Self.person)/sources",
                    token: server.tokens[role],
                    json: ["text": Self.report]
                )
                #expect(refused.status == .forbidden, "\(role)")
            }
            let events = try await server.store.allEntities(TimelineEvent.self).filter { $0.kind == .report }
            #expect(events.isEmpty)
            let audit = try await server.store.auditRecords(after: 0, limit: 10_000)
                .filter { $0.action == "persons.source" }
            #expect(audit.isEmpty)
        }
    }
}

import CordonCore
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Testing

/// `POST /v1/read`: reports read for the demo's wanted list, by analysts and commanders, audited; bad
/// input refused with a problem naming what is wrong, nothing written.
@Suite(.timeLimit(.minutes(5))) struct ReadingAPITests {
    static let wire = "Пограничники ищут Мирзоевым Абдурасулом. Позже Мирзоев был замечен в Вахдате на 4519 АА 01."

    @Test func readsAReportSentAsJSONAndAuditsIt() async throws {
        try await withDemoServer { server in
            let answer = try await server.api.call(
                .post,
                "/v1/read",
                token: server.tokens[.analyst],
                json: ["text": Self.wire, "source": "wire-0823"]
            )
            #expect(answer.status == .ok, "\(answer.text)")
            let mentions = try #require(answer.object["mentions"] as? [[String: Any]])
            #expect(
                mentions.map { $0["entity"] as? String } == [
                    "p-mirzoyev-abdurasul", "p-mirzoyev-abdurasul", "veh-vaz2107-white",
                ]
            )
            let scalars = Array(Self.wire.unicodeScalars)
            let words = mentions.compactMap { mention -> String? in
                guard let start = mention["start"] as? Int, let end = mention["end"] as? Int else { return nil }
                return String(String.UnicodeScalarView(scalars[start..<end]))
            }
            #expect(words == ["Мирзоевым Абдурасулом", "Мирзоев", "4519 АА 01"])
            #expect(mentions[1]["basis"] as? String == "earlier_mention")
            #expect(answer.object["source"] as? String == "wire-0823")
            #expect((answer.object["list_version"] as? Int ?? 0) > 0)
            #expect(answer.headers[.cacheControl] == "no-store")
            let audit = try await server.store.auditRecords(after: 0, limit: 10_000).filter { $0.action == "read" }
            #expect(audit.count == 1)
            let details = try #require(audit.first?.details)
            #expect(details["source"]?.stringValue == "wire-0823")
            #expect(details["sha256"]?.stringValue?.count == 64)
            guard case .array(let found)? = details["mentions"] else {
                Issue.record("no mentions in the audit record")
                return
            }
            #expect(found.count == 3)
            #expect(audit.first?.actor == "demo-analyst")
        }
    }

    @Test func readsDocumentsSentAsThemselves() async throws {
        try await withDemoServer { server in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            let html = "<p>Witnesses named <b>Hikmatullo</b> Davlatov.</p><script>Abdurasul Mirzoyev</script>"
            let page = try await server.api.call(
                .post,
                "/v1/read?source=page.html",
                token: server.tokens[.commander],
                raw: html,
                headers: headers
            )
            #expect(page.status == .ok, "\(page.text)")
            let mentions = try #require(page.object["mentions"] as? [[String: Any]])
            #expect(mentions.map { $0["entity"] as? String } == ["p-davlatov-hikmatullo"])
            // `text` is the words as read; the offsets are the markup's.
            #expect(mentions.first?["text"] as? String == "Hikmatullo Davlatov")
            let scalars = Array(html.unicodeScalars)
            let start = try #require(mentions.first?["start"] as? Int)
            let end = try #require(mentions.first?["end"] as? Int)
            #expect(String(String.UnicodeScalarView(scalars[start..<end])) == "Hikmatullo</b> Davlatov")
            #expect(page.object["format"] as? String == "html")
            headers[.contentType] = "application/rss+xml"
            let rss = """
                <rss><channel><item><title>IMU</title><description>&lt;p&gt;Members of the IMU.&lt;/p&gt;</description></item></channel></rss>
                """
            let feed = try await server.api.call(
                .post,
                "/v1/read",
                token: server.tokens[.admin],
                raw: rss,
                headers: headers
            )
            #expect(feed.status == .ok, "\(feed.text)")
            #expect((feed.object["entities"] as? [[String: Any]])?.first?["entity"] as? String == "org-imu")
        }
    }

    @Test func onlyAnalystsCommandersAndAdminsRead() async throws {
        try await withDemoServer { server in
            for role in [Role.checkpointOfficer, .custodyOfficer, .auditor] {
                let answer = try await server.api.call(
                    .post,
                    "/v1/read",
                    token: server.tokens[role],
                    json: ["text": "x"]
                )
                #expect(answer.status == .forbidden, "\(role)")
            }
            #expect(try await server.api.call(.post, "/v1/read", json: ["text": "x"]).status == .unauthorized)
        }
    }

    @Test func refusesBadReportsNamingWhatIsWrongAndWritesNothing() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.analyst]
            func problem(_ answer: APIResponse) -> (String?, String?) {
                let errors = answer.object["errors"] as? [[String: Any]]
                return (errors?.first?["pointer"] as? String, answer.object["detail"] as? String)
            }
            let empty = try await server.api.call(.post, "/v1/read", token: token, json: ["text": "  "])
            #expect(empty.status == .unprocessableContent)
            #expect(problem(empty).0 == "/text")
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            let binary = try await server.api.call(
                .post,
                "/v1/read",
                token: token,
                data: Data([0x4D, 0x00, 0x5A]),
                headers: headers
            )
            #expect(binary.status == .unprocessableContent)
            #expect(binary.text.contains("binary"))
            let invalid = try await server.api.call(
                .post,
                "/v1/read",
                token: token,
                data: Data([0x4D, 0xC3, 0x28]),
                headers: headers
            )
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("not UTF-8"))
            let huge = try await server.api.call(
                .post,
                "/v1/read",
                token: token,
                data: Data(repeating: 0x61, count: 50 << 20),
                headers: headers
            )
            #expect(huge.status == .contentTooLarge)
            headers[.contentType] = "application/atom+xml"
            let feed = try await server.api.call(
                .post,
                "/v1/read",
                token: token,
                raw: "<feed><entry><title>x</entry></feed>",
                headers: headers
            )
            #expect(feed.status == .unprocessableContent)
            #expect(feed.text.contains("not well-formed"))
            headers[.contentType] = "application/pdf"
            #expect(
                try await server.api.call(.post, "/v1/read", token: token, raw: "%PDF", headers: headers).status
                    == .unsupportedMediaType
            )
            let lower = try await server.api.call(
                .post,
                "/v1/read",
                token: token,
                json: ["text": Self.wire, "threshold": 0.5]
            )
            #expect(lower.status == .unprocessableContent)
            #expect(problem(lower).0 == "/threshold")
            // A source with a control character is refused here as where a report is attached.
            let controlled = try await server.api.call(
                .post,
                "/v1/read",
                token: token,
                json: ["text": "x", "source": "wire\u{07}"]
            )
            #expect(controlled.status == .unprocessableContent)
            #expect(problem(controlled).0 == "/source")
            let unknown = try await server.api.call(.post, "/v1/read", token: token, json: ["text": "x", "url": "y"])
            #expect(unknown.status == .unprocessableContent)
            let audit = try await server.store.auditRecords(after: 0, limit: 10_000).filter { $0.action == "read" }
            #expect(audit.isEmpty)
        }
    }
}

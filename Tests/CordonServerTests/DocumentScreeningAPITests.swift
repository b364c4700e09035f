import CordonCore
import CordonStore
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Testing

@testable import CordonServer

/// `POST /v1/screen` with a machine-readable zone instead of a name.
@Suite(.timeLimit(.minutes(5)))
struct DocumentScreeningAPITests {
    /// Davlatov's passport (A 2417735 on the list), his given name spelt KHIKMATULLO.
    static let davlatov = [
        "P<TJKDAVLATOV<<KHIKMATULLO<<<<<<<<<<<<<<<<<<",
        "A2417735<1TJK8103147M1605103<<<<<<<<<<<<<<00",
    ]
    /// Juraev (Ҷӯраев on the list) on a passport the list does not know, spelt DZHURAEV.
    static let dzhuraev = [
        "P<TJKDZHURAEV<<UMED<<<<<<<<<<<<<<<<<<<<<<<<<",
        "A4409127<9TJK8507125M1703010<<<<<<<<<<<<<<08",
    ]

    static func pointers(_ response: APIResponse) -> Set<String> {
        Set((response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
    }

    @Test func screensAPassportByItsZone() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                json: ["mrz": Self.davlatov]
            )
            #expect(response.status == .ok)
            let hits = try #require(response.object["hits"] as? [[String: Any]])
            #expect(hits.first?["id"] as? String == "p-davlatov-hikmatullo")
            #expect(hits.first?["alert"] as? Bool == true)
            let evidence = (hits.first?["explanation"] as? [String: Any])?["evidence"] as? [[String: Any]] ?? []
            #expect(evidence.contains { ($0["detail"] as? String)?.contains("A2417735 matches") == true })
            let document = try #require(response.object["document"] as? [String: Any])
            #expect(document["format"] as? String == "td3")
            #expect(document["valid"] as? Bool == true)
            #expect(document["nationality_country"] as? String == "TJ")
            let fields = document["fields"] as? [[String: Any]] ?? []
            let number = fields.first { $0["name"] as? String == "document_number" }
            #expect(number?["value"] as? String == "A2417735")
            let checks = document["checks"] as? [[String: Any]] ?? []
            #expect(
                checks.map { $0["name"] as? String } == [
                    "document_number", "birth_date", "expiry_date", "optional_data", "composite",
                ]
            )

            let records = try await server.store.auditRecords(after: 0, limit: 10_000)
            let screen = try #require(records.last { $0.action == "screen" })
            let text = String(decoding: try JSONEncoder().encode(screen.details), as: UTF8.self)
            #expect(text.contains("A2417735"))
            #expect(text.contains("DAVLATOV KHIKMATULLO"))
        }
    }

    @Test func findsAFugitiveOnAPassportTheListDoesNotKnow() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                json: ["mrz": Self.dzhuraev]
            )
            #expect(response.status == .ok)
            let hits = try #require(response.object["hits"] as? [[String: Any]])
            #expect(hits.first?["id"] as? String == "p-juraev-umed")
            #expect(hits.first?["alert"] as? Bool == true)
        }
    }

    @Test func refusesADocumentThatFailsACheckDigit() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                json: ["mrz": [Self.davlatov[0], "A2417735<2TJK8103147M1605103<<<<<<<<<<<<<<00"]]
            )
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(Self.pointers(response).isSuperset(of: ["/mrz/document_number", "/mrz/composite"]))
        }
    }

    @Test func namesTheLineOfAMalformedZone() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.checkpointOfficer]
            let short = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                json: ["mrz": [Self.davlatov[0], String(Self.davlatov[1].dropLast(2))]]
            )
            #expect(short.status == .unprocessableContent)
            #expect(Self.pointers(short) == ["/mrz/1"])
            let oneLine = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                json: ["mrz": [Self.davlatov[0]]]
            )
            #expect(Self.pointers(oneLine) == ["/mrz"])
            let notStrings = try await server.api.call(.post, "/v1/screen", token: token, json: ["mrz": [1, 2]])
            #expect(notStrings.status == .unprocessableContent)
        }
    }

    @Test func refusesAZoneBesideANameOrItsFields() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                json: ["mrz": Self.davlatov, "name": "Davlatov", "birth_date": "1981"]
            )
            #expect(response.status == .unprocessableContent)
            #expect(Self.pointers(response) == ["/name", "/birth_date"])
        }
    }

    @Test func screensZonesInABatch() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.analyst],
                json: ["queries": [["mrz": Self.dzhuraev], ["name": "Abdurasul Mirzoyev"]], "limit": 3]
            )
            #expect(response.status == .ok)
            let results = try #require(response.object["results"] as? [[String: Any]])
            #expect((results[0]["hits"] as? [[String: Any]])?.first?["id"] as? String == "p-juraev-umed")
            #expect((results[0]["document"] as? [String: Any])?["format"] as? String == "td3")
            #expect(results[1]["document"] == nil)

            let bad = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.analyst],
                json: ["queries": [["name": "Abdurasul Mirzoyev"], ["mrz": [Self.dzhuraev[0], "A"]]]]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(Self.pointers(bad) == ["/queries/1/mrz/1"])
        }
    }
}

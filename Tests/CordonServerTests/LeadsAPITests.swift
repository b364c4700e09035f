import CordonCore
import CordonEvents
import CordonScreening
import CordonServer
import CordonStore
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Testing

/// Looking back through the real server: a checkpoint screens a misspelled name, and the man's brother,
/// twenty hours before the man is declared wanted; an offline station's report comes up too. The
/// declaration finds the misspelling and the report, not the brother; a lead becomes a sighting once.
@Suite(.timeLimit(.minutes(2))) struct LeadsAPITests {
    static let checkpoint = "cp-road-dushanbe-east"
    static let person = "p-sattorov-bahrom"
    static let misspelled = "Satorov Bakhrom Ismoilovich"
    static let brother = "Sattorov Farhod Ismoilovich"
    static let reported = "Bahrom Satorov"

    static func person(wantedAt: Date?, aliases: [String] = ["Sattorov Bahrom Ismoilovich"]) -> [String: Any] {
        var person: [String: Any] = [
            "id": person,
            "name": [
                "parts": [
                    ["kind": "family", "value": "Сатторов"], ["kind": "given", "value": "Бахром"],
                    ["kind": "patronymic", "value": "Исмоилович"],
                ]
            ],
            "aliases": aliases.map { ["kind": "spelling", "value": $0] },
            "birth_date": "1981-03-09",
            "sex": "male",
            "nationalities": ["TJ"],
        ]
        if let wantedAt {
            person["wanted"] = [
                "reason": "declared wanted: helped the escape",
                "history": [["status": "at_large", "at": Instant.format(wantedAt, in: TimeZone(secondsFromGMT: 0)!)]],
            ]
        }
        return person
    }

    /// Looks back every 20 ms, so that a test waits little.
    static func lookingBackOften(_ configuration: inout ServerConfiguration) {
        configuration.lookBack.interval = .milliseconds(20)
    }

    /// The leads, once at least `count` are listed (the look back runs on its own).
    static func leads(_ server: DemoServer, atLeast count: Int) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let listed = try await server.api.call(.get, "/v1/leads", token: server.tokens[.analyst])
            guard listed.status == .ok else {
                Issue.record("GET /v1/leads answered \(listed.status): \(listed.text)")
                return []
            }
            let items = listed.object["items"] as? [[String: Any]] ?? []
            if items.count >= count || ContinuousClock.now > deadline { return items }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until looking back has run for the store's list version (after a change to a listed entry: a look
    /// back that finds no changed entry writes nothing).
    static func lookedBack(_ server: DemoServer) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let version = try await server.store.listVersion()
            if let cursor = try await server.store.document(kind: .lookBack, id: "cursor"),
                let object = try JSONSerialization.jsonObject(with: cursor.body) as? [String: Any],
                (object["list_version"] as? NSNumber)?.int64Value == version
            {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("looking back did not run")
    }

    @Test func aLeadIsFoundForTheMisspellingNotTheBrotherAndBecomesASightingOnce() async throws {
        try await withDemoServer(tokenLifetime: 3 * 86400, configure: Self.lookingBackOften) { server in
            let api = server.api
            let (admin, commander, analyst) = (
                server.tokens[.admin], server.tokens[.commander], server.tokens[.analyst]
            )
            let account = try await api.call(
                .post,
                "/v1/accounts",
                token: admin,
                json: [
                    "username": "east-exit-officer", "role": "checkpoint_officer",
                    "password": "a long pass phrase 7731", "serves": ["checkpoints/\(Self.checkpoint)"],
                ]
            )
            #expect(account.status == .created)
            let officer = try await api.token("east-exit-officer", "a long pass phrase 7731")
            let created = try await api.call(
                .post,
                "/v1/persons",
                token: commander,
                json: Self.person(wantedAt: nil)
            )
            #expect(created.status == .created, "\(created.text)")

            // 20 hours before the declaration: the checkpoint screens him, misspelled, and his brother;
            // neither is on the list.
            let screenedAt = server.clock.now
            for name in [Self.misspelled, Self.brother] {
                let screen = try await api.call(.post, "/v1/screen", token: officer, json: ["name": name])
                #expect(screen.status == .ok)
                #expect((screen.object["hits"] as? [[String: Any]])?.contains { $0["alert"] as? Bool == true } != true)
            }
            // An offline station's report, uploaded: it screened him two hours earlier.
            let observedAt = screenedAt.addingTimeInterval(-2 * 3600)
            let upload = try await api.call(
                .post,
                "/v1/checkpoints/\(Self.checkpoint)/reports",
                token: officer,
                json: [
                    "reports": [
                        [
                            "id": "rep-look-back-0001", "kind": "hit", "person": "p-davlatov-nematullo",
                            "query": Self.reported, "score": 0.96, "list_version": 1,
                            "observed_at": Instant.format(observedAt, in: TimeZone(secondsFromGMT: 0)!),
                        ]
                    ]
                ]
            )
            #expect(upload.status == .ok, "\(upload.text)")

            let subscription = server.parts.events.subscribe()
            server.clock.advance(by: 20 * 3600)
            let declared = try await api.call(
                .put,
                "/v1/persons/\(Self.person)",
                token: commander,
                json: Self.person(wantedAt: server.clock.now)
            )
            #expect(declared.status == .ok, "\(declared.text)")

            let leads = try await Self.leads(server, atLeast: 2)
            #expect(leads.count == 2, "\(leads)")
            let byText = Dictionary(
                leads.map { (($0["query"] as? [String: Any])?["text"] as? String ?? "", $0) },
                uniquingKeysWith: { first, _ in first }
            )
            #expect(byText[Self.brother] == nil, "the brother is no lead")
            let lead = try #require(byText[Self.misspelled])
            let query = try #require(lead["query"] as? [String: Any])
            #expect(lead["person"] as? String == Self.person)
            #expect(query["checkpoint"] as? String == Self.checkpoint)
            #expect(query["account"] as? String == "east-exit-officer")
            #expect(query["kind"] as? String == "name")
            #expect(Instant.parse(query["at"] as? String ?? "") == screenedAt)
            #expect((lead["score"] as? Double ?? 0) >= 0.95)
            #expect((lead["explanation"] as? [String: Any])?["parts"] != nil)
            let report = try #require(byText[Self.reported])
            let reportQuery = try #require(report["query"] as? [String: Any])
            #expect(reportQuery["report"] as? String == "rep-look-back-0001")
            #expect(Instant.parse(reportQuery["at"] as? String ?? "") == observedAt)
            #expect(reportQuery["checkpoint"] as? String == Self.checkpoint)

            // Headquarters is told.
            var announced: Set<String> = []
            for await record in subscription.events {
                if let id = record.event.lead { announced.insert(id) }
                if announced.count == 2 { break }
            }
            server.parts.events.unsubscribe(subscription.id)
            #expect(announced == Set(leads.compactMap { $0["id"] as? String }))

            // Only headquarters' readers see leads and make sightings of them.
            let id = try #require(lead["id"] as? String)
            for role in [Role.checkpointOfficer, .custodyOfficer, .auditor] {
                #expect(try await api.call(.get, "/v1/leads", token: server.tokens[role]).status == .forbidden)
                let refused = try await api.call(.post, "/v1/leads/\(id)/sighting", token: server.tokens[role])
                #expect(refused.status == .forbidden)
            }
            #expect(try await api.call(.get, "/v1/leads").status == .unauthorized)

            let made = try await api.call(.post, "/v1/leads/\(id)/sighting", token: analyst)
            #expect(made.status == .created, "\(made.text)")
            let sighting = made.object
            #expect(sighting["person"] as? String == Self.person)
            #expect(sighting["checkpoint"] as? String == Self.checkpoint)
            #expect(sighting["source"] as? String == "checkpoint")
            #expect(sighting["lead"] as? String == id)
            #expect(Instant.parse(sighting["observed_at"] as? String ?? "") == screenedAt)
            let onPerson = try await api.call(.get, "/v1/sightings?person=\(Self.person)", token: analyst)
            #expect((onPerson.object["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["s-\(id)"])

            let again = try await api.call(.post, "/v1/leads/\(id)/sighting", token: commander)
            #expect(again.status == .conflict)
            #expect(again.headers[.contentType] == "application/problem+json")
            let used = try await api.call(.get, "/v1/leads?used=true", token: analyst)
            let usedItems = used.object["items"] as? [[String: Any]] ?? []
            #expect(usedItems.map { $0["id"] as? String } == [id])
            #expect((usedItems.first?["used"] as? [String: Any])?["sighting"] as? String == "s-\(id)")

            // The list changes again (a new spelling): the same queries make no second lead.
            let changed = try await api.call(
                .put,
                "/v1/persons/\(Self.person)",
                token: commander,
                json: Self.person(
                    wantedAt: server.clock.now,
                    aliases: ["Sattorov Bahrom Ismoilovich", "Bahrom Satorov"]
                )
            )
            #expect(changed.status == .ok, "\(changed.text)")
            try await Self.lookedBack(server)
            #expect(try await Self.leads(server, atLeast: 0).count == 2)
            let audited = try await server.store.auditRecords(after: 0, limit: 10_000)
            #expect(audited.contains { $0.action == "leads.sighting" && $0.target == "leads/\(id)" })
        }
    }

    @Test func aLeadWhoseAccountServesSeveralCheckpointsNeedsOneNamed() async throws {
        try await withDemoServer(tokenLifetime: 3 * 86400, configure: Self.lookingBackOften) { server in
            let (api, commander) = (server.api, server.tokens[.commander])
            #expect(
                try await api.call(.post, "/v1/persons", token: commander, json: Self.person(wantedAt: nil)).status
                    == .created
            )
            // The demo's officer serves every checkpoint: the record cannot say which screened him.
            let screen = try await api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                json: ["name": Self.misspelled]
            )
            #expect(screen.status == .ok)
            server.clock.advance(by: 5 * 3600)
            let declared = try await api.call(
                .put,
                "/v1/persons/\(Self.person)",
                token: commander,
                json: Self.person(wantedAt: server.clock.now)
            )
            #expect(declared.status == .ok)
            let lead = try #require(try await Self.leads(server, atLeast: 1).first)
            let id = try #require(lead["id"] as? String)
            #expect((lead["query"] as? [String: Any])?["checkpoint"] == nil)
            // On headquarters' timeline.
            let session = try await DashboardTests.signIn(server, .analyst)
            let operations = try await DashboardTests.page(
                server,
                .get,
                "/ui/",
                headers: DashboardTests.cookie(session)
            )
            #expect(operations.status == .ok)
            #expect(operations.text.contains("id=\"tl-lead-\(id)\""))
            // One step from the line: a button, and the checkpoints the screening account serves to choose.
            #expect(operations.text.contains("class=\"lead-action\" data-lead=\"\(id)\""))
            #expect(operations.text.contains("<button type=\"button\" class=\"lead-make\">Make a sighting</button>"))
            #expect(operations.text.contains("<option value=\"cp-air-dushanbe\">"))

            let bad = try await api.call(
                .post,
                "/v1/leads/\(id)/sighting",
                token: commander,
                json: ["confidence": "certain", "checkpoint": "Not A Slug"]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(Self.pointers(bad) == ["/confidence", "/checkpoint"])
            let unnamed = try await api.call(.post, "/v1/leads/\(id)/sighting", token: commander, json: [:])
            #expect(unnamed.status == .unprocessableContent)
            #expect(Self.pointers(unnamed) == ["/checkpoint"])
            let unknown = try await api.call(
                .post,
                "/v1/leads/\(id)/sighting",
                token: commander,
                json: ["checkpoint": "cp-nowhere"]
            )
            #expect(Self.pointers(unknown) == ["/checkpoint"])
            let made = try await api.call(
                .post,
                "/v1/leads/\(id)/sighting",
                token: commander,
                json: ["checkpoint": Self.checkpoint, "confidence": "low", "note": "checked the camera"]
            )
            #expect(made.status == .created, "\(made.text)")
            #expect(made.object["checkpoint"] as? String == Self.checkpoint)
            #expect(made.object["confidence"] as? String == "low")
            #expect((made.object["note"] as? String)?.hasSuffix("; checked the camera") == true)

            let missing = try await api.call(.post, "/v1/leads/l-0000/sighting", token: server.tokens[.admin])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
        }
    }

    static func pointers(_ response: APIResponse) -> Set<String> {
        Set((response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
    }
}

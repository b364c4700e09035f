import CordonCore
import CordonDemo
import CordonDocuments
import CordonPublishing
import CordonServer
import CordonStore
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Logging
import Testing

/// The signed wanted-list repository over HTTP, its releases across restarts, and the reports
/// checkpoints upload.
@Suite struct ListRepositoryTests {
    static func newcomer(_ id: String) -> [String: Any] {
        [
            "id": id,
            "name": ["parts": [["kind": "family", "value": "Қодиров"], ["kind": "given", "value": "Нозим"]]],
            "nationalities": ["TJ"],
            "wanted": ["reason": "escaped", "history": [["status": "at_large", "at": "2010-08-23T01:10:00+05:00"]]],
        ]
    }

    @Test func aCheckpointVerifiesEveryReleaseAndItsDelta() async throws {
        try await withDemoServer { server in
            let officer = server.tokens[.checkpointOfficer]!
            func get(_ path: String) async throws -> Data {
                let response = try await server.api.call(.get, "/v1/lists/tuf/" + path, token: officer)
                #expect(response.status == .ok, "\(path): \(response.text)")
                return response.body
            }
            var trusted = try TUFTrustedSet(root: try await get("1.root.json"))
            #expect(trusted.root.consistentSnapshot && trusted.root.roles.count == 4)
            try trusted.updateTimestamp(try await get("timestamp.json"), now: server.clock.now)
            try trusted.updateSnapshot(
                try await get("\(trusted.timestamp!.snapshotVersion).snapshot.json"),
                now: server.clock.now
            )
            try trusted.updateTargets(
                try await get("\(trusted.snapshot!.targetsVersion).targets.json"),
                now: server.clock.now
            )
            let first = try #require(trusted.targets?.targets["wanted-list.json"])

            let created = try await server.api.call(
                .post,
                "/v1/persons",
                token: server.tokens[.commander]!,
                json: Self.newcomer("p-qodirov-nozim")
            )
            #expect(created.status == .created)
            #expect(try trusted.updateTimestamp(try await get("timestamp.json"), now: server.clock.now))
            try trusted.updateSnapshot(
                try await get("\(trusted.timestamp!.snapshotVersion).snapshot.json"),
                now: server.clock.now
            )
            try trusted.updateTargets(
                try await get("\(trusted.snapshot!.targetsVersion).targets.json"),
                now: server.clock.now
            )
            let targets = trusted.targets!.targets
            let full = try #require(targets["wanted-list.json"])
            let base = try #require(first.custom?["list_version"]?.intValue)
            let version = try #require(full.custom?["list_version"]?.intValue)
            #expect(version > base)
            let deltaName = "wanted-list-delta-\(base)-\(version).json"
            let delta = try #require(targets[deltaName])
            let deltaData = try await get(
                "targets/" + TUFTrustedSet.consistentName(deltaName, sha256: delta.info.sha256)
            )
            try trusted.verifyTarget(deltaName, data: deltaData)
            #expect(deltaData.count < 2048, "a one-person delta is \(deltaData.count) bytes")
            #expect(String(decoding: deltaData, as: UTF8.self).contains("p-qodirov-nozim"))
            // The list before the change is gone; its hash no longer resolves.
            let old = try await server.api.call(
                .get,
                "/v1/lists/tuf/targets/" + TUFTrustedSet.consistentName("wanted-list.json", sha256: first.info.sha256),
                token: officer
            )
            #expect(old.status == .notFound)

            // Nothing changed: the same timestamp, until half its life has passed; then a new one.
            let same = try await get("timestamp.json")
            #expect(try trusted.updateTimestamp(same, now: server.clock.now) == false)
            server.clock.advance(by: 40 * 60)
            #expect(try trusted.updateTimestamp(try await get("timestamp.json"), now: server.clock.now))
            #expect(trusted.timestamp!.snapshotVersion == trusted.snapshot!.common.version)
        }
    }

    @Test func aRevocationAloneMakesANewReleaseWithItsDelta() async throws {
        try await withDemoServer { server in
            let officer = server.tokens[.checkpointOfficer]!
            func get(_ path: String) async throws -> Data {
                try await server.api.call(.get, "/v1/lists/tuf/" + path, token: officer).body
            }
            func targets() async throws -> TUFTargets {
                var trusted = try TUFTrustedSet(root: try await get("1.root.json"))
                try trusted.updateTimestamp(try await get("timestamp.json"), now: server.clock.now)
                try trusted.updateSnapshot(
                    try await get("\(trusted.timestamp!.snapshotVersion).snapshot.json"),
                    now: server.clock.now
                )
                try trusted.updateTargets(
                    try await get("\(trusted.snapshot!.targetsVersion).targets.json"),
                    now: server.clock.now
                )
                return trusted.targets!
            }
            let before = try await targets()
            let base = try #require(before.targets["wanted-list.json"]?.custom?["list_version"]?.intValue)
            let commander = server.tokens[.commander]!
            let issued = try await server.api.call(
                .post,
                "/v1/credentials",
                token: commander,
                json: ["staff": "st-ward-qodirov-sorbon"]
            )
            let id = try #require((issued.object["credential"] as? [String: Any])?["id"] as? String)
            let revoked = try await server.api.call(
                .post,
                "/v1/credentials/\(id)/revoke",
                token: commander,
                json: ["reason": "taken from the ward"]
            )
            #expect(revoked.status == .ok)
            let after = try await targets()
            let version = try #require(after.targets["wanted-list.json"]?.custom?["list_version"]?.intValue)
            #expect(version == base + 1)
            let name = "wanted-list-delta-\(base)-\(version).json"
            let delta = try #require(after.targets[name])
            let data = try await get("targets/" + TUFTrustedSet.consistentName(name, sha256: delta.info.sha256))
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains(id) && text.contains("taken from the ward"), "\(text)")
            #expect(!text.contains("upsert_entries\":[{"))
        }
    }

    @Test func onlyScreeningRolesReadTheRepositoryAndOnlyItsFiles() async throws {
        try await withDemoServer { server in
            let officer = server.tokens[.checkpointOfficer]!
            let anonymous = try await server.api.call(.get, "/v1/lists/tuf/1.root.json")
            #expect(anonymous.status == .unauthorized)
            let auditor = try await server.api.call(.get, "/v1/lists/tuf/1.root.json", token: server.tokens[.auditor]!)
            #expect(auditor.status == .forbidden)
            for name in ["2.root.json", "root.json", "1.keys.json", "x.targets.json", "timestamp.json.bak"] {
                let response = try await server.api.call(.get, "/v1/lists/tuf/" + name, token: officer)
                #expect(response.status == .notFound, "\(name)")
            }
            let bare = try await server.api.call(.get, "/v1/lists/tuf/targets/wanted-list.json", token: officer)
            #expect(bare.status == .notFound)
        }
    }

    @Test func releasesSurviveARestartAndNeverGoBack() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteStore(path: database.path)
        try await store.migrate()
        let scenario = try DemoScenario.load()
        _ = try await DemoLoader.load(scenario, into: store, hasher: PasswordHasher(cost: 4), now: Date())
        let keys = try KeyRing(folder: database.folder.appendingPathComponent("keys").path)
        let now = Date()
        func publisher(_ ring: KeyRing) async throws -> ListPublisher<SQLiteStore> {
            let publisher = ListPublisher(
                store: store,
                keys: ring,
                now: { now },
                logger: Logger(label: "test"),
                credentials: { .init(version: 0, revocations: [], keys: []) }
            )
            try await publisher.restore()
            return publisher
        }
        let first = try await publisher(keys)
        let root = try #require(try await first.root(version: 1))
        var trusted = try TUFTrustedSet(root: root)
        try trusted.updateTimestamp(try #require(try await first.file("timestamp.json")), now: now)
        let before = trusted.timestamp!.common.version

        // A restart with nothing changed serves the very same release.
        let second = try await publisher(keys)
        let again = try #require(try await second.file("timestamp.json"))
        #expect(try trusted.updateTimestamp(again, now: now) == false)

        // A change after the restart is a newer release, never a repeat of an old version.
        let person = try JSONDecoder.cordon(context: .structural).decode(
            Person.self,
            from: JSONSerialization.data(withJSONObject: Self.newcomer("p-qodirov-nozim"))
        )
        _ = try await store.save(person, operation: .create, audit: .init(actor: "test", action: "person.create"))
        #expect(try trusted.updateTimestamp(try #require(try await second.file("timestamp.json")), now: now))
        #expect(trusted.timestamp!.common.version == before + 1)

        // New keys (a lost key folder) make a new root that the old one does not vouch for.
        let rotated = try await publisher(KeyRing())
        let newRoot = try #require(try await rotated.root(version: 2))
        #expect(throws: TUFError.self) { try trusted.updateRoot(newRoot) }
        let audit = try await store.auditRecords(after: 0, limit: 10_000).filter { $0.action.hasPrefix("list.") }
        #expect(audit.filter { $0.action == "list.publish" }.count >= 2)
    }

    @Test func theRootIsSignedAgainBeforeItExpiresAndClientsFollow() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteStore(path: database.path)
        try await store.migrate()
        let clock = TestClock(rate: 0)
        var options = ListPublisher<SQLiteStore>.Options()
        options.rootLifetime = 1000
        let publisher = ListPublisher(
            store: store,
            keys: KeyRing(),
            now: { clock.now },
            options: options,
            logger: Logger(label: "test"),
            credentials: { .init(version: 0, revocations: [], keys: []) }
        )
        try await publisher.restore()
        var trusted = try TUFTrustedSet(root: try #require(try await publisher.root(version: 1)))
        #expect(try await publisher.root(version: 2) == nil)
        clock.advance(by: 600)
        _ = try await publisher.file("timestamp.json")
        try trusted.updateRoot(try #require(try await publisher.root(version: 2)))
        #expect(throws: Never.self) { try trusted.checkRoot(now: clock.now + 900) }
    }

    @Test func reportsAreCheckedFieldByField() async throws {
        try await withDemoServer { server in
            let officer = server.tokens[.checkpointOfficer]!
            let uri = "/v1/checkpoints/cp-air-dushanbe/reports"
            let good: [String: Any] = [
                "id": "0b7e5c8e-1f7a-4c1e-9a43-5f2d7a9c1b11", "kind": "sighting",
                "observed_at": "2010-08-23T05:40:00+05:00", "person": "p-mirzoyev-abdurasul", "note": "white Niva",
            ]
            var bad = good
            bad["person"] = "p-nobody"
            var response = try await server.api.call(.post, uri, token: officer, json: ["reports": [good, bad]])
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("/reports/1/person"), "\(response.text)")
            // Nothing was written: the good report is still new.
            response = try await server.api.call(.post, uri, token: officer, json: ["reports": [good]])
            #expect(response.status == .ok)
            #expect(response.object["accepted"] as? [String] == [good["id"] as! String])

            var wrong = good
            wrong["kind"] = "rumour"
            wrong["score"] = 7
            wrong.removeValue(forKey: "person")
            response = try await server.api.call(.post, uri, token: officer, json: ["reports": [wrong]])
            #expect(response.status == .unprocessableContent)
            for pointer in ["/reports/0/kind", "/reports/0/score", "/reports/0/person"] {
                #expect(response.text.contains(pointer), "\(pointer) in \(response.text)")
            }
            response = try await server.api.call(.post, uri, token: officer, json: ["reports": [good, good]])
            #expect(response.status == .unprocessableContent)
            response = try await server.api.call(.post, uri, token: officer, json: ["reports": []])
            #expect(response.status == .unprocessableContent)
            response = try await server.api.call(
                .post,
                "/v1/checkpoints/cp-nowhere/reports",
                token: officer,
                json: ["reports": [good]]
            )
            #expect(response.status == .notFound)
            response = try await server.api.call(.post, uri, token: server.tokens[.analyst]!, json: ["reports": [good]])
            #expect(response.status == .forbidden)
        }
    }
}

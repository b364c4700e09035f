import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The checkpoint kit end to end, with real processes: a checkpoint syncs from `cordon serve`, the
/// server goes away, the checkpoint still screens (and finds a fugitive declared before its last sync),
/// queues the hit, and the hit reaches headquarters once when the server is back.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CheckpointOfflineTests {
    static func raw(_ server: ServerProcess, _ path: String, token: String) async throws -> Data {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw TestError("\(path) was not served") }
        return data
    }

    @Test func screensOfflineAndDeliversTheQueuedHitOnce() async throws {
        let folder = try TemporaryFolder()
        let database = folder.path("hq.sqlite")
        var server = try ServerProcess(database: database, extra: ["--demo"])
        defer { server.kill(SIGTERM) }
        let commander = try await CheckpointListenTests.token(server, "demo-commander")
        let officer = try await CheckpointListenTests.token(server, "demo-checkpoint-officer")
        let root = try folder.file(
            "root.json",
            contents: try await Self.raw(server, "/v1/lists/tuf/1.root.json", token: officer)
        )
        let store = folder.path("checkpoint")
        func sync(_ extra: [String] = []) throws -> CordonProcess.Result {
            try CordonProcess.runBlocking(
                [
                    "checkpoint", "sync", "--server", "http://127.0.0.1:\(server.port)", "--token", officer, "--store",
                    store,
                ]
                    + extra
            )
        }

        let first = try sync(["--root", root, "--checkpoint", "cp-air-dushanbe"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("whole list"), "\(first.standardOutput)")

        // Headquarters declares one more fugitive; the next sync takes only the change.
        let newcomer: [String: Any] = [
            "id": "p-qodirov-nozim",
            "name": ["parts": [["kind": "family", "value": "Қодиров"], ["kind": "given", "value": "Нозим"]]],
            "sex": "male",
            "nationalities": ["TJ"],
            "wanted": [
                "reason": "escaped from custody",
                "history": [["status": "at_large", "at": "2010-08-23T01:10:00+05:00"]],
            ],
        ]
        let (created, _) = try await server.call("POST", "/v1/persons", token: commander, json: newcomer)
        #expect(created == 201)
        // Two guards' passes; the one taken from the attacked ward is revoked at once.
        func issue(_ staff: String) async throws -> (id: String, token: String) {
            let (status, body) = try await server.call(
                "POST",
                "/v1/credentials",
                token: commander,
                json: ["staff": staff]
            )
            let answer = body as? [String: Any]
            guard status == 201, let token = answer?["token"] as? String,
                let id = (answer?["credential"] as? [String: Any])?["id"] as? String
            else { throw TestError("issuing answered \(status): \(String(describing: body))") }
            return (id, token)
        }
        let taken = try await issue("st-ward-qodirov-sorbon")
        let kept = try await issue("st-moj-olimov-daler")
        let (revoked, _) = try await server.call(
            "POST",
            "/v1/credentials/\(taken.id)/revoke",
            token: commander,
            json: ["reason": "taken from the ward with his uniform"]
        )
        #expect(revoked == 200)
        let second = try sync()
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.standardOutput.contains("1 delta"), "\(second.standardOutput)")

        // The server goes away. The checkpoint still screens, and says how old its list is.
        server.kill(SIGTERM)
        let screened = try await CordonProcess.run(["checkpoint", "screen", "--store", store, "QODIROV NOZIM"])
        #expect(screened.status == 0, "\(screened.standardError)")
        #expect(
            screened.standardOutput.range(of: #"^list \d+ of \d\d:\d\d, \d+ s old"#, options: .regularExpression) != nil
        )
        #expect(screened.standardOutput.contains("[p-qodirov-nozim]") && screened.standardOutput.contains("ALERT"))
        #expect(screened.standardOutput.contains("1 alert queued"), "\(screened.standardOutput)")

        // Many names with one load of the copy, one JSON line each.
        let batch = try await CordonProcess.run(
            ["checkpoint", "screen", "--store", store, "--no-report", "--batch", "-"],
            input: Data("{\"id\": \"a\", \"name\": \"Kodirov Nozim\"}\n{\"id\": \"b\", \"name\": \"Tom Jones\"}\n".utf8)
        )
        #expect(batch.status == 0, "\(batch.standardError)")
        let lines = batch.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.map { $0["query_id"] as? String } == ["a", "b"])
        let top = (lines.first?["results"] as? [[String: Any]])?.first
        #expect(top?["id"] as? String == "p-qodirov-nozim")
        #expect(top?["alert"] as? Bool == true)
        let others = lines.last?["results"] as? [[String: Any]] ?? []
        #expect(!others.contains { $0["alert"] as? Bool == true })

        // His passport, read by the scanner (made with the PyPI mrz package's generator).
        let passport = try await CordonProcess.run([
            "checkpoint", "screen", "--store", store, "--no-report", "--mrz",
            "P<TJKQODIROV<<NOZIM<<<<<<<<<<<<<<<<<<<<<<<<<", "A1234567<6TJK8501019M3001019<<<<<<<<<<<<<<00",
        ])
        #expect(passport.status == 0, "\(passport.standardError)")
        #expect(passport.standardOutput.contains("[p-qodirov-nozim]") && passport.standardOutput.contains("ALERT"))
        let misread = try await CordonProcess.run([
            "checkpoint", "screen", "--store", store, "--no-report", "--mrz",
            "P<TJKQODIROV<<NOZIM<<<<<<<<<<<<<<<<<<<<<<<<<", "A1234567<3TJK8501019M3001019<<<<<<<<<<<<<<00",
        ])
        #expect(misread.status == 1)
        #expect(misread.standardOutput.contains("document_number FAILED"), "\(misread.standardOutput)")

        // Officers' passes, against the keys and revocations the signed list carried.
        let forged = try await CordonProcess.run(["credential", "verify", taken.token, "--store", store])
        #expect(forged.status == 1, "\(forged.standardOutput)\(forged.standardError)")
        #expect(forged.standardOutput.contains("revoked") && forged.standardOutput.contains("taken from the ward"))
        let genuine = try await CordonProcess.run(["credential", "verify", kept.token, "--store", store])
        #expect(genuine.status == 0, "\(genuine.standardOutput)\(genuine.standardError)")
        #expect(genuine.standardOutput.contains("VALID"))

        // A plate too: the white VAZ, in Latin letters, '1' misread as 'I', no region: an alert, queued.
        let plate = try await CordonProcess.run(["checkpoint", "screen", "--store", store, "--plate", "45I9 AA"])
        #expect(plate.status == 0, "\(plate.standardError)")
        #expect(plate.standardOutput.contains("[veh-vaz2107-white]") && plate.standardOutput.contains("ALERT"))
        #expect(plate.standardOutput.contains("1 alert queued"), "\(plate.standardOutput)")

        let unreachable = try sync()
        #expect(unreachable.status == 3)
        #expect(unreachable.standardError.contains("unchanged"), "\(unreachable.standardError)")
        let status = try await CordonProcess.run(["checkpoint", "status", "--store", store])
        #expect(status.standardOutput.contains("reports: 2 queued, 0 uploaded"), "\(status.standardOutput)")

        // Back: the hit arrives, once, however often the checkpoint syncs.
        server = try ServerProcess(database: database)
        let back = try sync()
        #expect(back.status == 0, "\(back.standardError)")
        #expect(back.standardOutput.contains("reports: 2 uploaded"), "\(back.standardOutput)")
        let again = try sync()
        #expect(again.status == 0 && !again.standardOutput.contains("reports:"), "\(again.standardOutput)")
        let (read, body) = try await server.call("GET", "/v1/sightings?person=p-qodirov-nozim", token: commander)
        #expect(read == 200)
        let sightings = (body as? [String: Any])?["items"] as? [[String: Any]] ?? []
        #expect(sightings.count == 1, "\(String(describing: body))")
        let sighting = try #require(sightings.first)
        #expect(sighting["checkpoint"] as? String == "cp-air-dushanbe" && sighting["source"] as? String == "checkpoint")

        // Sent again by hand (an answer lost on the way): still one.
        let reportID = String((sighting["id"] as? String ?? "").dropFirst(2))
        let (resent, answer) = try await server.call(
            "POST",
            "/v1/checkpoints/cp-air-dushanbe/reports",
            token: officer,
            json: [
                "reports": [
                    [
                        "id": reportID, "kind": "hit", "observed_at": "2010-08-23T04:00:00+05:00",
                        "person": "p-qodirov-nozim",
                    ]
                ]
            ]
        )
        #expect(resent == 200)
        #expect((answer as? [String: Any])?["duplicates"] as? [String] == [reportID])
        let (_, after) = try await server.call("GET", "/v1/sightings?person=p-qodirov-nozim", token: commander)
        #expect(((after as? [String: Any])?["items"] as? [Any])?.count == 1)
    }

    @Test func refusesToStartWithoutARootAndScreensNothingBeforeASync() throws {
        let folder = try TemporaryFolder()
        let noRoot = try CordonProcess.runBlocking(
            ["checkpoint", "sync", "--server", "http://127.0.0.1:9", "--token", "x", "--store", folder.path("cp")]
        )
        #expect(noRoot.status == 1)
        #expect(noRoot.standardError.contains("no trusted root yet"), "\(noRoot.standardError)")
        let screen = try CordonProcess.runBlocking(["checkpoint", "screen", "--store", folder.path("cp"), "Ziyoev"])
        #expect(screen.status == 2)
        #expect(screen.standardError.contains("no list yet"), "\(screen.standardError)")
    }
}

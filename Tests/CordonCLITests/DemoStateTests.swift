import CordonCore
import CordonDemo
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `cordon serve --demo` at its default moment, as a user starts it: what custody, the alert's
/// deliveries, the incidents and the pages show agree with each other and with the story.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DemoStateTests {
    @Test func theDemosCustodyDeliveriesIncidentsAndTimelineAgree() async throws {
        let folder = try TemporaryFolder()
        let accounts = folder.path("accounts.json")
        let server = try ServerProcess(
            database: folder.path("demo.sqlite"),
            extra: ["--demo", "--demo-accounts", accounts]
        )
        defer { server.kill(SIGTERM) }
        // The accounts are printed once the night has been played up to the moment.
        let deadline = Date().addingTimeInterval(120)
        while !server.standardOutput.contains("Demo accounts"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(server.standardOutput.contains("The night as it stood at 2010-08-22 23:00 +05:00"))
        let listed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: accounts)))
        let passwords = Dictionary(
            uniqueKeysWithValues: ((listed as? [String: Any])?["accounts"] as? [[String: String]] ?? []).map {
                ($0["username"] ?? "", $0["password"] ?? "")
            }
        )
        let (_, signedIn) = try await server.call(
            "POST",
            "/v1/auth/token",
            json: ["username": "demo-commander", "password": passwords["demo-commander"] ?? ""]
        )
        let token = try #require((signedIn as? [String: Any])?["token"] as? String)

        // What the story says should have happened by then.
        let story = try DemoStory(scenario: DemoScenario.load())
        var received: Set<String> = []
        var acknowledged: Set<String> = []
        for step in story.steps(until: story.defaultMoment) {
            guard case .deliver(let checkpoint, let read) = step.action else { continue }
            if read { acknowledged.insert(checkpoint.rawValue) } else { received.insert(checkpoint.rawValue) }
        }

        // One alert, to every checkpoint: each in the state the story left it, the silent escalated.
        let (_, alertList) = try await server.call("GET", "/v1/alerts", token: token)
        let alerts = try #require((alertList as? [String: Any])?["items"] as? [[String: Any]])
        #expect(alerts.count == 1)
        let alert = try #require((alerts.first?["alert"] as? [String: Any])?["id"] as? String)
        let (_, deliveryList) = try await server.call("GET", "/v1/alerts/\(alert)/deliveries", token: token)
        let deliveries = try #require((deliveryList as? [String: Any])?["items"] as? [[String: Any]])
        #expect(deliveries.count == story.scenario.checkpoints.count)
        var states: [String: String] = [:]
        for delivery in deliveries {
            let recipient = (delivery["recipient"] as? String ?? "").replacingOccurrences(of: "checkpoints/", with: "")
            states[recipient] = delivery["state"] as? String
            let silentOrUnread = !acknowledged.contains(recipient)
            #expect((delivery["escalated_at"] != nil) == silentOrUnread, "\(recipient)")
            if acknowledged.contains(recipient) {
                #expect((delivery["acknowledged_officer"] as? String)?.hasPrefix("Officer on duty") == true)
            }
        }
        #expect(states.filter { $0.value == "acknowledged" }.keys.sorted() == acknowledged.sorted())
        #expect(Set(states.filter { $0.value == "delivered" }.keys) == received.subtracting(acknowledged))
        #expect(states.values.filter { $0 == "queued" }.count == story.scenario.checkpoints.count - received.count)

        // Cordon's own incidents: the first missed check-in confirmed as the escape, the ward's other
        // posts' misses, the blocks left unmanned, the armory count's discrepancy.
        let (_, incidentList) = try await server.call("GET", "/v1/incidents?limit=100", token: token)
        let incidents = try #require((incidentList as? [String: Any])?["items"] as? [[String: Any]])
        let kinds = incidents.compactMap { $0["kind"] as? String }
        #expect(kinds.filter { $0 == "escape" }.count == 1)
        let misses = story.steps(until: story.defaultMoment).filter {
            if case .missedCheckIn = $0.action { return true } else { return false }
        }.count
        #expect(misses >= 4)
        #expect(kinds.filter { $0 == "missed_check_in" }.count == misses - 1)
        let discrepancy = try #require(incidents.first { $0["kind"] as? String == "armory_discrepancy" })
        #expect((discrepancy["summary"] as? String)?.contains("14 item(s) not accounted for") == true)

        // The wanted list: the 25 escaped, at large.
        let (_, personList) = try await server.call("GET", "/v1/persons?limit=200", token: token)
        let persons = try #require((personList as? [String: Any])?["items"] as? [[String: Any]])
        #expect(persons.filter { ($0["wanted"] as? [String: Any]) != nil }.count == 25)

        // A roll call of every ward block expects the inmates still held: the records less those at large.
        let ward = try #require(story.scenario.facilities.first { $0.id == DemoStory.ward })
        let escaped = Set(story.scenario.wantedPersons.map(\.id))
        var held = 0
        for block in ward.blocks {
            let cells = Set(block.cells.map(\.id))
            let expected = story.scenario.custody.filter { cells.contains($0.cell) && !escaped.contains($0.person) }
                .count
            held += expected
            let (status, answer) = try await server.call(
                "POST",
                "/v1/facilities/\(ward.id.rawValue)/roll-calls",
                token: token,
                json: ["block": block.id.rawValue, "counted": expected]
            )
            #expect(status == 201, "\(answer ?? "")")
            #expect((answer as? [String: Any])?["consistent"] as? Bool == true, "\(block.id)")
        }
        #expect(held == story.scenario.custody.filter { $0.facility == ward.id }.count - 25)

        // The pages: custody shows the posts that missed silent and 14 items missing; the timeline holds
        // the night's events up to the moment and none after it.
        let session = try await signIn(port: server.port, password: passwords["demo-commander"] ?? "")
        let custody = try await page("/ui/custody", port: server.port, session: session)
        #expect(custody.components(separatedBy: "class=\"armory-missing\"").count - 1 == 14)
        #expect(custody.components(separatedBy: "data-state=\"silent\"").count - 1 == misses)
        let operations = try await page("/ui/", port: server.port, session: session)
        for event in story.scenario.events {
            let shown = operations.contains(event.summary.prefix(40))
            #expect(shown == (event.at <= story.defaultMoment), "\(event.id)")
        }
    }

    @Test func aLiveDemoPlaysTheNightOnItsOwnClock() async throws {
        let folder = try TemporaryFolder()
        let accounts = folder.path("accounts.json")
        // 600 seconds of the night a second: the watch's miss (45 minutes in) comes within seconds.
        let server = try ServerProcess(
            database: folder.path("demo.sqlite"),
            extra: ["--demo", "--demo-live", "--demo-rate", "600", "--demo-accounts", accounts]
        )
        defer { server.kill(SIGTERM) }
        var deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: accounts), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(server.standardOutput.contains("The night plays live from now, 600 times faster"))
        let listed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: accounts)))
        let password = ((listed as? [String: Any])?["accounts"] as? [[String: String]] ?? [])
            .first { $0["username"] == "demo-commander" }?["password"]
        let (_, signedIn) = try await server.call(
            "POST",
            "/v1/auth/token",
            json: ["username": "demo-commander", "password": password ?? ""]
        )
        let token = try #require((signedIn as? [String: Any])?["token"] as? String)
        // The watch raises the miss by itself; the commander declares the escape two minutes of the night
        // later and the alert goes out.
        var escape: [String: Any]?
        var alert: [String: Any]?
        deadline = Date().addingTimeInterval(90)
        // Both are asked for on every turn: the escape can be declared between the two questions, so the
        // alert may be seen on the turn the incident was not.
        while alert == nil || escape == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            let (_, incidents) = try await server.call("GET", "/v1/incidents?limit=100", token: token)
            escape = ((incidents as? [String: Any])?["items"] as? [[String: Any]])?.first {
                $0["kind"] as? String == "escape"
            }
            let (_, alerts) = try await server.call("GET", "/v1/alerts", token: token)
            alert = ((alerts as? [String: Any])?["items"] as? [[String: Any]])?.first?["alert"] as? [String: Any]
        }
        let raisedText = try #require(escape?["raised_at"] as? String)
        let sentText = try #require(alert?["sent_at"] as? String)
        let raised = try #require(Instant.parse(raisedText))
        let sent = try #require(Instant.parse(sentText))
        let gap = sent.timeIntervalSince(raised)
        // Two minutes of the night, give or take the few real seconds each step takes (the clock runs at
        // real time then): the check-in that set the deadline came a second or two late as well.
        #expect(
            gap >= 110 && gap < 150,
            "the alert went out \(gap) s of the night after the miss (\(raisedText), \(sentText))"
        )
    }

    /// Signs in by the dashboard's form and returns the session cookie.
    private func signIn(port: Int, password: String) async throws -> String {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/ui/login")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        request.httpBody = Data("username=demo-commander&password=\(encoded)".utf8)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        let session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let (_, response) = try await session.data(for: request)
        let cookie = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie") ?? ""
        guard let range = cookie.range(of: "cordon_session=") else { throw TestError("no session cookie: \(response)") }
        return String(cookie[range.upperBound...].prefix { $0 != ";" })
    }

    private func page(_ path: String, port: Int, session: String) async throws -> String {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.setValue("cordon_session=\(session)", forHTTPHeaderField: "Cookie")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(path)")
        return String(decoding: data, as: UTF8.self)
    }
}

/// Keeps a sign-in's 303 and its cookie instead of following it.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

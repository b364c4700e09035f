import CordonCore
import CordonEvents
import CordonStore
import CordonStoreSQLite
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import CordonDashboard
@testable import CordonServer

/// The dashboard over HTTP: sign-in by form and cookie, the anti-forgery rule, pages by role, and
/// the live feed.
@Suite(.timeLimit(.minutes(5)))
struct DashboardTests {
    /// A request the exchange recorder does not keep: dashboard routes are not part of the API document.
    static func page(
        _ server: DemoServer,
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> APIResponse {
        let response = try await server.api.client.executeRequest(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
        return APIResponse(
            status: response.status,
            headers: response.headers,
            body: Data(response.body.readableBytesView)
        )
    }

    static func form(_ fields: [String: String]) -> String {
        fields.map { name, value in
            let allowed = CharacterSet.alphanumerics
            return "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }

    static func field(_ value: JSONValue, _ key: String) -> JSONValue? {
        if case .object(let object) = value { return object[key] }
        return nil
    }

    static func joined(_ left: HTTPFields, _ right: HTTPFields) -> HTTPFields {
        var fields = left
        fields.append(contentsOf: right)
        return fields
    }

    static var formHeaders: HTTPFields { [.contentType: "application/x-www-form-urlencoded"] }

    /// Signs in through the form; returns the session token from the cookie.
    static func signIn(_ server: DemoServer, _ role: Role, zone: String? = nil) async throws -> String {
        var fields = [
            "username": "demo-" + role.rawValue.replacingOccurrences(of: "_", with: "-"),
            "password": server.passwords[role]!,
        ]
        if let zone { fields["zone"] = zone }
        let response = try await page(server, .post, "/ui/login", headers: formHeaders, body: form(fields))
        guard response.status == .seeOther else {
            throw TestFailure("sign-in gave \(response.status): \(response.text)")
        }
        for cookie in response.headers[values: .setCookie] where cookie.hasPrefix("cordon_session=") {
            return String(cookie.dropFirst("cordon_session=".count).prefix { $0 != ";" })
        }
        throw TestFailure("no session cookie")
    }

    static func cookie(_ token: String, zone: String? = nil) -> HTTPFields {
        [.cookie: "cordon_session=\(token)" + (zone.map { "; cordon_zone=\($0)" } ?? "")]
    }

    @Test func signingInByFormSetsAnHTTPOnlyCookieAndLandsOnTheRolesFirstPage() async throws {
        try await withDemoServer { server in
            let response = try await Self.page(
                server,
                .post,
                "/ui/login",
                headers: Self.formHeaders,
                body: Self.form([
                    "username": "demo-checkpoint-officer", "password": server.passwords[.checkpointOfficer]!,
                ])
            )
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/ui/screen")
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("cordon_session=") } ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
            let token = try await Self.signIn(server, .commander, zone: "Asia/Kabul")
            let operations = try await Self.page(
                server,
                .get,
                "/ui/",
                headers: Self.cookie(token, zone: "Asia%2FKabul")
            )
            #expect(operations.status == .ok)
            #expect(operations.headers[.contentType] == "text/html; charset=utf-8")
            #expect(
                operations.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true
            )
            #expect(operations.text.contains(DashboardSession.csrfToken(for: token)))
            #expect(operations.text.contains("Asia/Kabul (UTC+04:30)"))
            // The escape was raised at 2010-08-23 01:10 in Dushanbe: 00:40 in Kabul.
            #expect(operations.text.contains("2010-08-23T00:40:00+04:30"))
        }
    }

    @Test func aBadSignInSaysWhichFieldAndKeepsTheUsername() async throws {
        try await withDemoServer { server in
            let json: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]
            let empty = try await Self.page(
                server,
                .post,
                "/ui/login",
                headers: json,
                body: Self.form(["username": "demo-analyst"])
            )
            #expect(empty.status == .unprocessableContent)
            let emptyErrors = empty.object["errors"] as? [[String: Any]] ?? []
            #expect(emptyErrors.map { $0["pointer"] as? String } == ["/password"])
            let wrong = try await Self.page(
                server,
                .post,
                "/ui/login",
                headers: json,
                body: Self.form(["username": "demo-analyst", "password": "not-it"])
            )
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[values: .setCookie].isEmpty)
            let wrongErrors = wrong.object["errors"] as? [[String: Any]] ?? []
            #expect(wrongErrors.first?["pointer"] as? String == "/password")
            // Without scripts, the page comes back with the message beside the field and the username kept.
            let html = try await Self.page(
                server,
                .post,
                "/ui/login",
                headers: Self.formHeaders,
                body: Self.form(["username": "demo-analyst", "password": "not-it"])
            )
            #expect(html.status == .unauthorized)
            #expect(html.text.contains(#"value="demo-analyst""#))
            #expect(html.text.contains(#"<p class="error" id="password-error">Wrong username or password.</p>"#))
            // A sign-in never sends the browser to another site.
            let token = try await Self.page(
                server,
                .post,
                "/ui/login",
                headers: Self.formHeaders,
                body: Self.form([
                    "username": "demo-analyst", "password": server.passwords[.analyst]!, "next": "//evil.example/",
                ])
            )
            #expect(token.headers[.location] == "/ui/")
            // Back to the page asked for, when the role may open it; else to the role's first page.
            for (role, expected) in [(Role.analyst, "/ui/fugitives"), (.checkpointOfficer, "/ui/screen")] {
                let back = try await Self.page(
                    server,
                    .post,
                    "/ui/login",
                    headers: Self.formHeaders,
                    body: Self.form([
                        "username": "demo-" + role.rawValue.replacingOccurrences(of: "_", with: "-"),
                        "password": server.passwords[role]!, "next": "/ui/fugitives",
                    ])
                )
                #expect(back.headers[.location] == expected, "\(role)")
            }
        }
    }

    @Test func aCookieAloneCannotChangeAnything() async throws {
        try await withDemoServer { server in
            let token = try await Self.signIn(server, .analyst)
            let sighting =
                #"{"id":"s-dash-1","observed_at":"2026-11-25T14:00:00+05:00","location":{"lat":38.56,"lon":68.78},"person":"p-gofurov-sherzod","source":"patrol","confidence":"low"}"#
            var headers = Self.cookie(token)
            headers[.contentType] = "application/json"
            let forged = try await Self.page(server, .post, "/v1/sightings", headers: headers, body: sighting)
            #expect(forged.status == .unauthorized)
            var wrongHeader = headers
            wrongHeader[DashboardSession.csrfHeader] = DashboardSession.csrfToken(for: "cdn_another-session-token")
            let guessed = try await Self.page(server, .post, "/v1/sightings", headers: wrongHeader, body: sighting)
            #expect(guessed.status == .unauthorized)
            let none = try await server.store.entity(Sighting.self, id: "s-dash-1")
            #expect(none == nil)
            headers[DashboardSession.csrfHeader] = DashboardSession.csrfToken(for: token)
            let made = try await Self.page(server, .post, "/v1/sightings", headers: headers, body: sighting)
            #expect(made.status == .created)
            let me = try await Self.page(server, .get, "/v1/auth/me", headers: Self.cookie(token))
            #expect(me.object["username"] as? String == "demo-analyst")
            // Signing out revokes the token, so the cookie no longer opens anything.
            let out = try await Self.page(
                server,
                .post,
                "/ui/logout",
                headers: Self.joined(Self.cookie(token), Self.formHeaders),
                body: Self.form(["csrf": DashboardSession.csrfToken(for: token)])
            )
            #expect(out.status == .seeOther)
            let after = try await Self.page(server, .get, "/v1/auth/me", headers: Self.cookie(token))
            #expect(after.status == .unauthorized)
        }
    }

    @Test func eachRoleOpensOnlyItsPages() async throws {
        try await withDemoServer { server in
            let anonymous = try await Self.page(server, .get, "/ui/fugitives")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/ui/login?next=/ui/fugitives")
            for role in Role.allCases {
                let token = try await Self.signIn(server, role)
                for page in DashboardPage.allCases {
                    let response = try await Self.page(server, .get, page.path, headers: Self.cookie(token))
                    let expected: HTTPResponse.Status = page.roles.contains(role) ? .ok : .forbidden
                    #expect(response.status == expected, "\(role) on \(page.path)")
                }
            }
            // No case notes for those who may not read them: the board is closed to checkpoint officers.
            #expect(!DashboardPage.fugitives.roles.contains(.checkpointOfficer))
            #expect(DashboardPage.pages(for: .checkpointOfficer) == [.screen, .report])
        }
    }

    @Test func theLiveFeedCarriesEachEventToThoseWhoMayReadIt() async throws {
        try await withDemoServer { server in
            let analyst = try EventStreamClient(
                port: server.api.port,
                path: "/ui/events",
                headers: [
                    "Cookie": "cordon_session=\(try await Self.signIn(server, .analyst)); cordon_zone=Asia%2FKabul"
                ]
            )
            let checkpoint = try EventStreamClient(
                port: server.api.port,
                path: "/ui/events",
                headers: ["Cookie": "cordon_session=\(try await Self.signIn(server, .checkpointOfficer))"]
            )
            defer {
                analyst.stop()
                checkpoint.stop()
            }
            try await analyst.wait(for: "retry: 3000")
            try await checkpoint.wait(for: "retry: 3000")
            #expect(analyst.text.contains("Content-Type: text/event-stream"))
            let made = try await server.api.call(
                .post,
                "/v1/sightings",
                token: server.tokens[.checkpointOfficer],
                json: [
                    "id": "s-feed-1", "observed_at": "2026-11-25T14:00:00+05:00",
                    "location": ["lat": 38.5433, "lon": 68.8261], "person": "p-gofurov-sherzod",
                    "source": "checkpoint", "checkpoint": "cp-air-dushanbe", "confidence": "high",
                    "note": "boarding pass in another name",
                ]
            )
            #expect(made.status == .created)
            try await analyst.wait(for: "event: sighting")
            try await analyst.wait(for: "boarding pass in another name")
            // Written in the reader's zone, with a point for the map.
            try await analyst.wait(for: "2026-11-25T13:30:00+04:30")
            try await analyst.wait(for: #""id":"sighting-s-feed-1""#)
            // An alert reaches both; the sighting, published before it, never reached the checkpoint.
            let alert = try await server.api.call(
                .post,
                "/v1/incidents/inc-escape-2010-08-22/alerts",
                token: server.tokens[.commander],
                json: ["kind": "be_on_lookout", "headline": "Feed check"]
            )
            #expect(alert.status == .created)
            try await checkpoint.wait(for: "event: alert_sent")
            try await analyst.wait(for: "event: alert_sent")
            #expect(!checkpoint.text.contains("event: sighting"))
            #expect(!checkpoint.text.contains("boarding pass"))
            // Deliveries are headquarters' business: neither reader saw the delivery rows.
            #expect(!analyst.text.contains(#""delivery""#))
            let anonymous = try await Self.page(server, .get, "/ui/events")
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func anOpenStreamEndsWhenItsSessionIsRevoked() async throws {
        let quick: (inout ServerConfiguration) -> Void = { $0.feedCheckInterval = .milliseconds(100) }
        try await withDemoServer(configure: quick) { server in
            let token = try await Self.signIn(server, .commander)
            let stream = try EventStreamClient(
                port: server.api.port,
                path: "/ui/events",
                headers: ["Cookie": "cordon_session=\(token)"]
            )
            defer { stream.stop() }
            try await stream.wait(for: ": keep-alive")
            #expect(!stream.text.contains("\r\n0\r\n\r\n"))
            let out = try await Self.page(
                server,
                .post,
                "/ui/logout",
                headers: Self.joined(Self.cookie(token), Self.formHeaders),
                body: Self.form(["csrf": DashboardSession.csrfToken(for: token)])
            )
            #expect(out.status == .seeOther)
            // The response ends (its last, empty chunk): the browser then tries again, and is refused.
            try await stream.wait(for: "\r\n0\r\n\r\n", timeout: .seconds(5))
            // And it cannot be opened again with that cookie.
            let again = try await Self.page(server, .get, "/ui/events", headers: Self.cookie(token))
            #expect(again.status == .unauthorized)
        }
    }

    @Test func aResendReachesConnectedRecipientsAndTellsWhoIsWaiting() async throws {
        try await withDemoServer { server in
            let socket = SocketClient(
                port: server.api.port,
                path: "/v1/checkpoints/cp-air-dushanbe/stream",
                token: server.tokens[.checkpointOfficer]!
            )
            socket.send(.hello(lastSequence: 0))
            _ = try await socket.next(type: "welcome")
            let sent = try await server.api.call(
                .post,
                "/v1/incidents/inc-escape-2010-08-22/alerts",
                token: server.tokens[.commander],
                json: ["kind": "be_on_lookout"]
            )
            let alert = ((sent.object["alert"] as? [String: Any])?["id"] as? String) ?? ""
            let first = try await socket.next(type: "alert")
            #expect(Self.field(first, "resend") == .bool(false))
            let resend = try await server.api.call(
                .post,
                "/v1/alerts/\(alert)/resend",
                token: server.tokens[.commander],
                json: [:]
            )
            #expect(resend.status == .ok)
            let items = resend.object["items"] as? [[String: Any]] ?? []
            let outcomes = Dictionary(
                uniqueKeysWithValues: items.map { ($0["recipient"] as? String ?? "", $0["outcome"] as? String ?? "") }
            )
            #expect(outcomes["checkpoints/cp-air-dushanbe"] == "sent")
            #expect(outcomes.count > 1)
            #expect(outcomes.filter { $0.key != "checkpoints/cp-air-dushanbe" }.values.allSatisfy { $0 == "waiting" })
            let again = try await socket.next(type: "alert")
            #expect(Self.field(again, "resend") == .bool(true))
            let unknown = try await server.api.call(
                .post,
                "/v1/alerts/\(alert)/resend",
                token: server.tokens[.commander],
                json: ["recipients": ["checkpoints/nowhere"]]
            )
            #expect(unknown.status == .unprocessableContent)
            let errors = unknown.object["errors"] as? [[String: Any]] ?? []
            #expect(errors.first?["pointer"] as? String == "/recipients")
            let audit = try await server.store.auditRecords(after: 0, limit: 10_000)
            #expect(audit.contains { $0.action == "alerts.resend" && $0.target == "alerts/\(alert)" })
            await socket.close()
        }
    }
}

/// The map's projection, without a server.
struct DashboardMapTests {
    static let square = #"""
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
        "coordinates":[[[68,37],[72,37],[72,40],[68,40],[68,37]]]}},{"type":"Feature","properties":{},
        "geometry":{"type":"MultiPolygon","coordinates":[[[[70,38],[70.5,38],[70.5,38.5],[70,37.5]]]]}}]}
        """#

    @Test func projectsInsideTheDrawingNorthUpWestLeft() throws {
        let map = try DashboardMap(geoJSON: Data(Self.square.utf8), width: 800, margin: 0.25)
        #expect(map.width == 800)
        #expect(map.outline.hasPrefix("M"))
        #expect(map.outline.filter { $0 == "Z" }.count == 2)
        let southWest = map.project(try Coordinates(latitude: 37, longitude: 68))
        let northEast = map.project(try Coordinates(latitude: 40, longitude: 72))
        #expect(map.contains(southWest) && map.contains(northEast))
        #expect(southWest.x < northEast.x)
        #expect(southWest.y > northEast.y)
        // A degree of longitude is shorter than a degree of latitude at 38.5°N.
        let east = map.project(try Coordinates(latitude: 37, longitude: 69))
        let north = map.project(try Coordinates(latitude: 38, longitude: 68))
        #expect(abs(east.x - southWest.x) < abs(north.y - southWest.y))
        #expect(!map.contains(map.project(try Coordinates(latitude: 55.75, longitude: 37.62))))
    }

    @Test func refusesWhatIsNotAnOutline() {
        #expect(throws: DashboardMap.MapError.self) {
            try DashboardMap(geoJSON: Data(#"{"type":"FeatureCollection","features":[]}"#.utf8))
        }
        #expect(throws: (any Error).self) { try DashboardMap(geoJSON: Data("not json".utf8)) }
    }

    @Test func onlyDashboardPathsAreFollowedAfterSignIn() {
        #expect(DashboardController<SQLiteStore>.safeNext("/ui/fugitives") == "/ui/fugitives")
        #expect(DashboardController<SQLiteStore>.safeNext("//evil.example/ui/") == nil)
        #expect(DashboardController<SQLiteStore>.safeNext("https://evil.example/ui/") == nil)
        #expect(DashboardController<SQLiteStore>.safeNext("/ui/\\evil") == nil)
        #expect(DashboardController<SQLiteStore>.safeNext(nil) == nil)
    }
}

/// The server's root leads to the dashboard (which sends a stranger to sign in).
@Test(.timeLimit(.minutes(5))) func theRootLeadsToTheDashboard() async throws {
    try await withDemoServer { server in
        let root = try await DashboardTests.page(server, .get, "/")
        #expect(root.status == .seeOther)
        #expect(root.headers[.location] == "/ui/")
        let page = try await DashboardTests.page(server, .get, "/ui/")
        #expect(page.status == .seeOther)
        #expect(page.headers[.location]?.hasPrefix("/ui/login") == true)
    }
}

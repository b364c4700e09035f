import CordonCore
import Foundation
import HTTPTypes
import Testing

@testable import CordonDashboard
@testable import CordonServer

/// The reading page: only analysts, commanders and admins have it in their menu and may open it; it
/// carries the form the script sends to `POST /v1/read`, with labelled fields; and a report attached to
/// a person's timeline shows on their card and on the operations timeline, to those who read reports.
@Suite(.timeLimit(.minutes(5))) struct DashboardReadingPageTests {
    @Test func onlyAnalystsCommandersAndAdminsHaveThePage() async throws {
        try await withDemoServer { server in
            #expect(DashboardPage.read.path == "/ui/read")
            #expect(DashboardPage.read.roles == [.admin, .commander, .analyst])
            for role in Role.allCases {
                let token = try await DashboardTests.signIn(server, role)
                let allowed = DashboardPage.read.roles.contains(role)
                let page = try await DashboardTests.page(
                    server,
                    .get,
                    "/ui/read",
                    headers: DashboardTests.cookie(token)
                )
                #expect(page.status == (allowed ? .ok : .forbidden), "\(role)")
                // The menu of the role's own first page offers the reading page only to those allowed.
                let home = try #require(DashboardPage.home(for: role))
                let menu = try await DashboardTests.page(server, .get, home.path, headers: DashboardTests.cookie(token))
                #expect(menu.status == .ok)
                #expect(menu.text.contains(#"<a href="/ui/read""#) == allowed, "\(role)'s menu")
                if allowed {
                    #expect(page.text.contains(#"<a href="/ui/read" aria-current="page">Read a report</a>"#))
                }
            }
            let anonymous = try await DashboardTests.page(server, .get, "/ui/read")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/ui/login?next=/ui/read")
        }
    }

    @Test func thePageCarriesALabelledFormAndTheAntiForgeryValue() async throws {
        try await withDemoServer { server in
            let token = try await DashboardTests.signIn(server, .analyst)
            let page = try await DashboardTests.page(server, .get, "/ui/read", headers: DashboardTests.cookie(token))
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains(#"<meta name="cordon-csrf" content="\#(DashboardSession.csrfToken(for: token))">"#))
            #expect(html.contains(#"<script type="module" src="/ui/static/js/read.js"></script>"#))
            #expect(html.contains(#"data-api="/v1/read""#))
            #expect(html.contains(#"data-max-bytes="\#(16 << 20)""#))
            for id in ["read-text", "read-file", "read-source", "read-format"] {
                #expect(html.contains(#"<label for="\#(id)""#), "\(id) has a label")
                #expect(html.contains(#"id="\#(id)""#))
            }
            #expect(html.contains(#"<div id="read-results" tabindex="-1">"#))
            let script = try await DashboardTests.page(server, .get, "/ui/static/js/read.js")
            #expect(script.status == .ok)
            #expect(script.text.contains("/v1/persons/"))
            // Nothing sent is parsed as HTML by the page.
            #expect(!script.text.contains("innerHTML"))
        }
    }

    @Test func anAttachedReportShowsOnThePersonsTimelineToThoseWhoReadReports() async throws {
        try await withDemoServer { server in
            let attached = try await server.api.call(
                .post,
                "/v1/persons/\(PersonSourcesAPITests.person)/sources",
                token: server.tokens[.analyst],
                json: ["text": PersonSourcesAPITests.report, "source": "Wire <23 August>"]
            )
            #expect(attached.status == .created, "\(attached.text)")
            let id = try #require(attached.object["id"] as? String)
            let analyst = try await DashboardTests.signIn(server, .analyst)
            let board = try await DashboardTests.page(
                server,
                .get,
                "/ui/fugitives",
                headers: DashboardTests.cookie(analyst)
            )
            let card = try #require(Self.card(PersonSourcesAPITests.person, in: board.text))
            #expect(card.contains("timeline, case notes</summary>"))
            #expect(card.contains(#"<li class="event kind-report" data-kind="report">"#))
            #expect(card.contains("Report attached"))
            // Written as text, never as markup.
            #expect(card.contains("Wire &lt;23 August&gt;"))
            let operations = try await DashboardTests.page(
                server,
                .get,
                "/ui/",
                headers: DashboardTests.cookie(analyst)
            )
            #expect(operations.text.contains(#"id="tl-event-\#(id)""#))
            // Custody officers read the board and the timeline, not the reports analysts attach.
            let custody = try await DashboardTests.signIn(server, .custodyOfficer)
            let theirs = try await DashboardTests.page(
                server,
                .get,
                "/ui/fugitives",
                headers: DashboardTests.cookie(custody)
            )
            #expect(theirs.status == .ok)
            #expect(!theirs.text.contains("Report attached"))
            let theirTimeline = try await DashboardTests.page(
                server,
                .get,
                "/ui/",
                headers: DashboardTests.cookie(custody)
            )
            #expect(!theirTimeline.text.contains(id))
        }
    }

    /// The HTML of one person's card on the board.
    static func card(_ person: String, in html: String) -> String? {
        guard let start = html.range(of: #"id="person-\#(person)""#) else { return nil }
        let rest = html[start.upperBound...]
        let end = rest.range(of: "</li>\n")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }
}

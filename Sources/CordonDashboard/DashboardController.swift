import CordonAlerts
import CordonCore
import CordonCustody
import CordonEvents
import CordonServer
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The command dashboard: server-rendered pages under `/ui/`, a live feed, and sign-in by cookie.
///
/// Pages read the store on the server and are rendered from Mustache templates; the small scripts
/// they load send their forms to the JSON API (with the session cookie and its anti-forgery header)
/// and follow the live feed (`/ui/events`, server-sent events) to change the page in place.
struct DashboardController<S: Store>: Sendable {
    let store: S
    let auth: AuthController<S>
    let data: DashboardData<S>
    let renderer: DashboardRenderer
    let zone: TimeZone
    let now: @Sendable () -> Date
    let feedCheckInterval: Duration
    /// The live streams each account may hold; the feed counts against it.
    let streamQuota: StreamQuota
    /// The largest report `POST /v1/read` takes, in bytes: the reading page refuses a larger file itself.
    var maximumReportSize = 16 << 20

    func register(on router: Router<CordonRequestContext>) {
        // The server's root leads to the dashboard, which sends a visitor who is not signed in to sign in.
        router.get("/") { _, _ in DashboardRenderer.redirect(to: DashboardPage.operations.path) }
        router.get("/ui/login") { request, context in
            if let identity = context.identity, let home = DashboardPage.home(for: identity.role) {
                return DashboardRenderer.redirect(to: home.path)
            }
            return loginPage(LoginForm(next: HTTPSupport.query(request, "next")), status: .ok)
        }
        router.post("/ui/login") { request, context in try await signIn(request, context: context) }
        router.post("/ui/logout") { request, context in try await signOut(request, context: context) }
        for page in DashboardPage.allCases {
            router.get(RouterPath(page.path)) { request, context in
                try await show(page, request: request, context: context)
            }
        }
        router.get("/ui/events") { request, context in
            guard let identity = context.identity else { throw Problem.unauthorized }
            guard let hold = streamQuota.take(identity.username) else {
                throw Problem(
                    .tooManyRequests,
                    type: "too-many-streams",
                    title: "Too many live streams",
                    detail: "the account \(identity.username) holds \(streamQuota.limit) streams already",
                    retryAfter: 10
                )
            }
            return DashboardFeed(data: data, renderer: renderer, now: now, checkInterval: feedCheckInterval).response(
                for: identity,
                clock: clock(for: request),
                hold: hold
            )
        }
    }

    func clock(for request: Request) -> DashboardClock {
        DashboardClock(zone: DashboardSession.zone(of: request) ?? zone)
    }

    // MARK: Signing in and out

    struct LoginForm {
        var username = ""
        var next: String?
        var usernameError: String?
        var passwordError: String?
        var formError: String?
    }

    func loginPage(_ form: LoginForm, status: HTTPResponse.Status) -> Response {
        let body = renderer.render("login", form)
        let layout = LayoutView(
            title: "Sign in",
            page: "login",
            nav: [],
            signedIn: false,
            username: "",
            role: "",
            zone: "",
            csrf: "",
            body: body,
            scripts: ["login.js"],
            live: false
        )
        return DashboardRenderer.html(renderer.render("layout", layout), status: status)
    }

    func signIn(_ request: Request, context: CordonRequestContext) async throws -> Response {
        let wantsJSON = (request.headers[.accept] ?? "").contains("application/json")
        let fields = try await Self.formFields(request, context: context)
        var form = LoginForm(username: fields["username"] ?? "", next: fields["next"])
        let password = fields["password"] ?? ""
        var errors: [Problem.FieldError] = []
        if form.username.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(.init(pointer: "/username", reason: "missing", detail: "Enter your username."))
        }
        if password.isEmpty {
            errors.append(.init(pointer: "/password", reason: "missing", detail: "Enter your password."))
        }
        var problem: Problem?
        var issued: (String, TokenRecord)?
        if errors.isEmpty {
            do {
                issued = try await auth.issueToken(
                    username: form.username.trimmingCharacters(in: .whitespaces),
                    password: password,
                    address: context.remoteAddress
                )
            } catch var failure as Problem {
                if failure.status == .unauthorized {
                    failure.errors = [
                        .init(pointer: "/password", reason: "wrong", detail: "Wrong username or password.")
                    ]
                }
                problem = failure
            }
        } else {
            problem = Problem(
                .unprocessableContent,
                type: "validation",
                title: "The request has invalid fields",
                detail: errors.map(\.detail).joined(separator: " "),
                errors: errors
            )
        }
        guard let (token, record) = issued else {
            let problem = problem!
            if wantsJSON { throw problem }
            for error in problem.errors ?? [] {
                if error.pointer == "/username" { form.usernameError = error.detail }
                if error.pointer == "/password" { form.passwordError = error.detail }
            }
            if problem.errors?.isEmpty ?? true { form.formError = problem.detail ?? problem.title }
            return loginPage(form, status: problem.status)
        }
        let account = try await store.account(username: record.username)
        let home = account.flatMap { DashboardPage.home(for: $0.role) } ?? .screen
        // Back where the officer was going, when that page is open to their role.
        var target = home.path
        if let next = Self.safeNext(form.next), let role = account?.role,
            let page = DashboardPage.allCases.first(where: { $0.path == next || $0.path == next + "/" }),
            page.roles.contains(role)
        {
            target = page.path
        }
        var response =
            wantsJSON
            ? try HTTPSupport.json(["location": target], status: .ok)
            : DashboardRenderer.redirect(to: target)
        response.setCookie(DashboardSession.signInCookie(token: token, expires: record.expiresAt, now: now()))
        if let zone = fields["zone"], TimeZone(identifier: zone) != nil,
            let encoded = zone.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/", "_", "-", "+"]))
        {
            response.setCookie(
                Cookie(name: DashboardSession.zoneCookie, value: encoded, path: "/", httpOnly: false, sameSite: .strict)
            )
        }
        return response
    }

    func signOut(_ request: Request, context: CordonRequestContext) async throws -> Response {
        // Signing out always ends the session the cookie holds, anti-forgery value or not: the worst a
        // forged sign-out can do is sign the officer out, while a token left valid could be used later.
        if let token = DashboardSession.token(of: request) {
            if let record = try await store.token(hash: AuditChain.digest(token)), record.revokedAt == nil {
                let account = try await store.account(username: record.username)
                try await store.revokeToken(
                    hash: record.tokenHash,
                    at: now(),
                    audit: .init(
                        actor: record.username,
                        role: account?.role,
                        action: "auth.revoke",
                        address: context.remoteAddress
                    )
                )
            }
        }
        var response = DashboardRenderer.redirect(to: "/ui/login")
        response.setCookie(DashboardSession.signOutCookie)
        return response
    }

    /// Only a path of this dashboard: never another site.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/ui/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 200 else {
            return nil
        }
        return next
    }

    /// The fields of a form (`application/x-www-form-urlencoded`), at most 16 KB.
    static func formFields(_ request: Request, context: CordonRequestContext) async throws -> [String: String] {
        let data = try await HTTPSupport.body(of: request, limit: 16 << 10)
        var fields: [String: String] = [:]
        for pair in String(decoding: data, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    // MARK: Pages

    func show(_ page: DashboardPage, request: Request, context: CordonRequestContext) async throws -> Response {
        guard let identity = context.identity, let token = DashboardSession.token(of: request) else {
            let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/"])) ?? ""
            return DashboardRenderer.redirect(to: "/ui/login?next=\(next)")
        }
        let clock = clock(for: request)
        guard page.roles.contains(identity.role) else {
            let body = renderer.render(
                "forbidden",
                ["role": Self.roleLabel(identity.role), "page": page.title]
            )
            return DashboardRenderer.html(
                layout(page, identity: identity, token: token, clock: clock, body: body, scripts: []),
                status: .forbidden
            )
        }
        let body: String
        var scripts: [String] = []
        switch page {
        case .operations:
            let snapshot = try await data.snapshot()
            let timeline = try await data.timeline(for: identity.role, clock: clock, snapshot: snapshot)
            let map = await data.mapView(for: identity.role, clock: clock, snapshot: snapshot)
            var alerts: [AlertView] = []
            if DashboardVisibility.deliveries.contains(identity.role) {
                alerts = await data.alertViews(clock: clock, limit: 1, canResend: true, snapshot: snapshot)
            }
            body = renderer.render(
                "operations",
                OperationsView(
                    timeline: timeline,
                    map: map,
                    alerts: alerts,
                    showDeliveries: DashboardVisibility.deliveries.contains(identity.role)
                )
            )
            scripts = ["live.js", "alerts.js", "map.js", "leads.js"]
        case .fugitives:
            let cards = try await data.cards(for: identity.role, clock: clock, snapshot: try await data.snapshot())
            body = renderer.render(
                "fugitives",
                FugitivesView(cards: cards, count: cards.count, filters: DashboardData<S>.boardFilters(cards))
            )
            scripts = ["forms.js", "fugitives.js", "live.js"]
        case .alerts:
            let alerts = await data.alertViews(clock: clock, canResend: true, snapshot: try await data.snapshot())
            let incidents = try await store.allEntities(Incident.self).filter { $0.status != .closed }
                .sorted { $0.raisedAt > $1.raisedAt }
            body = renderer.render(
                "alerts",
                AlertsPageView(
                    alerts: alerts,
                    hasAlerts: !alerts.isEmpty,
                    incidents: incidents.map {
                        OptionView(
                            value: $0.id.rawValue,
                            label: "\(clock.time($0.raisedAt)) \($0.summary.prefix(80)) [\($0.status.rawValue)]",
                            lat: nil,
                            lon: nil
                        )
                    }
                )
            )
            scripts = ["forms.js", "alerts.js", "live.js"]
        case .screen:
            body = renderer.render("screen", ["nameParts": try await data.namePartKinds()])
            scripts = ["forms.js", "screen.js"]
        case .read:
            let size = maximumReportSize
            let limit = size >= 1 << 20 ? "\(size >> 20) MiB" : "\(max(1, size >> 10)) KiB"
            body = renderer.render("read", ["maxBytes": String(size), "maxSize": limit])
            scripts = ["forms.js", "read.js"]
        case .report:
            body = renderer.render("report", try await reportView(clock: clock))
            scripts = ["forms.js", "report.js"]
        case .custody:
            body = renderer.render("custody", try await custodyView(clock: clock))
            scripts = ["forms.js", "custody.js", "live.js"]
        case .audit:
            body = renderer.render("audit", try await auditView(clock: clock))
        }
        return DashboardRenderer.html(
            layout(page, identity: identity, token: token, clock: clock, body: body, scripts: scripts)
        )
    }

    func layout(
        _ page: DashboardPage,
        identity: Identity,
        token: String,
        clock: DashboardClock,
        body: String,
        scripts: [String]
    ) -> String {
        renderer.render(
            "layout",
            LayoutView(
                title: page.title,
                page: page.rawValue,
                nav: DashboardPage.pages(for: identity.role).map {
                    .init(href: $0.path, label: $0.title, current: $0 == page)
                },
                signedIn: true,
                username: identity.username,
                role: Self.roleLabel(identity.role),
                zone: clock.zoneLabel(at: now()),
                csrf: DashboardSession.csrfToken(for: token),
                body: body,
                scripts: scripts,
                live: scripts.contains("live.js")
            )
        )
    }

    static func roleLabel(_ role: Role) -> String {
        role.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    struct OperationsView {
        let timeline: [TimelineItem]
        let map: MapView
        let alerts: [AlertView]
        let showDeliveries: Bool
    }

    struct FugitivesView {
        let cards: [FugitiveCard]
        let count: Int
        let filters: BoardFilters
    }

    struct AlertsPageView {
        let alerts: [AlertView]
        let hasAlerts: Bool
        let incidents: [OptionView]
    }

    struct ReportView {
        let persons: [OptionView]
        let vehicles: [OptionView]
        let checkpoints: [OptionView]
        let now: String
    }

    func reportView(clock: DashboardClock) async throws -> ReportView {
        let persons = try await store.allEntities(Person.self).filter(\.isWanted)
            .sorted { $0.name.fullName < $1.name.fullName }
        let vehicles = try await store.allEntities(Vehicle.self).sorted { $0.plate.text < $1.plate.text }
        let checkpoints = try await store.allEntities(Checkpoint.self).sorted { $0.name < $1.name }
        return ReportView(
            persons: persons.map { .init(value: $0.id.rawValue, label: $0.name.fullName, lat: nil, lon: nil) },
            vehicles: vehicles.map {
                .init(
                    value: $0.id.rawValue,
                    label: DashboardData<S>.Names.label($0),
                    lat: nil,
                    lon: nil
                )
            },
            checkpoints: checkpoints.map {
                .init(
                    value: $0.id.rawValue,
                    label: $0.name,
                    lat: String($0.location.latitude),
                    lon: String($0.location.longitude)
                )
            },
            now: String(clock.iso(now()).prefix(16))
        )
    }
}

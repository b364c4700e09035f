import CordonCheckpoint
import CordonCore
import CordonStation
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The demo's checkpoints as stations: each runs `CordonStation` over a copy of its own, and the
/// officer on duty there works its page as a person does: signs in with the pass headquarters issued,
/// reads the page as often as the page itself asks for news (once a second), and presses "read and
/// understood" when an alert covers it. Only an acknowledgement a named officer gave, and headquarters
/// confirmed, counts.
struct DemoStations: Sendable {
    /// One checkpoint's station and its officer.
    struct Desk: Sendable {
        let checkpoint: String
        let officer: String
        let pass: String
        let copy: CheckpointStore
        let folder: String
    }

    let desks: [Desk]

    /// Says when the night is over: the officers stop looking, then each station shuts down gracefully
    /// (its server stops taking connections before anything is cancelled).
    final class Shift: Sendable {
        private let over = Mutex(false)
        var isOver: Bool { over.withLock { $0 } }
        func end() { over.withLock { $0 = true } }
    }

    /// Issues a pass to the officer on duty at each checkpoint and gives each station a copy that trusts
    /// headquarters' root.
    static func prepare(
        http: DemoHTTP,
        commander: String,
        reader: String,
        checkpoints: [Checkpoint],
        folder: URL
    ) async throws -> DemoStations {
        let root = try await http.raw("/v1/lists/tuf/1.root.json", token: reader)
        var desks: [Desk] = []
        for (index, checkpoint) in checkpoints.enumerated() {
            let id = checkpoint.id.rawValue
            let issued = try await http.expect(
                201,
                "POST",
                "/v1/credentials",
                token: commander,
                json: [
                    "name": "Officer on duty, \(checkpoint.name)".prefix(100).description,
                    "service_number": "DEMO-\(index + 1)",
                    "unit": id,
                    "role": "checkpoint_officer",
                ]
            )
            guard let pass = issued["token"] as? String,
                let name = (issued["credential"] as? [String: Any])?["name"] as? String
            else { throw DemoError("no pass for the officer at \(id)") }
            let place = folder.appendingPathComponent("stations/\(id)").path
            let copy = try CheckpointStore(folder: place)
            try copy.setRoot(root)
            try copy.setCheckpoint(id)
            desks.append(Desk(checkpoint: id, officer: name, pass: pass, copy: copy, folder: place))
        }
        return DemoStations(desks: desks)
    }

    /// Runs one desk's station and its officer until cancelled; an attended desk has no scripted officer:
    /// its address and the officer's pass are printed for a person (or a browser) to use, and what the
    /// page shows is followed.
    static func run(
        _ desk: Desk,
        servers: [String],
        token: String,
        clock: DemoClock,
        zone: TimeZone,
        log: DemoLog,
        shift: Shift,
        attended: Bool = false
    ) async throws {
        var logger = Logger(label: "cordon-demo-station")
        logger.logLevel = .critical
        let (ports, port) = AsyncStream<Int>.makeStream()
        let application = try StationApplication.make(
            configuration: StationConfiguration(
                servers: servers.compactMap(URL.init(string:)),
                token: token,
                checkpoint: desk.checkpoint,
                port: 0,
                syncInterval: .seconds(60),
                zone: zone
            ),
            copy: desk.copy,
            folder: desk.folder,
            logger: logger,
            now: { clock.now },
            onRunning: { port.yield($0) }
        )
        let services = ServiceGroup(configuration: .init(services: [application], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var waiting = ports.makeAsyncIterator()
            guard let bound = await waiting.next() else {
                throw DemoError("the station of \(desk.checkpoint) did not start")
            }
            let officer = DemoOfficer(base: "http://127.0.0.1:\(bound)", desk: desk, shift: shift)
            if attended {
                printError(
                    "attended station \(desk.checkpoint): \(officer.base) — \(desk.officer), pass \(desk.pass)"
                )
                try? await officer.follow(log: log)
            } else {
                try? await officer.work(clock: clock, log: log)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}

/// The officer on duty at a demo checkpoint, at the station's page.
struct DemoOfficer: Sendable {
    let base: String
    let desk: Desk
    let shift: DemoStations.Shift
    typealias Desk = DemoStations.Desk

    /// No cookie jar: every station is on 127.0.0.1, so the officer keeps the station's cookie alone.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration)
    }()

    func work(clock: DemoClock, log: DemoLog) async throws {
        // The pass is checked against the copy's keys: the first sign-in waits for the first sync.
        var cookie: String?
        while cookie == nil, !shift.isOver {
            if let (status, _, setCookie) = try? await call("POST", "/api/sign-in", ["pass": desk.pass], cookie: nil),
                status == 200
            {
                cookie = setCookie
            } else {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        var pressedAt: [String: Date] = [:]
        var online = false
        while !Task.isCancelled, !shift.isOver {
            // A request that fails (the station busy, a moment of load) is tried again at the next look.
            if let (_, state, _) = try? await call("GET", "/api/state", nil, cookie: cookie) {
                if !online, (state["link"] as? [String: Any])?["state"] as? String == "online" {
                    online = true
                    await log.connected(desk.checkpoint)
                }
                for alert in state["alerts"] as? [[String: Any]] ?? [] {
                    guard let id = alert["id"] as? String, let stage = alert["stage"] as? String else { continue }
                    if stage == "new" {
                        await log.received(desk.checkpoint, at: clock.now)
                        _ = try? await call("POST", "/api/alerts/\(id)/shown", [:], cookie: cookie)
                    }
                    if stage != "acknowledged" {
                        // Read on the screen, then "read and understood".
                        pressedAt[id] = pressedAt[id] ?? clock.now
                        _ = try? await call("POST", "/api/alerts/\(id)/ack", [:], cookie: cookie)
                    } else if alert["ack_identifier"] is String, let pressed = pressedAt[id] {
                        await log.acknowledged(desk.checkpoint, at: pressed)
                    }
                }
            }
            // As often as the page asks.
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Follows an attended station's page without signing in: online, an alert on screen, and the
    /// acknowledgement a person gave, at the instant the station recorded it.
    func follow(log: DemoLog) async throws {
        let parser = ISO8601DateFormatter()
        var online = false
        while !Task.isCancelled, !shift.isOver {
            guard let (_, state, _) = try? await call("GET", "/api/state", nil, cookie: nil) else {
                try await Task.sleep(for: .milliseconds(250))
                continue
            }
            if !online, (state["link"] as? [String: Any])?["state"] as? String == "online" {
                online = true
                await log.connected(desk.checkpoint)
            }
            for alert in state["alerts"] as? [[String: Any]] ?? [] {
                if let shown = (alert["shown_at"] as? String).flatMap(parser.date(from:)) {
                    await log.received(desk.checkpoint, at: shown)
                }
                if alert["ack_identifier"] is String,
                    let at = (alert["acknowledged_at"] as? String).flatMap(parser.date(from:))
                {
                    await log.acknowledged(desk.checkpoint, at: at)
                }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// One request to the page's API: the status, the JSON object, and the session cookie it set.
    func call(
        _ method: String,
        _ path: String,
        _ body: [String: Any]?,
        cookie: String?
    ) async throws
        -> (Int, [String: Any], String?)
    {
        var request = URLRequest(url: URL(string: base + path)!, timeoutInterval: 10)
        request.httpMethod = method
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("1", forHTTPHeaderField: "X-Cordon-Station")
        }
        let (data, response) = try await Self.session.exchange(request)
        let http = response as? HTTPURLResponse
        let setCookie = (http?.value(forHTTPHeaderField: "Set-Cookie")).flatMap { $0.split(separator: ";").first }
            .map(String.init)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (http?.statusCode ?? 0, object, setCookie)
    }
}

import CordonCheckpoint
import CordonCore
import CordonDemo
import CordonEvents
import CordonPublishing
import CordonServer
import CordonStore
import CordonStorePostgres
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWSClient
import Logging
import NIOWebSocket

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How the servers of a night start: `run` is their work beside the night (the server in this process,
/// or timing a takeover), `stage` waits until they serve, `stop` ends them.
struct DemoLaunch: Sendable {
    let run: @Sendable () async throws -> Void
    let stage: @Sendable () async throws -> DemoStage
    let stop: @Sendable () -> Void
}

/// Where the night is replayed: one server in this process on a SQLite file, or several `cordon serve`
/// nodes (processes) on one PostgreSQL database.
enum DemoDatabase: Sendable {
    case sqlite(String)
    /// `keepSchema`: leave the deployment's schema in the database afterwards.
    case postgres(PostgresStore.Configuration, nodes: Int, keys: String, keepSchema: Bool)
}

/// What the night runs against: where custody and sign-in go (the leader), where the commander works,
/// which servers each checkpoint knows, and what happens once the escape is declared.
struct DemoStage: Sendable {
    let leader: DemoHTTP
    let command: DemoHTTP
    let operationsPort: Int
    let servers: @Sendable (Int) -> [String]
    let declared: @Sendable () async -> Void
    /// Waits for what the stage still measures once the night is over (the takeover after a kill).
    var settled: @Sendable () async -> Void = {}
}

/// The night replayed: a server (or several), the ward's posts checking in and then falling silent, a
/// scripted commander, and one real WebSocket client per checkpoint.
struct DemoNight {
    let database: DemoDatabase
    let rate: Double
    /// Where the stations keep their copies.
    let folder: URL
    /// The checkpoints whose stations wait for a person instead of a scripted officer.
    var attended: Set<String> = []
    let zone = TimeZone(identifier: "Asia/Dushanbe") ?? TimeZone(secondsFromGMT: 5 * 3600)!
    let facility = "fac-gknb-ward"
    static let start = Instant.parse("2010-08-22T22:00:00+05:00")!

    /// The demo server's settings, on the demo's clock; the same for every node.
    static func serverConfiguration(clock: DemoClock, rate: Double, keys: KeyRing = KeyRing()) -> ServerConfiguration {
        var configuration = ServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            bcryptCost: 10,
            now: { clock.now },
            clockRate: rate,
            delivery: .init(resendInterval: .seconds(10), escalateAfter: .seconds(60)),
            alertSender: "duty-officer@gknb.example.tj",
            zone: TimeZone(identifier: "Asia/Dushanbe") ?? TimeZone(secondsFromGMT: 5 * 3600)!,
            alertStatus: "Exercise",
            keys: keys
        )
        // One demo account holds the streams of all 55 stations.
        configuration.streamsPerAccount = 1000
        return configuration
    }

    func run() async throws -> DemoReport {
        // The demo's own output is the timeline; the servers log only what is critical.
        var logger = Logger(label: "cordon-demo")
        logger.logLevel = .critical
        switch database {
        case .sqlite(let path):
            // Setting codes and checking in take real seconds (bcrypt): the clock runs at real time then.
            let clock = DemoClock(start: Self.start, rate: 1)
            let store = try SQLiteStore(path: path, now: { clock.now })
            try await store.migrate()
            let (ports, portContinuation) = AsyncStream<Int>.makeStream()
            let (application, _) = try await buildApplication(
                configuration: Self.serverConfiguration(clock: clock, rate: rate),
                store: store,
                logger: logger,
                onServerRunning: { portContinuation.yield($0) }
            )
            let launch = DemoLaunch(
                run: { try await application.runService(gracefulShutdownSignals: []) },
                stage: {
                    var waiting = ports.makeAsyncIterator()
                    guard let port = await waiting.next() else { throw DemoError("the server did not start") }
                    let http = DemoHTTP(base: "http://127.0.0.1:\(port)")
                    return DemoStage(
                        leader: http,
                        command: http,
                        operationsPort: port,
                        servers: { _ in [http.base] },
                        declared: {}
                    )
                },
                stop: {}
            )
            return try await replay(on: store, clock: clock, logger: logger, launch: launch)
        case .postgres(let configuration, let count, let keys, let keepSchema):
            let cluster = DemoCluster(database: configuration, nodes: count, keys: keys, rate: rate)
            let clock = DemoClock(start: Self.start, rate: 1) { cluster.broadcast($0) }
            let store = PostgresStore(configuration: configuration, now: { clock.now }, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                defer { group.cancelAll() }
                try await store.waitUntilReachable(timeout: .seconds(30))
                try await store.migrate()
                let launch = DemoLaunch(
                    run: { await cluster.timeTakeover() },
                    stage: { try await cluster.start(clock: clock) },
                    stop: { cluster.stop() }
                )
                var report = try await replay(on: store, clock: clock, logger: logger, launch: launch)
                report.cluster = cluster.outcome()
                if !keepSchema { try? await store.dropSchema() }
                return report
            }
        }
    }

    /// Loads the demo into `store`, starts the servers (`launch`), connects headquarters and every
    /// checkpoint, and plays the night.
    private func replay<S: Store>(
        on store: S,
        clock: DemoClock,
        logger: Logger,
        launch: DemoLaunch
    ) async throws -> DemoReport {
        let log = DemoLog(zone: zone)
        let scenario = try DemoScenario.load()
        // The codes, the check-in, the silence and the declaration are the story's, as `serve --demo` plays them.
        let story = try DemoStory(scenario: scenario)
        let credentials = try await DemoLoader.load(
            scenario,
            into: store,
            hasher: PasswordHasher(cost: 10),
            now: clock.now
        )
        let escape = scenario.incidents.first { $0.kind == .escape }
        let ward = scenario.facilities.first { $0.id.rawValue == facility }
        guard let escape, let ward else { throw DemoError("the demo scenario has no escape or no ward") }
        defer { launch.stop() }
        let checkpoints = scenario.checkpoints.map(\.id.rawValue)
        // The launch's own work, headquarters' operations stream and every checkpoint's client run as
        // child tasks of the night; when it is over they are cancelled together.
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await launch.run() }
            let stage = try await launch.stage()
            func password(_ role: Role) -> String { credentials.first { $0.role == role }?.password ?? "" }
            let commander = try await stage.leader.token("demo-commander", password(.commander))
            let custody = try await stage.leader.token("demo-custody-officer", password(.custodyOfficer))
            let officer = try await stage.leader.token("demo-checkpoint-officer", password(.checkpointOfficer))

            // Headquarters listens; the scripted commander acts on the first missed check-in.
            group.addTask {
                try? await Self.listenToOperations(port: stage.operationsPort, token: commander) { event in
                    await log.operations(event, clock: clock)
                    guard case .incidentRaised(let raised) = event, raised.kind == "missed_check_in",
                        await log.claimResponse(to: raised.incident)
                    else { return }
                    clock.setRate(1)
                    await Self.respond(
                        to: raised.incident,
                        escape: escape,
                        declaration: story.declaration,
                        stage: stage,
                        token: commander,
                        log: log,
                        clock: clock
                    )
                }
            }
            // Every checkpoint is a station, worked by the officer on duty with their own pass.
            let stations = try await DemoStations.prepare(
                http: stage.leader,
                commander: commander,
                reader: officer,
                checkpoints: scenario.checkpoints,
                folder: folder
            )
            // The stations run in a group of their own, which ends before the servers do: no station is
            // still asking headquarters while headquarters shuts down.
            let shift = DemoStations.Shift()
            let report = try await withThrowingTaskGroup(of: Void.self) { desks in
                for (index, desk) in stations.desks.enumerated() {
                    let (zone, attended) = (self.zone, self.attended.contains(desk.checkpoint))
                    desks.addTask {
                        try? await DemoStations.run(
                            desk,
                            servers: stage.servers(index),
                            token: officer,
                            clock: clock,
                            zone: zone,
                            log: log,
                            shift: shift,
                            attended: attended
                        )
                    }
                }
                let report = try await night(
                    story: story,
                    http: stage.leader,
                    tokens: (commander, custody),
                    ward: ward,
                    checkpoints: checkpoints,
                    clock: clock,
                    log: log,
                    store: store
                )
                shift.end()
                try await desks.waitForAll()
                return report
            }
            await stage.settled()
            group.cancelAll()
            return report
        }
    }

    /// The night itself, once the server runs and every client holds its stream.
    private func night(
        story: DemoStory,
        http: DemoHTTP,
        tokens: (commander: String, custody: String),
        ward: Facility,
        checkpoints: [String],
        clock: DemoClock,
        log: DemoLog,
        store: some Store
    ) async throws -> DemoReport {
        let (commander, custody) = tokens
        guard await waitUntil(timeout: .seconds(90), { await log.connectedCount >= checkpoints.count }) else {
            throw DemoError("only \(await log.connectedCount) of \(checkpoints.count) checkpoint stations came online")
        }
        await log.add(
            clock.now,
            "connect",
            "\(checkpoints.count) checkpoint stations hold their alert streams open, an officer signed in at each"
        )

        // 22:00 — the watch begins: every post of the ward gets its codes.
        await log.add(
            clock.now,
            "watch",
            "the night shift begins: \(ward.posts.count) posts of \(ward.name) go on watch"
        )
        let codes = story.codes
        for post in ward.posts {
            try await http.expect(
                200,
                "PUT",
                "/v1/posts/\(post.id.rawValue)/codes",
                token: commander,
                json: ["code": codes[post.id]?.code ?? "", "duress_code": codes[post.id]?.duressCode ?? ""]
            )
        }
        // 22:10 — every post checks in.
        clock.setRate(rate)
        try await waitForClock(clock, story.start.addingTimeInterval(DemoStory.checkIn))
        clock.setRate(1)
        var deadlines: [Date] = []
        for post in ward.posts {
            let receipt = try await http.expect(
                201,
                "POST",
                "/v1/posts/\(post.id.rawValue)/check-ins",
                token: custody,
                json: ["code": codes[post.id]?.code ?? ""]
            )
            if let due = (receipt["next_due"] as? String).flatMap(Instant.parse) { deadlines.append(due) }
        }
        await log.add(clock.now, "check-in", "all \(ward.posts.count) posts check in on time")
        // 22:20 — the ruse; from here on no post checks in.
        clock.setRate(rate)
        try await waitForClock(clock, story.start.addingTimeInterval(DemoStory.silence))
        await log.add(
            clock.now,
            "story",
            "the guards pray; an inmate asks for help, a cell is opened, the three guards are overpowered; "
                + "no post checks in again"
        )
        guard let firstDeadline = deadlines.min(), let post = ward.posts.first else {
            throw DemoError("no check-in deadline")
        }
        let grace = TimeInterval(post.graceMinutes * 60)
        let due = firstDeadline.addingTimeInterval(-grace)
        try await waitForClock(clock, due)
        await log.add(due, "due", "the next check-in falls due; none comes (grace \(post.graceMinutes) min)")
        // Real time from just before the grace runs out, so that what follows is measured as it is.
        try await waitForClock(clock, firstDeadline.addingTimeInterval(-2))
        clock.setRate(1)
        let finished = await waitUntil(timeout: .seconds(60)) { await log.acknowledgedCount >= checkpoints.count }

        var messages: [AlertMessage] = []
        if let alert = await log.alert {
            messages = try await store.allEntities(AlertMessage.self).filter { $0.alert.rawValue == alert }
                .sorted { ($0.sent, $0.id) < ($1.sent, $1.id) }
        }
        return await log.report(
            due: due,
            grace: grace,
            checkpoints: checkpoints.count,
            finished: finished,
            rate: rate,
            messages: messages
        )
    }

    /// Declares the escape on the incident and sends the be-on-the-lookout to every checkpoint (after
    /// the stage's `declared`: on several nodes, the leader is killed then).
    static func respond(
        to incident: String,
        escape: Incident,
        declaration: (summary: String, headline: String)?,
        stage: DemoStage,
        token: String,
        log: DemoLog,
        clock: DemoClock
    ) async {
        do {
            _ = try await stage.command.expect(
                200,
                "POST",
                "/v1/incidents/\(incident)/confirm",
                token: token,
                json: [
                    "kind": "escape",
                    "persons": escape.persons.map(\.rawValue),
                    "vehicles": escape.vehicles.map(\.rawValue),
                    "summary": declaration?.summary ?? "Escape: \(escape.persons.count) inmates",
                ]
            )
            await stage.declared()
            let composed = try await stage.command.expect(
                201,
                "POST",
                "/v1/incidents/\(incident)/alerts",
                token: token,
                json: [
                    "kind": "be_on_lookout",
                    "headline": declaration?.headline ?? "Escape: \(escape.persons.count) men",
                ]
            )
            let alert = (composed["alert"] as? [String: Any])?["id"] as? String
            await log.composed(alert: alert, cap: composed["cap_identifier"] as? String)
        } catch {
            await log.add(clock.now, "error", "the commander could not act: \(error)")
        }
    }

    func waitForClock(_ clock: DemoClock, _ instant: Date) async throws {
        while clock.now < instant {
            let remaining = instant.timeIntervalSince(clock.now) / max(clock.rate, 1)
            try await Task.sleep(for: .seconds(min(max(remaining, 0.001), 0.05)))
        }
    }

    @discardableResult
    func waitUntil(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }
}

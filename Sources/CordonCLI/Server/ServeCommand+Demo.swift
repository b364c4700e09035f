import ArgumentParser
import CordonCore
import CordonDashboard
import CordonDemo
import CordonServer
import CordonStore
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

extension ServeCommand {
    func validate() throws {
        if !demo {
            for (given, name) in [
                (demoAt != nil, "--demo-at"), (demoLive, "--demo-live"), (demoAccounts != nil, "--demo-accounts"),
            ]
            where given {
                throw ValidationError("\(name) needs --demo")
            }
        }
        if demoAt != nil && demoLive { throw ValidationError("--demo-at and --demo-live exclude each other") }
        if demoLive && (tlsCert != nil || tlsKey != nil) {
            throw ValidationError("--demo-live plays the night over plain HTTP; leave out --tls-cert and --tls-key")
        }
        guard demoRate.isFinite, (1...10_000).contains(demoRate) else {
            throw ValidationError("--demo-rate must be from 1 to 10000 (seconds of the night per real second)")
        }
    }

    /// Loads the demo's standing record into a fresh store, starts the server on the night's clock, plays
    /// the night up to the chosen moment (or live), then prints the accounts and serves.
    func serveDemo<S: Store>(
        _ store: S,
        at location: DatabaseLocation,
        configuration: ServerConfiguration,
        node: @Sendable (ServerConfiguration) -> ServerConfiguration,
        registry: PrometheusCollectorRegistry,
        logger: Logger
    ) async throws {
        if try await !store.accounts().isEmpty {
            printError("\(location) already has accounts; --demo needs a fresh database (leave out --database)")
            throw ExitCode(1)
        }
        // A file left by an earlier demo would tell a script waiting for this one's accounts old passwords.
        if let demoAccounts { try? FileManager.default.removeItem(atPath: demoAccounts) }
        // The night is moved in time so that the chosen moment (or, live, its start) is now.
        let original = try DemoStory(scenario: DemoScenario.load())
        let chosen: Date
        if let demoAt {
            guard let moment = original.moment(demoAt) else {
                printError("--demo-at: '\(demoAt)' is neither HH:MM (with '+N ' for a later day) nor an instant")
                throw ExitCode(64)
            }
            chosen = moment
        } else {
            chosen = demoLive ? original.start : original.defaultMoment
        }
        let offset = (Date().timeIntervalSince(chosen)).rounded(.down)
        let story = try DemoStory(
            scenario: DemoScenario.load(shiftedBy: offset),
            start: original.start.addingTimeInterval(offset)
        )
        let moment = chosen.addingTimeInterval(offset)
        // At real time while the demo loads; live, the night runs fast once it is played.
        let clock = DemoClock(start: story.start, rate: 1)
        var configuration = configuration
        configuration.now = { clock.now }
        configuration.clockRate = demoLive ? demoRate : 1
        let hasher = PasswordHasher(cost: configuration.bcryptCost)
        let credentials = try await DemoLoader.load(
            story.scenario,
            into: store,
            hasher: hasher,
            now: clock.now,
            writes: story.scenario.standingWrites(for: S.self, persons: try story.persons(at: story.start))
        )
        logger.info("database", metadata: ["database": .string(location.description)])
        let passwords = Dictionary(credentials.map { ($0.role, $0.password) }, uniquingKeysWith: { a, _ in a })
        let shown = (moment, Instant.display(chosen, in: original.scenario.timeZone))
        if demoLive {
            // Live, the night is played on the server the user watches (plain HTTP: validate() says so).
            let (ports, portContinuation) = AsyncStream<Int>.makeStream()
            let (application, _) = try await buildApplication(
                configuration: node(configuration),
                store: store,
                registry: registry,
                extensions: [Dashboard.serverExtension()],
                logger: logger,
                onServerRunning: { portContinuation.yield($0) }
            )
            // The server's end ends the night; the night's end leaves the server running.
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await application.runService()
                    return true
                }
                var waiting = ports.makeAsyncIterator()
                guard let port = await waiting.next() else { return }
                let http = DemoHTTP(base: "http://127.0.0.1:\(port)")
                try await Self.waitUntilServing(http)
                let director = DemoDirector(
                    story: story,
                    http: http,
                    tokens: DemoSessions(http: http, clock: clock, passwords: passwords),
                    store: store,
                    clock: clock
                )
                try printAccounts(credentials, location: location, story: story, moment: nil)
                group.addTask {
                    clock.setRate(demoRate)
                    do { try await director.live(rate: demoRate) } catch is CancellationError {} catch {
                        logger.error("the demo's night stopped", metadata: ["error": "\(error)"])
                    }
                    clock.setRate(1)
                    return false
                }
                while let serverEnded = try await group.next() {
                    if serverEnded { break }
                }
                group.cancelAll()
            }
            return
        }
        // Up to a moment, the night is played on a server of its own on the loopback (plain HTTP, any
        // port), stopped gracefully once there; then the server starts as configured, on the store the
        // night left, and is ready only then.
        var stage = configuration
        stage.host = "127.0.0.1"
        stage.port = 0
        stage.tls = nil
        // Its log says only what goes wrong: where it listens is not where the server will.
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        try await run(node(stage), on: store, registry: PrometheusCollectorRegistry(), logger: quiet) { http in
            let director = DemoDirector(
                story: story,
                http: http,
                tokens: DemoSessions(http: http, clock: clock, passwords: passwords),
                store: store,
                clock: clock
            )
            do {
                try await director.fastForward(to: moment, resume: Date())
            } catch {
                printError("cannot play the demo's night: \(error)")
                throw ExitCode(1)
            }
        }
        clock.jump(to: Date())
        try printAccounts(credentials, location: location, story: story, moment: shown)
        let (application, _) = try await buildApplication(
            configuration: node(configuration),
            store: store,
            registry: registry,
            extensions: [Dashboard.serverExtension()],
            logger: logger
        )
        try await application.runService()
    }

    /// Runs a server on `store` and, once its engines serve, `work` with a client of it; then stops the
    /// server gracefully (its pending writes committed).
    private func run<S: Store>(
        _ configuration: ServerConfiguration,
        on store: S,
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        work: @escaping @Sendable (DemoHTTP) async throws -> Void
    ) async throws {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let (application, _) = try await buildApplication(
            configuration: configuration,
            store: store,
            registry: registry,
            extensions: [Dashboard.serverExtension()],
            logger: logger,
            onServerRunning: { portContinuation.yield($0) }
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [application],
                gracefulShutdownSignals: [],
                logger: logger
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            var waiting = ports.makeAsyncIterator()
            guard let port = await waiting.next() else { return }
            let http = DemoHTTP(base: "http://127.0.0.1:\(port)")
            try await Self.waitUntilServing(http)
            try await work(http)
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
    }

    /// Waits until the server's engines serve: on PostgreSQL once the node leads (the custody watch runs
    /// on the leader).
    static func waitUntilServing(_ http: DemoHTTP) async throws {
        let ready = ContinuousClock.now + .seconds(60)
        while (try? await http.expect(200, "GET", "/ready"))?["engines"] as? String != "serving" {
            guard ContinuousClock.now < ready else {
                printError("cannot play the demo's night: this node did not lead within 60 s")
                throw ExitCode(1)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private func printAccounts(
        _ credentials: [DemoLoader.Credential],
        location: DatabaseLocation,
        story: DemoStory,
        moment: (instant: Date, original: String)?
    ) throws {
        var lines = ["Demo loaded into \(location): \(story.scenario.title)"]
        if let moment {
            lines.append(
                "The night as it stood at \(moment.original), \(Self.clockTime(moment.instant, story: story)) into "
                    + "the shift, moved in time to end now: \(story.steps(until: moment.instant).count) of its "
                    + "\(story.steps.count) steps played through the engines"
            )
        } else {
            lines.append("The night plays live from now, \(Int(demoRate)) times faster than real time")
        }
        lines.append("Demo accounts (passwords are shown once):")
        for credential in credentials {
            let name = credential.username.padding(toLength: 28, withPad: " ", startingAt: 0)
            lines.append("  \(name) \(credential.password)  [\(credential.role)]")
        }
        if let demoAccounts { try Self.writeAccounts(credentials, to: demoAccounts) }
        // Written straight to the file descriptor: print() may sit in a buffer while the server runs.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// `2 h 50 min`: how long after 22:00 the moment is.
    static func clockTime(_ moment: Date, story: DemoStory) -> String {
        let minutes = Int(moment.timeIntervalSince(story.start) / 60)
        return minutes >= 60 ? "\(minutes / 60) h \(minutes % 60) min" : "\(minutes) min"
    }
}

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
        let clock = DemoClock(start: story.start, rate: demoLive ? demoRate : 1)
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
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let (application, _) = try await buildApplication(
            configuration: configuration,
            store: store,
            registry: registry,
            extensions: [Dashboard.serverExtension()],
            logger: logger,
            onServerRunning: { portContinuation.yield($0) }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService() }
            var waiting = ports.makeAsyncIterator()
            guard let port = await waiting.next() else { return }
            let http = DemoHTTP(base: "\(configuration.tls == nil ? "http" : "https")://127.0.0.1:\(port)")
            // On PostgreSQL the node plays the night once it leads (the custody watch runs on the leader).
            let ready = ContinuousClock.now + .seconds(60)
            while (try? await http.expect(200, "GET", "/ready"))?["engines"] as? String != "serving" {
                guard ContinuousClock.now < ready else {
                    printError("cannot play the demo's night: this node did not lead within 60 s")
                    throw ExitCode(1)
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            let director = DemoDirector(
                story: story,
                http: http,
                tokens: DemoSessions(
                    http: http,
                    clock: clock,
                    passwords: Dictionary(credentials.map { ($0.role, $0.password) }, uniquingKeysWith: { a, _ in a })
                ),
                store: store,
                clock: clock
            )
            if demoLive {
                group.addTask {
                    do { try await director.live(rate: demoRate) } catch is CancellationError {} catch {
                        logger.error("the demo's night stopped", metadata: ["error": "\(error)"])
                    }
                    clock.setRate(1)
                }
            } else {
                do {
                    try await director.fastForward(to: moment, resume: Date())
                } catch {
                    printError("cannot play the demo's night: \(error)")
                    group.cancelAll()
                    throw ExitCode(1)
                }
            }
            try printAccounts(
                credentials,
                location: location,
                story: story,
                moment: demoLive ? nil : (moment, Instant.display(chosen, in: original.scenario.timeZone))
            )
            try await group.next()
            group.cancelAll()
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

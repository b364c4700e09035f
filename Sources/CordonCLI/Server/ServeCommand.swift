import ArgumentParser
import CordonCore
import CordonDashboard
import CordonDemo
import CordonPublishing
import CordonScreening
import CordonServer
import CordonStore
import CordonStorePostgres
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// `cordon serve`: runs the HTTP server until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Cordon server (HTTP API, screening, audit).",
        discussion: """
            The database is a SQLite file (the default, cordon.sqlite) or a PostgreSQL database given as \
            postgresql://user@host:port/database, by --database or by the environment's CORDON_DATABASE_URL \
            (which keeps a password out of the process list). Several servers on one PostgreSQL database \
            share its state. With --demo, loads the demo scenario into a fresh database file in the working \
            directory (unless --database names a database, which must hold no accounts yet) and creates one \
            account per role, printing their passwords once.
            """
    )

    @Option(
        help: """
            A SQLite file, or postgresql://user@host:port/database. Default: $CORDON_DATABASE_URL, else \
            cordon.sqlite, or a fresh cordon-demo-*.sqlite with --demo.
            """
    )
    var database: String?

    @Option(
        help: """
            The folder of headquarters' signing keys, made on first use; every server of one database \
            needs the same keys. Default: the SQLite file's path + .keys, or cordon.keys.
            """
    )
    var keys: String?

    @Option(help: "The address to listen on. Default: 127.0.0.1.")
    var host: String?

    @Option(help: "The port; 0 picks a free one. Default: 8080.")
    var port: Int?

    @Option(
        help: """
            Seconds to keep trying a PostgreSQL database that does not answer at start, saying why each \
            time, before giving up. Default: 60.
            """
    )
    var waitForDatabase: Int?

    @Option(help: "This node's name in logs and in /ready. Default: the host name and the port.")
    var node: String?

    @Option(
        help: """
            A JSON file of settings, keyed as the options are named with '_' for '-' ("port", \
            "resend_after"); options, then CORDON_… environment variables, come first. Also CORDON_CONFIG.
            """
    )
    var config: String?

    @Flag(
        help: "Print the settings the server would run with (secrets masked, each with where it came from), and exit."
    )
    var printConfig: Bool = false

    @Flag(help: "Load the demo scenario and create demo accounts.")
    var demo: Bool = false

    @Option(
        help: """
            With --demo: also write the demo accounts and their passwords to this file (JSON, readable by \
            its owner only), for scripts: {"accounts": [{"username", "role", "password"}]}.
            """
    )
    var demoAccounts: String?

    @Option(
        help: """
            With --demo: the moment of the night to load, as HH:MM (22:00–23:59 the evening of the escape, \
            00:00–21:59 the morning after; '+1 09:00' a day later) or a full instant; the night is played up \
            to it through the engines and moved in time so that it is now. Default: five minutes after the \
            lockdown went out.
            """
    )
    var demoAt: String?

    @Flag(help: "With --demo: start the night now and play it on a fast clock while the server runs.")
    var demoLive: Bool = false

    @Option(help: "With --demo-live: how many seconds of the night pass in one real second. Default: 30.")
    var demoRate: Double = 30

    @Option(help: "Log level: trace, debug, info, notice, warning, error. Default: info.")
    var logLevel: String?

    @Option(
        help: "Log format: text, or json (one object a line, with the request id, the node and whether it leads)."
    )
    var logFormat: String?

    @Option(
        help: """
            The most live streams (alert and operations WebSockets, dashboard feeds) one account may hold at \
            once on this node. Default: 20.
            """
    )
    var streamsPerAccount: Int?

    @Option(
        help: """
            The most requests this node handles at once; the next is refused at once with 503 and \
            Retry-After. Default: 512.
            """
    )
    var maxInFlight: Int?

    @Option(
        name: .customLong("feed"),
        help: "An Atom or RSS feed to read for the wanted list, each new item once (repeat for several)."
    )
    var feed: [String] = []

    @Option(help: "Seconds between two fetches of each feed. Default: 300.")
    var feedEvery: Int?

    @Option(
        help: """
            How many hours back checkpoints' queries are screened again when the list changes, to find \
            leads. Default: 72.
            """
    )
    var lookBackHours: Int?

    @Option(help: "Seconds a new connection has to send its first request's head. Default: 10.")
    var headerTimeout: Int?

    @Option(help: "The longest pause, in seconds, inside a request's body. Default: 30.")
    var bodyTimeout: Int?

    @Option(help: "Seconds a connection may wait for its next request after an answer. Default: 60.")
    var idleTimeout: Int?

    @Option(
        help: """
            The most connections this node holds at once; the next is refused at once. Default: the limit \
            on open files less 128.
            """
    )
    var maxConnections: Int?

    @Option(help: "The most connections this node holds at once from one network address. Default: 512.")
    var maxConnectionsPerAddress: Int?

    @Option(help: "A PEM file of the server's certificate chain: serve HTTPS and WSS only (with --tls-key).")
    var tlsCert: String?

    @Option(help: "The PEM file of the certificate's private key (with --tls-cert).")
    var tlsKey: String?

    @Option(help: "Seconds a connected recipient may stay silent about an alert before it is sent again. Default: 10.")
    var resendAfter: Int?

    @Option(
        help: """
            Seconds after which a recipient that has not acknowledged an alert is escalated to the commander. \
            Default: 60.
            """
    )
    var escalateAfter: Int?

    @Option(
        help: """
            The screening alert threshold, from 0 to 1: a hit scoring this or more alerts. Queries may ask \
            for a stricter one, never a looser one. Default: \(ScreeningPolicy.defaultThreshold).
            """
    )
    var threshold: Double?

    @Option(
        name: .customLong("list-threshold"),
        help: """
            A named list's own alert threshold, NAME=T with T more than 0 and at most 1 (repeat for several \
            lists): a wanted person imported with ?list=NAME alerts at T instead of --threshold.
            """
    )
    var listThreshold: [String] = []

    func run() async throws {
        let options: ServeOptions
        do {
            options = try await resolve()
        } catch {
            printError(String(describing: error))
            throw ExitCode(2)
        }
        if printConfig {
            print(options.effective.map { "\($0.key) = \($0.value)" }.joined(separator: "\n"))
            return
        }
        let level = options.logLevel
        let nodeState = NodeLogState()
        let json = options.logFormat == "json"
        LoggingSystem.bootstrap(
            { label, provider in
                if json { return JSONLogHandler(label: label, logLevel: level, metadataProvider: provider) }
                var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            },
            metadataProvider: nodeState.provider
        )
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "cordon")
        logger.logLevel = level

        let location = options.location
        let keyRing: KeyRing
        do {
            keyRing = try KeyRing(folder: options.keys)
        } catch {
            printError(String(describing: error))
            throw ExitCode(2)
        }
        var configuration = ServerConfiguration(
            host: options.host,
            port: options.port,
            delivery: .init(
                resendInterval: .seconds(options.resendAfter),
                escalateAfter: .seconds(options.escalateAfter)
            ),
            keys: keyRing
        )
        configuration.threshold = options.threshold
        configuration.listThresholds = options.listThresholds
        configuration.node = options.node
        configuration.streamsPerAccount = options.streamsPerAccount
        configuration.maxInFlight = options.maxInFlight
        configuration.lookBack.window = TimeInterval(options.lookBackHours) * 3600
        configuration.connections = options.connections
        configuration.feeds = options.feeds
        configuration.feedInterval = TimeInterval(options.feedEvery)
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            do {
                configuration.tls = try Self.tls(certificate: certificate, key: key)
            } catch {
                printError("cannot use the TLS certificate \(certificate) and key \(key): \(error)")
                throw ExitCode(2)
            }
        }
        nodeState.set(node: configuration.node)
        var opened = false
        do {
            try await location.withStore(logger: logger, reachWithin: .seconds(options.waitForDatabase)) { store in
                opened = true
                // Each server run on the store gets its node's own election and link (the demo runs two).
                let logger = logger
                let node: @Sendable (ServerConfiguration) -> ServerConfiguration = { base in
                    var configuration = base
                    if let store = store as? PostgresStore {
                        // Several nodes may share the database: one leads the work that must happen once;
                        // every node holds its own streams and tells the others what it wrote.
                        let election = PostgresLeadership(store: store, logger: logger)
                        let link = PostgresNodeLink(store: store, node: configuration.node, logger: logger)
                        configuration.leadership = election
                        configuration.link = link
                        configuration.services = [election, link]
                    }
                    nodeState.set(leadership: configuration.leadership)
                    return configuration
                }
                try await serve(
                    store,
                    at: location,
                    configuration: configuration,
                    node: node,
                    registry: registry,
                    logger: logger
                )
            }
        } catch let error as StoreError where !opened {
            printError("cannot open the database \(location): \(Self.describe(error))")
            throw ExitCode(2)
        }
    }

    /// Loads the demo when asked, then runs the server on `store` until it is told to stop.
    private func serve<S: Store>(
        _ store: S,
        at location: DatabaseLocation,
        configuration: ServerConfiguration,
        node: @Sendable (ServerConfiguration) -> ServerConfiguration,
        registry: PrometheusCollectorRegistry,
        logger: Logger
    ) async throws {
        if demo {
            try await serveDemo(
                store,
                at: location,
                configuration: configuration,
                node: node,
                registry: registry,
                logger: logger
            )
            return
        }
        logger.info("database", metadata: ["database": .string(location.description)])
        let (application, _) = try await buildApplication(
            configuration: node(configuration),
            store: store,
            registry: registry,
            extensions: [Dashboard.serverExtension()],
            logger: logger
        )
        try await application.runService()
    }

    /// Writes the demo accounts for scripts, readable by the owner only (it holds passwords): to a
    /// temporary file first, renamed into place, so that a script waiting for the file never reads half.
    static func writeAccounts(_ credentials: [DemoLoader.Credential], to path: String) throws {
        let accounts = credentials.map {
            ["username": $0.username, "role": $0.role.rawValue, "password": $0.password]
        }
        let data = try JSONSerialization.data(
            withJSONObject: ["accounts": accounts],
            options: [.prettyPrinted, .sortedKeys]
        )
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]),
            rename(temporary, path) == 0
        else {
            printError("cannot write the demo accounts to \(path)")
            throw ExitCode(2)
        }
    }

    static func freshDemoPath() -> String {
        let stamp = Instant.format(Date(), in: TimeZone(secondsFromGMT: 0)!)
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "").prefix(15)
        var path = "cordon-demo-\(stamp).sqlite"
        var counter = 1
        while FileManager.default.fileExists(atPath: path) {
            counter += 1
            path = "cordon-demo-\(stamp)-\(counter).sqlite"
        }
        return path
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? StoreError { return error.message }
        return String(describing: error)
    }
}

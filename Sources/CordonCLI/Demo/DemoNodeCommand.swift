import ArgumentParser
import CordonCore
import CordonPublishing
import CordonServer
import CordonStorePostgres
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `cordon demo-node`: one node of `cordon demo --nodes N`, started by it. Not for people: it runs the
/// server on the demo's database and on the demo's clock, which it reads from its standard input (one
/// JSON anchor per line), and writes `{"port": N}` once it listens.
struct DemoNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-node",
        abstract: "One node of cordon demo --nodes (started by it).",
        shouldDisplay: false
    )

    /// The demo's database comes by environment (`CORDON_DATABASE_URL`), so its password is on no
    /// command line.

    @Option(help: "This node's name.")
    var node: String

    @Option(help: "The folder of the headquarters' keys.")
    var keys: String

    @Option(help: "How fast the demo's quiet hours run.")
    var rate: Double

    func run() async throws {
        var logger = Logger(label: "cordon-demo-node")
        logger.logLevel = .critical
        let postgres = try PostgresStore.Configuration(
            url: ProcessInfo.processInfo.environment["CORDON_DATABASE_URL"] ?? ""
        )
        let clock = DemoClock(start: DemoNight.start, rate: 1)
        // The demo's clock, as the demo sets it, from the first line on; read on a thread of its own, since
        // reading a pipe blocks.
        Thread.detachNewThread {
            while let line = readLine(strippingNewline: true) {
                if let anchor = try? JSONDecoder().decode(DemoClock.Anchor.self, from: Data(line.utf8)) {
                    clock.follow(anchor)
                }
            }
        }
        let store = PostgresStore(configuration: postgres, now: { clock.now }, logger: logger)
        let election = PostgresLeadership(store: store, logger: logger)
        let link = PostgresNodeLink(store: store, node: node, logger: logger)
        var configuration = DemoNight.serverConfiguration(clock: clock, rate: rate, keys: try KeyRing(folder: keys))
        configuration.node = node
        configuration.leadership = election
        configuration.link = link
        configuration.services = [election, link]
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            try await store.waitUntilReachable(timeout: .seconds(30))
            let (application, _) = try await buildApplication(
                configuration: configuration,
                store: store,
                logger: logger,
                onServerRunning: { port in
                    FileHandle.standardOutput.write(Data("{\"port\": \(port)}\n".utf8))
                }
            )
            try await application.runService()
        }
    }
}

import ArgumentParser
import CordonCheckpoint
import CordonCore
import CordonStation
import Foundation
import Hummingbird
import Logging

/// `cordon checkpoint station`: the checkpoint's one process, with a page for the officers at the barrier.
struct CheckpointStationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station",
        abstract: "Run the checkpoint station: alerts on screen, screening from the copy, online or cut off.",
        discussion: """
            One process on the checkpoint's computer. It holds the checkpoint's alert stream open, syncs \
            the signed list into --store on a schedule (the same copy `cordon checkpoint sync` keeps), \
            uploads what is queued, and serves a page on http://127.0.0.1:PORT for the officers on duty. \
            Officers sign in with their pass, checked offline against the copy's keys and revocations. A \
            new alert takes the whole screen with a sound; it counts as received when shown and as \
            acknowledged only when an officer presses "read and understood", which goes to headquarters \
            naming that officer. Names, zones, plates and passes are screened from the copy with the \
            server reachable or not; outcomes are queued and go up when the line returns. The token may \
            come from CORDON_TOKEN instead of --token.
            """
    )

    @Option(help: "The folder of the checkpoint's copy (made when missing).")
    var store: String

    @Option(help: "The server's base URL (http://127.0.0.1:8080), or several of one deployment, comma-separated.")
    var server: String

    @Option(help: "A bearer token of the checkpoint's account (or set CORDON_TOKEN).")
    var token: String?

    @Option(help: "Headquarters' root metadata (1.root.json), needed until the copy has its first list.")
    var root: String?

    @Option(help: "The checkpoint's identifier; kept in the store, so needed once.")
    var checkpoint: String?

    @Option(help: "The page's port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8090

    @Option(help: "Sync the list and upload the queue every this many seconds.")
    var syncEvery: Int = 60

    @Option(help: "The time zone times are shown in (Asia/Dushanbe); the computer's own by default.")
    var zone: String?

    var servers: [URL] {
        server.split(separator: ",").compactMap { URL(string: $0.trimmingCharacters(in: .whitespaces)) }
    }

    var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment["CORDON_TOKEN"] }

    func validate() throws {
        for part in server.split(separator: ",", omittingEmptySubsequences: false) {
            guard let url = URL(string: part.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme,
                ["http", "https"].contains(scheme), url.host != nil
            else {
                throw ValidationError("--server must be http:// or https:// URLs, comma-separated; not '\(part)'")
            }
        }
        if resolvedToken?.isEmpty ?? true { throw ValidationError("give --token or set CORDON_TOKEN") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        if !(5...86400).contains(syncEvery) { throw ValidationError("--sync-every must be from 5 to 86400 seconds") }
        if let zone, TimeZone(identifier: zone) == nil { throw ValidationError("--zone '\(zone)' is not a time zone") }
        if let checkpoint, (try? CheckpointID(checkpoint)) == nil {
            throw ValidationError("--checkpoint '\(checkpoint)' is not an identifier")
        }
    }

    func run() async throws {
        let copy = try CheckpointCopy.open(store, root: root, checkpoint: checkpoint)
        guard let checkpoint = try copy.checkpoint() else {
            printError("no checkpoint id: give --checkpoint ID once")
            throw ExitCode(2)
        }
        guard try copy.metadata("root") != nil else {
            printError("no trusted root yet: give headquarters' root metadata with --root ROOT.json")
            throw ExitCode(2)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "cordon-station")
        let configuration = StationConfiguration(
            servers: servers,
            token: resolvedToken ?? "",
            checkpoint: checkpoint,
            port: port,
            syncInterval: .seconds(syncEvery),
            zone: zone.flatMap(TimeZone.init(identifier:)) ?? .current
        )
        let application = try StationApplication.make(
            configuration: configuration,
            copy: copy,
            folder: store,
            logger: logger
        )
        try await application.runService()
    }
}

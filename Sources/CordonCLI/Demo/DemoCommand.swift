import ArgumentParser
import CordonCore
import CordonDemo
import CordonServer
import CordonStore
import CordonStorePostgres
import CordonStoreSQLite
import Foundation
import Logging

/// `cordon demo`: replays the night of the escape against a real server and real checkpoint clients.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Replay the night of 22–23 August 2010 with Cordon watching, on a fast clock.",
        discussion: """
            Starts a Cordon server on a fresh database loaded with the demo, and a checkpoint station for \
            each of the demo's checkpoints (`cordon checkpoint station`, in this process, each on its own \
            copy and its own port on 127.0.0.1), worked by the officer on duty there with the pass \
            headquarters issued. The ward's posts go on watch at 22:00 and check in at 22:10; after the \
            guards are overpowered no post checks in again. The first missed check-in raises an incident, \
            the commander declares the escape, a be-on-the-lookout goes to every checkpoint, covers each \
            station's page, and each officer presses "read and understood". The quiet hours run --rate \
            times faster; from just before the first miss the clock runs in real time, so the delivery is \
            measured as it happens. Prints the timeline and, last, the time to cordon: from the check-in \
            that was due to the last acknowledgement given by an officer (and confirmed by headquarters).

            With --nodes N and --database postgresql://…, the night runs on N server processes sharing \
            that database, the checkpoints spread over them; once the escape is declared, and before the \
            alert goes out, the leading node is killed with SIGKILL. The demo's deployment gets a schema \
            of its own (cordon_demo_…, dropped afterwards unless --out is given) unless the URL names one.
            """
    )

    @Option(help: "How much faster than real time the quiet hours run.")
    var rate: Double = 600

    @Flag(help: "Print the night as one JSON object.")
    var json: Bool = false

    @Option(help: "How many server processes to run the night on (2 or more need --database).")
    var nodes: Int = 1

    @Option(help: "The PostgreSQL database for --nodes (postgresql://user@host:port/db); also CORDON_DATABASE_URL.")
    var database: String?

    @Option(help: "A folder to keep the night's CAP messages (one .xml each), the timeline and the database in.")
    var out: String?

    @Option(
        help: """
            A checkpoint whose station waits for a person (repeatable): its page's address and the officer's \
            pass are printed on standard error, and the night waits up to a minute for that officer to press \
            "read and understood".
            """
    )
    var attended: [String] = []

    func validate() throws {
        guard rate.isFinite, (1...10_000).contains(rate) else {
            throw ValidationError("--rate must be from 1 to 10000")
        }
        guard (1...9).contains(nodes) else { throw ValidationError("--nodes must be from 1 to 9") }
        if !attended.isEmpty {
            let known = Set((try? DemoScenario.load())?.checkpoints.map(\.id.rawValue) ?? [])
            if let unknown = attended.first(where: { !known.contains($0) }) {
                throw ValidationError("--attended \(unknown): the demo has no such checkpoint")
            }
        }
        if database != nil, nodes == 1 {
            throw ValidationError("--database is for --nodes 2 or more; alone, the demo keeps its own SQLite file")
        }
    }

    /// The PostgreSQL deployment of `--nodes`, with a schema of its own unless the URL names one.
    func postgres() throws -> (PostgresStore.Configuration, created: Bool)? {
        guard nodes > 1 else { return nil }
        let text = database ?? ProcessInfo.processInfo.environment[DatabaseLocation.environmentKey] ?? ""
        guard text.hasPrefix("postgres") else {
            throw ValidationError("--nodes \(nodes) needs --database postgresql://… (or CORDON_DATABASE_URL)")
        }
        var configuration = try PostgresStore.Configuration(url: text)
        guard configuration.schema == nil else { return (configuration, false) }
        configuration.schema = "cordon_demo_" + UUID().uuidString.lowercased().prefix(8)
        return (configuration, true)
    }

    func run() async throws {
        let folder: URL
        if let out {
            folder = URL(fileURLWithPath: out, isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                printError("cannot create \(out): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-demo-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        defer { if out == nil { try? FileManager.default.removeItem(at: folder) } }
        let path = folder.appendingPathComponent("cordon-demo-night.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let place: DemoDatabase
        do {
            if let (configuration, created) = try postgres() {
                place = .postgres(
                    configuration,
                    nodes: nodes,
                    keys: folder.appendingPathComponent("keys").path,
                    keepSchema: !created || out != nil
                )
                if out != nil, created { printError("the night's database: \(configuration.redacted)") }
            } else {
                place = .sqlite(path)
            }
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        let night = DemoNight(database: place, rate: rate, folder: folder, attended: Set(attended))
        let report = try await night.run()

        if out != nil {
            let capFolder = folder.appendingPathComponent("cap")
            try FileManager.default.createDirectory(at: capFolder, withIntermediateDirectories: true)
            for message in report.messages {
                try Data(message.xml.utf8).write(to: capFolder.appendingPathComponent("\(message.id).xml"))
            }
            try Data(report.text.utf8).write(to: folder.appendingPathComponent("timeline.txt"))
            try report.jsonData().write(to: folder.appendingPathComponent("timeline.json"))
        }
        if json {
            FileHandle.standardOutput.write(try report.jsonData())
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(report.text.utf8))
        }
        if report.acknowledged < report.checkpoints { throw ExitCode(1) }
    }
}

import ArgumentParser
import CordonCore
import CordonDemo
import CordonServer
import CordonStore
import CordonStoreSQLite
import Foundation
import Logging

/// `cordon demo`: replays the night of the escape against a real server and real checkpoint clients.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Replay the night of 22–23 August 2010 with Cordon watching, on a fast clock.",
        discussion: """
            Starts a Cordon server on a fresh database loaded with the demo, and one WebSocket client for \
            each of the demo's checkpoints. The ward's posts go on watch at 22:00 and check in at 22:10; \
            after the guards are overpowered no post checks in again. The first missed check-in raises an \
            incident, the commander declares the escape, a be-on-the-lookout goes to every checkpoint and \
            each acknowledges it. The quiet hours run --rate times faster; from just before the first miss \
            the clock runs in real time, so the delivery is measured as it happens. Prints the timeline \
            and, last, the time to cordon: from the check-in that was due to the last acknowledgement.
            """
    )

    @Option(help: "How much faster than real time the quiet hours run.")
    var rate: Double = 600

    @Flag(help: "Print the night as one JSON object.")
    var json: Bool = false

    @Option(help: "A folder to keep the night's CAP messages (one .xml each), the timeline and the database in.")
    var out: String?

    func validate() throws {
        guard rate.isFinite, (1...10_000).contains(rate) else {
            throw ValidationError("--rate must be from 1 to 10000")
        }
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
        let database = folder.appendingPathComponent("cordon-demo-night.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }

        let night = try DemoNight(databasePath: database, rate: rate)
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

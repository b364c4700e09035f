import ArgumentParser
import CordonCheckpoint
import Foundation

/// `cordon checkpoint report`: queues a sighting for upload by the next sync.
struct CheckpointReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Queue a sighting of a wanted person or vehicle, uploaded once by the next sync."
    )

    @Option(help: "The folder of the checkpoint's copy.")
    var store: String

    @Option(help: "The wanted person's identifier (from a screening hit).")
    var person: String?

    @Option(help: "The vehicle's identifier.")
    var vehicle: String?

    @Option(help: "What was seen.")
    var note: String?

    func validate() throws {
        if person == nil && vehicle == nil { throw ValidationError("give --person or --vehicle") }
        if let note, note.count > 2000 { throw ValidationError("--note has at most 2000 characters") }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: store + "/checkpoint.sqlite") else {
            printError("no checkpoint copy in \(store): run `cordon checkpoint sync` first")
            throw ExitCode(2)
        }
        let copy = try CheckpointStore(folder: store)
        let report = CheckpointReport(
            kind: .sighting,
            observedAt: Date(),
            person: person,
            vehicle: vehicle,
            listVersion: try copy.listVersion(),
            note: note
        )
        try copy.enqueue(report)
        print("sighting \(report.id) queued (sent by the next sync)")
    }
}

/// `cordon checkpoint status`: what the checkpoint's copy holds.
struct CheckpointStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the checkpoint's copy: list version and age, counts, queued reports."
    )

    @Option(help: "The folder of the checkpoint's copy.")
    var store: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: store + "/checkpoint.sqlite") else {
            printError("no checkpoint copy in \(store): run `cordon checkpoint sync` first")
            throw ExitCode(2)
        }
        let copy = try CheckpointStore(folder: store)
        let status = try copy.status()
        let age =
            (try? OfflineList(store: copy, loadIndex: false))?.age(now: Date(), zone: TimeZone.current) ?? "no list yet"
        print(age)
        print("checkpoint: \(status.checkpoint ?? "not set")")
        print("entries: \(status.entries), vehicles: \(status.vehicles), revoked credentials: \(status.revocations)")
        print("reports: \(status.queued) queued, \(status.uploaded) uploaded, \(status.refused) refused")
    }
}

import ArgumentParser
import CordonCheckpoint
import CordonCore
import Foundation

/// `cordon checkpoint sync`: keeps a checkpoint's copy of the wanted list up to date and uploads its
/// queued reports.
struct CheckpointSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring the checkpoint's own copy of the wanted list up to date, and upload queued reports.",
        discussion: """
            Verifies the server's signed repository as a TUF client does (roots, timestamp, snapshot, \
            targets: signatures, versions, expiry), then applies the deltas from the version held (or the \
            whole list) to the SQLite copy in --store, all in one transaction: a refused file changes \
            nothing. The first sync needs headquarters' root metadata (--root). Reports made offline are \
            uploaded once. With --every, runs again every so many seconds and survives an unreachable server. \
            Given several servers of one deployment (--server A,B,C), a sync that cannot reach one, or is \
            turned away by it (a node that does not lead), is tried at once on the next.
            """
    )

    @Option(help: "The server's base URL (http://127.0.0.1:8080), or several of one deployment, comma-separated.")
    var server: String

    /// The servers, in the order they are tried.
    var servers: [URL] {
        server.split(separator: ",").compactMap { URL(string: $0.trimmingCharacters(in: .whitespaces)) }
    }

    @Option(help: "A bearer token of a checkpoint officer (or set CORDON_TOKEN).")
    var token: String?

    @Option(help: "The folder of the checkpoint's copy (made when missing).")
    var store: String

    @Option(help: "Headquarters' root metadata (1.root.json), needed on the first sync.")
    var root: String?

    @Option(help: "The checkpoint's identifier, kept in the store for the reports it uploads.")
    var checkpoint: String?

    @Option(help: "Sync again every this many seconds.")
    var every: Double?

    @Option(help: "With --every: stop after this many syncs.")
    var count: Int?

    func validate() throws {
        let parts = server.split(separator: ",", omittingEmptySubsequences: false)
        for part in parts {
            guard let url = URL(string: part.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme,
                ["http", "https"].contains(scheme), url.host != nil
            else {
                throw ValidationError(
                    "--server must be http:// or https:// URLs, comma-separated, such as http://127.0.0.1:8080; not '\(part)'"
                )
            }
        }
        if resolvedToken == nil { throw ValidationError("give --token or set CORDON_TOKEN") }
        if let every, !(1...86400).contains(every) { throw ValidationError("--every must be from 1 to 86400 seconds") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let checkpoint, checkpoint.isEmpty { throw ValidationError("--checkpoint must not be empty") }
    }

    var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment["CORDON_TOKEN"] }

    func run() async throws {
        let copy = try CheckpointCopy.open(store, root: root, checkpoint: checkpoint)
        let servers = self.servers
        var current = 0
        var runs = 0
        var worst: Int32 = 0
        while true {
            runs += 1
            var status: Int32 = 3
            // An unreachable or unwilling server: the next one at once, each at most once a run.
            for attempt in 0..<servers.count {
                let url = servers[current]
                let sync = CheckpointSync(
                    store: copy,
                    fetcher: HTTPRepositoryFetcher(server: url, token: resolvedToken!)
                )
                let uploader = ReportUploader(store: copy, server: url, token: resolvedToken!)
                status = await once(sync: sync, uploader: uploader)
                guard status == 3, attempt + 1 < servers.count else { break }
                current = (current + 1) % servers.count
                printError("trying \(servers[current].absoluteString)")
            }
            worst = max(worst, status)
            guard let every, count.map({ runs < $0 }) ?? true else { break }
            try await Task.sleep(nanoseconds: UInt64(every * 1e9))
        }
        if worst != 0 { throw ExitCode(worst) }
    }

    /// One sync and upload; returns 0, 1 (refused) or 3 (server unreachable).
    func once(sync: CheckpointSync, uploader: ReportUploader) async -> Int32 {
        var status: Int32 = 0
        do {
            let outcome = try await sync.run(now: Date())
            var line = "list \(outcome.after)"
            if outcome.fullList {
                line += ": whole list, \(outcome.bytes) bytes"
            } else if !outcome.deltas.isEmpty {
                line +=
                    " (was \(outcome.before.map(String.init) ?? "none")): \(outcome.deltas.count) delta\(outcome.deltas.count == 1 ? "" : "s"), \(outcome.bytes) bytes"
            } else {
                line += ": up to date"
            }
            let held = try sync.store.status()
            line += " — \(held.entries) entries, \(held.vehicles) vehicles, \(held.revocations) revoked credentials"
            Self.say(line)
            status = await witness(sync)
        } catch let failure as CheckpointSync.Failure {
            printError(failure.description + "; the copy held is unchanged")
            status = 1
        } catch {
            printError("sync failed: \(error); the copy held is unchanged")
            status = 3
        }
        do {
            guard try !uploader.store.pendingReports().isEmpty else { return status }
            let outcome = try await uploader.run(now: Date())
            var line = "reports: \(outcome.uploaded) uploaded"
            if outcome.duplicates > 0 { line += ", \(outcome.duplicates) already held by the server" }
            if !outcome.refused.isEmpty { line += ", \(outcome.refused.count) refused" }
            Self.say(line)
            for (id, reason) in outcome.refused.sorted(by: { $0.key < $1.key }) {
                printError("report \(id) refused: \(reason)")
            }
        } catch {
            printError("reports not uploaded (kept for the next sync): \(error)")
            status = max(status, 3)
        }
        return status
    }

    /// Checks headquarters' audit log against the heads the copy holds: 0, or 1 when it contradicts one.
    func witness(_ sync: CheckpointSync) async -> Int32 {
        do {
            guard let outcome = try await AuditWitness(store: sync.store, fetcher: sync.fetcher).check(now: Date())
            else { return 0 }
            for problem in outcome.problems { printError("audit log: \(problem)") }
            if let latest = outcome.latest, outcome.problems.isEmpty {
                let held = try sync.store.treeHeads().count
                Self.say(
                    "audit log: \(latest.treeSize) records, consistent with the \(held) signed head\(held == 1 ? "" : "s") held"
                )
            }
            return outcome.problems.isEmpty ? 0 : 1
        } catch {
            printError("audit log not witnessed: \(error)")
            return 0
        }
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

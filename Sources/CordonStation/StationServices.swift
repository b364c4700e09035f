import CordonCheckpoint
import Foundation
import Logging
import ServiceLifecycle

/// Holds the checkpoint's alert stream open for the station: every alert goes to the screen, receipts
/// and acknowledgements come from the page. A refusal of the stream itself (a token, a checkpoint) is
/// said on the page and tried again a minute later.
struct StationLinkService: Service {
    let station: Station
    let configuration: StationConfiguration
    /// Where the stream keeps its place between runs.
    let stateFile: String
    let logger: Logger

    func run() async throws {
        var settings = AlertStreamClient.Configuration(
            servers: configuration.servers.map(\.absoluteString),
            path: "/v1/checkpoints/\(configuration.checkpoint)/stream",
            token: configuration.token,
            automaticAcknowledgement: .none,
            stateFile: stateFile,
            device: "station",
            reconnect: .init(initial: .milliseconds(500), maximum: .seconds(10))
        )
        settings.automaticReceipt = false
        let client = try AlertStreamClient(configuration: settings)
        await station.attach(client)
        let station = self.station
        let logger = self.logger
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await client.run { event in
                        await station.take(event)
                        return .proceed
                    }
                } catch let refused as AlertStreamClient.Refused {
                    logger.warning(
                        "the server refused the alert stream",
                        metadata: ["reason": "\(refused.description)"]
                    )
                    await station.refused(refused.description)
                    try? await Task.sleep(for: .seconds(60))
                } catch {
                    return
                }
            }
        }
    }
}

/// Syncs the list copy from the signed repository and uploads the queued reports: on a schedule, at
/// once when the stream comes back, and when an alert or a screening asks for it. Servers are tried in
/// turn; a failure leaves the copy and the queue as they were.
struct StationSyncService: Service {
    let station: Station
    let configuration: StationConfiguration
    let copy: CheckpointStore
    let logger: Logger

    func run() async throws {
        let station = self.station
        let interval = configuration.syncInterval
        // One stream of reasons to sync: the schedule and every request, many while a sync runs taken as one.
        let (ticks, tick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in station.syncRequests { tick.yield() }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        tick.yield()
                    }
                }
                group.addTask {
                    await station.reloadList()
                    var current = await once(startingAt: 0)
                    for await _ in ticks { current = await once(startingAt: current) }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// One sync and upload, trying each server once; returns the server to start from next time.
    private func once(startingAt start: Int) async -> Int {
        let servers = configuration.servers
        var failures: [String] = []
        for attempt in 0..<servers.count {
            let index = (start + attempt) % servers.count
            let server = servers[index]
            let sync = CheckpointSync(
                store: copy,
                fetcher: HTTPRepositoryFetcher(server: server, token: configuration.token)
            )
            do {
                let outcome = try await sync.run(now: station.now())
                var message = "list \(outcome.after)"
                if outcome.fullList {
                    message += ": whole list"
                } else if !outcome.deltas.isEmpty {
                    message += ": \(outcome.deltas.count) update\(outcome.deltas.count == 1 ? "" : "s")"
                } else {
                    message += ": up to date"
                }
                if try !copy.pendingReports().isEmpty {
                    let upload = try await ReportUploader(store: copy, server: server, token: configuration.token)
                        .run(now: station.now())
                    message +=
                        "; \(upload.uploaded + upload.duplicates) report\(upload.uploaded + upload.duplicates == 1 ? "" : "s") sent"
                    if !upload.refused.isEmpty { message += ", \(upload.refused.count) refused" }
                }
                // A witness of headquarters' audit log: a contradiction is said on the page and logged.
                if let witnessed = try? await AuditWitness(store: copy, fetcher: sync.fetcher).check(
                    now: station.now()
                ),
                    let problem = witnessed.problems.first
                {
                    logger.error(
                        "headquarters' audit log contradicts a head this station holds",
                        metadata: ["problem": "\(problem)"]
                    )
                    message += "; AUDIT LOG: \(problem)"
                }
                await station.synced(message, failed: false, outcome: outcome)
                return index
            } catch let failure as CheckpointSync.Failure {
                // The server answered but the repository was refused: the copy held is kept, and
                // another server is no more likely to be right.
                logger.warning("sync refused", metadata: ["reason": "\(failure.description)"])
                await station.synced(failure.description + "; the copy held is unchanged", failed: true)
                return index
            } catch {
                failures.append("\(server.absoluteString): \(error)")
            }
        }
        await station.synced(
            "no server reachable; the copy and the queue are kept (\(failures.first ?? ""))",
            failed: true
        )
        return (start + 1) % max(servers.count, 1)
    }
}

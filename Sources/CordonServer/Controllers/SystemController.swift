import CordonAlerts
import CordonEvents
import CordonScreening
import CordonStore
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// `/health`, `/ready`, `/metrics` and `/openapi.json`: public, for load balancers, scrapers and clients.
///
/// `/health` says the process is alive and answers without the database; `/ready` says whether this node
/// should be sent traffic: its database answers, its schema is migrated (the server starts only after
/// that) and its screening index is loaded.
struct SystemController<S: Store>: Sendable {
    let store: S
    let screening: ScreeningService
    let registry: PrometheusCollectorRegistry
    let openAPI: Data
    let node: String
    let leadership: any Leadership
    let term: LeaderTerm
    let alerts: AlertCenter<S>

    struct Health: Encodable {
        let status: String
        let listVersion: Int64
        let screeningEntries: Int

        enum CodingKeys: String, CodingKey {
            case status
            case listVersion = "list_version"
            case screeningEntries = "screening_entries"
        }
    }

    struct Readiness: Encodable {
        let status: String
        let node: String
        /// Whether this node leads, and whether its engines serve (a new leader restores them first).
        let leader: Bool
        let engines: String
        let listVersion: Int64
        let screeningListVersion: Int64
        let screeningEntries: Int
        let databaseRoundTripMs: Double
        /// How many alert streams this node holds.
        let streams: Int

        enum CodingKeys: String, CodingKey {
            case status, node, leader, engines, streams
            case listVersion = "list_version"
            case screeningListVersion = "screening_list_version"
            case screeningEntries = "screening_entries"
            case databaseRoundTripMs = "database_round_trip_ms"
        }
    }

    func register(on router: inout SecuredRouter) {
        router.onPublic(.get, "/health") { request, _ in
            try HTTPSupport.allowQuery(request, [])
            return try HTTPSupport.json(
                Health(status: "ok", listVersion: screening.listVersion, screeningEntries: screening.count)
            )
        }
        router.onPublic(.get, "/ready") { request, _ in
            try HTTPSupport.allowQuery(request, [])
            let clock = ContinuousClock()
            let start = clock.now
            let version: Int64
            do {
                version = try await store.listVersion()
            } catch let error as StoreError where error.code == .unavailable {
                throw Problem(
                    .serviceUnavailable,
                    type: "not-ready",
                    title: "This node is not ready",
                    detail: "its database cannot be reached",
                    retryAfter: 1
                )
            }
            let elapsed = (clock.now - start) / .milliseconds(1)
            return try HTTPSupport.json(
                Readiness(
                    status: "ready",
                    node: node,
                    leader: leadership.isLeader,
                    engines: term.isServing ? "serving" : "standing_by",
                    listVersion: version,
                    screeningListVersion: screening.listVersion,
                    screeningEntries: screening.count,
                    databaseRoundTripMs: (elapsed * 1000).rounded() / 1000,
                    streams: await alerts.connectionCount
                )
            )
        }
        router.onPublic(.get, "/metrics") { request, _ in
            try HTTPSupport.allowQuery(request, [])
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
        router.onPublic(.get, "/openapi.json") { request, _ in
            try HTTPSupport.allowQuery(request, [])
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: openAPI))
            )
        }
    }
}

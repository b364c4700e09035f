import HTTPTypes
import Hummingbird

/// On a node whose engines do not serve (a standby, or a leader still restoring), answers the routes
/// that need them with 503 `not-leader` and `Retry-After: 1`, so that clients and load balancers go to
/// the leader. What needs only the database, the screening index and the alert center (which every node
/// runs) is served by every node: health, readiness, metrics and the API document; screening; revoking a
/// token; reading entities and the audit log; alerts, incidents' confirmation, closing and alerts, and
/// the alert and operations streams.
struct StandbyMiddleware<Context: RequestContext>: RouterMiddleware {
    let term: LeaderTerm

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        if term.isServing || StandbyRoutes.servesOnStandby(method: request.method, path: request.uri.path) {
            return try await next(request, context)
        }
        throw Problem(
            .serviceUnavailable,
            type: "not-leader",
            title: "This node is standing by",
            detail: "the leading node serves \(request.uri.path); try another node",
            retryAfter: 1
        )
    }
}

/// Which routes a standby answers itself.
enum StandbyRoutes {
    /// The collections whose documents every node may read.
    static let readableCollections: Set<String> = [
        "persons", "organizations", "relations", "vehicles", "facilities", "checkpoints", "staff", "incidents",
        "sightings", "custody", "audit", "accounts", "auth",
    ]

    /// Health, readiness, metrics and the API document: answered by every node, always (neither a
    /// standby nor a node at capacity refuses them).
    static let operational: Set<String> = ["/health", "/ready", "/metrics", "/openapi.json"]

    /// Whether a standby answers this route itself.
    static func servesOnStandby(method: HTTPRequest.Method, path: String) -> Bool {
        if operational.contains(path) { return true }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count >= 2, segments[0] == "v1" else { return false }
        // Every node holds alert streams and composes, confirms, closes and follows alerts: outboxes are
        // numbered in the database, and the other nodes are told.
        if isAlertRoute(method: method, segments: segments) { return true }
        switch method {
        case .get, .head:
            return readableCollections.contains(String(segments[1]))
        case .post:
            // Signing in counts failures in the leader's memory, so that the limits hold for the whole
            // deployment: a standby sends it on. Revoking a token is a write to the database alone.
            return segments[1] == "screen" || path == "/v1/auth/revoke"
        default:
            return false
        }
    }

    /// The alert engine's routes and streams, served by every node.
    static func isAlertRoute(method: HTTPRequest.Method, segments: [Substring]) -> Bool {
        let collection = segments[1]
        if collection == "alerts" || collection == "alerts.atom" { return true }
        if segments.count == 3, collection == "operations", segments[2] == "stream" { return true }
        guard segments.count == 4 else { return false }
        switch (collection, segments[3]) {
        case ("checkpoints", "stream"), ("posts", "stream"): return method == .get
        case ("incidents", "confirm"), ("incidents", "close"), ("incidents", "alerts"): return method == .post
        default: return false
        }
    }
}

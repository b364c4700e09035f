import HTTPTypes
import Hummingbird
import Prometheus
import Synchronization

/// How many requests a node is handling, and how many it may: the gate a request passes to be handled.
/// `/metrics` shows both: `cordon_http_in_flight` and `cordon_http_refused_overloaded_total`.
final class AdmissionGate: Sendable {
    /// The most requests handled at once.
    let limit: Int
    private let state = Mutex((inFlight: 0, refused: 0))
    private let inFlightGauge: Gauge
    private let refusedCounter: Counter

    init(limit: Int, registry: PrometheusCollectorRegistry) {
        self.limit = max(1, limit)
        inFlightGauge = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "cordon",
                metricName: "http_in_flight",
                unitName: "",
                helpText: "Requests this node is handling now (health, metrics and the dashboard feed not counted)."
            )
        )
        refusedCounter = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "cordon",
                metricName: "http_refused_overloaded",
                unitName: "total",
                helpText: "Requests refused with 503 because the node had as many in hand as it may."
            )
        )
    }

    /// Takes a place if there is one.
    func enter() -> Bool {
        let taken: Int? = state.withLock { state in
            guard state.inFlight < limit else {
                state.refused += 1
                return nil
            }
            state.inFlight += 1
            return state.inFlight
        }
        guard let taken else {
            refusedCounter.increment()
            return false
        }
        inFlightGauge.set(Double(taken))
        return true
    }

    /// Gives a place back.
    func leave() {
        let left = state.withLock { state in
            state.inFlight -= 1
            return state.inFlight
        }
        inFlightGauge.set(Double(left))
    }

    /// Requests being handled now, and requests refused since the start.
    var figures: (inFlight: Int, refused: Int) { state.withLock { ($0.inFlight, $0.refused) } }
}

/// Refuses work beyond what the node can take, early and cheaply: past `limit` requests in hand, the
/// next is answered at once with 503 `overloaded` and `Retry-After: 1` (problem+json), before its body is
/// read, its token checked or the database asked, so that the requests already accepted keep their
/// latency and memory stays bounded. Health, readiness, metrics and the API document are always
/// answered (a load balancer asks them most when a node is busiest), and the dashboard's live feed,
/// which stays open for hours, takes no place.
struct AdmissionMiddleware<Context: RequestContext>: RouterMiddleware {
    let gate: AdmissionGate

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if AdmissionRoutes.exempt.contains(path) { return try await next(request, context) }
        guard gate.enter() else {
            throw Problem(
                .serviceUnavailable,
                type: "overloaded",
                title: "This node is at capacity",
                detail: "\(gate.limit) requests are in hand; try again in a second or on another node",
                retryAfter: 1
            )
        }
        defer { gate.leave() }
        return try await next(request, context)
    }
}

/// The routes that take no place at the gate: the operational ones, and the dashboard's live feed.
enum AdmissionRoutes {
    static let exempt: Set<String> = StandbyRoutes.operational.union(["/ui/events"])
}

import Hummingbird
import Prometheus

/// Counts requests by method, route and status, and times them, into the server's registry.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = CordonRequestContext
    let registry: PrometheusCollectorRegistry

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "cordon",
            metricName: "http_requests",
            unitName: "total",
            helpText: "HTTP requests by method, route and status."
        )
    }
    static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "cordon",
            metricName: "http_request_duration",
            unitName: "seconds",
            helpText: "Time to answer an HTTP request."
        )
    }

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        registry.makeCounter(
            descriptor: Self.requests,
            labels: [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.duration,
            labels: [("method", request.method.rawValue), ("route", route)],
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
                .seconds(2),
            ]
        ).record(ContinuousClock.now - start)
        return response
    }
}

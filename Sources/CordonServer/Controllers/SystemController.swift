import CordonScreening
import CordonStore
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// `/health`, `/metrics` and `/openapi.json`: public, for load balancers, scrapers and clients.
struct SystemController<S: Store>: Sendable {
    let store: S
    let screening: ScreeningService
    let registry: PrometheusCollectorRegistry
    let openAPI: Data

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

    func register(on router: inout SecuredRouter) {
        router.onPublic(.get, "/health") { request, _ in
            try HTTPSupport.allowQuery(request, [])
            let version = try await store.listVersion()
            return try HTTPSupport.json(Health(status: "ok", listVersion: version, screeningEntries: screening.count))
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

import CordonPublishing
import CordonStore
import Foundation
import Hummingbird
import NIOCore

/// The signed wanted-list repository, laid out for TUF clients:
/// `GET /v1/lists/tuf/{file}` serves metadata (`1.root.json`, `timestamp.json`, `N.snapshot.json`,
/// `N.targets.json`) and `GET /v1/lists/tuf/targets/{file}` serves targets as `HASH.NAME`.
struct RepositoryController<S: Store>: Sendable {
    let publisher: ListPublisher<S>

    func register(on router: inout SecuredRouter) {
        let screeners = router.group(Roles.screeners)
        screeners.on(.get, "/v1/lists/tuf/{file}") { request, context, _ in
            try HTTPSupport.allowQuery(request, [])
            let file = try context.parameters.require("file")
            guard Self.isMetadataName(file), let data = try await publisher.file(file) else {
                throw Problem.notFound("no metadata '\(file)'")
            }
            return Self.response(data)
        }
        screeners.on(.get, "/v1/lists/tuf/targets/{file}") { request, context, _ in
            try HTTPSupport.allowQuery(request, [])
            let file = try context.parameters.require("file")
            guard let data = try await publisher.file("targets/" + file) else {
                throw Problem.notFound("no target '\(file)'")
            }
            return Self.response(data)
        }
    }

    /// `timestamp.json` or `N.root.json`, `N.snapshot.json`, `N.targets.json`.
    static func isMetadataName(_ name: String) -> Bool {
        if name == "timestamp.json" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[2] == "json" && ["root", "snapshot", "targets"].contains(parts[1])
            && !parts[0].isEmpty && parts[0].count < 10 && parts[0].allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func response(_ data: Data) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

import CordonCore
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird

/// The collection routes of one entity kind: list with filters, pagination and `ETag`s; read; create;
/// replace (optionally conditional on `If-Match`); delete.
struct EntityController<E: StoredEntity, S: Store>: Sendable {
    let store: S
    let readRoles: Set<Role>
    let writeRoles: Set<Role>
    /// The tag keys a list may be filtered on (`status`, `nationality`).
    let filters: Set<String>
    let now: @Sendable () -> Date
    /// Called after every committed write, to keep derived state (the screening index) in step.
    let didWrite: @Sendable (_ entity: E?, _ id: String, _ receipt: WriteReceipt) async -> Void
    /// Checks a new entity, and a replacement against the stored one (nil for a creation); throws a
    /// ``Problem`` to refuse it. Rules that only a dedicated route may change (an incident's status)
    /// live here.
    var checkWrite: (@Sendable (_ stored: E?, _ new: E) async throws -> Void)? = nil

    var collection: String { E.entityKind.rawValue }

    func register(on router: inout SecuredRouter) {
        let readers = router.group(readRoles)
        let writers = router.group(writeRoles)
        let base = "/v1/\(collection)"
        readers.on(.get, base) { request, _, _ in try await list(request) }
        writers.on(.post, base) { request, context, identity in
            try await create(request, context: context, identity: identity)
        }
        readers.on(.get, base + "/{id}") { request, context, _ in
            try await read(request, context: context)
        }
        writers.on(.put, base + "/{id}") { request, context, identity in
            try await replace(request, context: context, identity: identity)
        }
        writers.on(.delete, base + "/{id}") { request, context, identity in
            try await delete(request, context: context, identity: identity)
        }
    }

    func list(_ request: Request) async throws -> Response {
        try HTTPSupport.allowQuery(request, filters.union(["limit", "cursor"]))
        let limit = try HTTPSupport.integer(request, "limit", default: 50, range: 1...500)
        var tags: [DocumentTag] = []
        for key in filters.sorted() {
            if let value = HTTPSupport.query(request, key) { tags.append(DocumentTag(key, value)) }
        }
        let cursor = HTTPSupport.query(request, "cursor")
        let version = try await store.collectionVersion(kind: E.entityKind)
        let etag = "W/\"\(collection)-\(version)-\(AuditChain.digest(request.uri.query ?? "").prefix(12))\""
        if let match = request.headers[.ifNoneMatch], match == etag || match == "*" {
            return HTTPSupport.empty(.notModified, headers: [.eTag: etag])
        }
        let page = try await store.documents(
            kind: E.entityKind,
            query: DocumentQuery(after: cursor, limit: limit, filters: tags)
        )
        var headers: HTTPFields = [
            .eTag:
                "W/\"\(collection)-\(page.collectionVersion)-\(AuditChain.digest(request.uri.query ?? "").prefix(12))\""
        ]
        if let next = page.nextCursor {
            var components = URLComponents()
            components.path = "/v1/\(collection)"
            components.queryItems =
                tags.map { URLQueryItem(name: $0.key, value: $0.value) } + [
                    URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "cursor", value: next),
                ]
            headers[HTTPField.Name("Link")!] = "<\(components.string ?? "")>; rel=\"next\""
        }
        // The stored bodies are the entities as this server encoded them after validation: they are
        // sent as they are, without decoding and encoding them again.
        var body = Data("{\"items\":[".utf8)
        for (index, document) in page.documents.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(document.body)
        }
        body.append(UInt8(ascii: "]"))
        // As the encoder wrote pages: `next_cursor` only when there is a next page, never null.
        if let next = page.nextCursor {
            body.append(contentsOf: Array(",\"next_cursor\":".utf8))
            body.append(try JSONEncoder.cordon().encode(next))
        }
        body.append(UInt8(ascii: "}"))
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    func read(_ request: Request, context: CordonRequestContext) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let id = try context.parameters.require("id")
        guard let stored = try await store.document(kind: E.entityKind, id: id) else {
            throw Problem.notFound("no \(collection) '\(id)'")
        }
        let etag = "\"\(stored.revision)\""
        if let match = request.headers[.ifNoneMatch], match == etag || match == "*" {
            return HTTPSupport.empty(.notModified, headers: [.eTag: etag])
        }
        return Response(
            status: .ok,
            headers: [.eTag: etag, .contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.body))
        )
    }

    func create(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let entity = try await HTTPSupport.decode(E.self, from: request, context: context, now: now())
        try await checkWrite?(nil, entity)
        let receipt = try await store.apply(
            [S.write(entity, operation: .create)],
            audit: draft(identity, context, action: "create", id: entity.storageID)
        )
        await didWrite(entity, entity.storageID, receipt)
        return try HTTPSupport.json(
            entity,
            status: .created,
            headers: [
                .eTag: "\"\(receipt.documents.first?.revision ?? 1)\"",
                .location: "/v1/\(collection)/\(entity.storageID)",
            ]
        )
    }

    func replace(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let id = try context.parameters.require("id")
        let expected = try Self.expectedRevision(request)
        let entity = try await HTTPSupport.decode(E.self, from: request, context: context, now: now())
        guard entity.storageID == id else {
            throw Problem.validation(
                ValidationFailure(
                    path: "id",
                    reason: .inconsistent,
                    message: "the body's id '\(entity.storageID)' is not the path's '\(id)'"
                )
            )
        }
        var condition = expected
        if let checkWrite {
            guard let stored = try await store.entity(E.self, id: id) else {
                throw Problem.notFound("no \(collection) '\(id)'")
            }
            try await checkWrite(stored.entity, entity)
            // What was checked is what gets replaced.
            condition = expected ?? stored.revision
        }
        let receipt = try await store.apply(
            [S.write(entity, operation: .replace(expectedRevision: condition))],
            audit: draft(identity, context, action: "replace", id: id)
        )
        await didWrite(entity, id, receipt)
        return try HTTPSupport.json(entity, headers: [.eTag: "\"\(receipt.documents.first?.revision ?? 0)\""])
    }

    func delete(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let id = try context.parameters.require("id")
        let receipt = try await store.apply(
            [
                DocumentWrite(
                    kind: E.entityKind,
                    id: id,
                    operation: .delete(expectedRevision: try Self.expectedRevision(request))
                )
            ],
            audit: draft(identity, context, action: "delete", id: id)
        )
        await didWrite(nil, id, receipt)
        return HTTPSupport.empty()
    }

    func draft(_ identity: Identity, _ context: CordonRequestContext, action: String, id: String) -> AuditRecord.Draft {
        AuditRecord.Draft(
            actor: identity.username,
            role: identity.role,
            action: "\(collection).\(action)",
            target: "\(collection)/\(id)",
            address: context.remoteAddress
        )
    }

    /// The revision named by `If-Match: "3"`, or nil when the header is absent or `*`.
    static func expectedRevision(_ request: Request) throws -> Int64? {
        guard let header = request.headers[.ifMatch], header != "*" else { return nil }
        let trimmed = header.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))
        guard let revision = Int64(trimmed) else {
            throw Problem.badRequest("If-Match must be an ETag from this API, such as \"3\"", field: "If-Match")
        }
        return revision
    }
}

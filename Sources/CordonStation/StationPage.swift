import CordonCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The station's page over HTTP on loopback: the page itself, its scripts and styles, and a small JSON
/// API the page calls (`/api/…`). Officers sign in with their pass; the session is a cookie that lives
/// as long as the process. A request that changes something must carry `X-Cordon-Station: 1`, which a
/// page of another origin cannot send without asking first, and must name this host.
struct StationPage: Sendable {
    let station: Station
    let folder: URL
    let maximumRequestSize: Int

    /// The session cookie's name: one per checkpoint, so that two stations on one computer (the same
    /// host, other ports, which cookies do not tell apart) keep their sessions apart.
    var sessionCookie: String {
        "cordon_station_" + station.configuration.checkpoint.replacingOccurrences(of: "-", with: "_")
    }
    static let intentHeader = HTTPField.Name("X-Cordon-Station")!

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in try page() }
        router.get("/api/state") { request, _ in
            try await json(station.snapshot(session: session(request)))
        }
        router.post("/api/sign-in") { request, context in
            try await answer(request, context) { body in
                let (key, officer) = try await station.signIn(pass: body.string("pass"))
                var response = try json(["officer": officer])
                response.setCookie(
                    Cookie(name: sessionCookie, value: key, path: "/", httpOnly: true, sameSite: .strict)
                )
                return response
            }
        }
        router.post("/api/sign-out") { request, context in
            try await answer(request, context) { _ in
                await station.signOut(session(request))
                var response = try json(["signed_out": true])
                response.setCookie(
                    Cookie(name: sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict)
                )
                return response
            }
        }
        router.post("/api/alerts/{id}/shown") { request, context in
            try await answer(request, context) { _ in
                try await station.shown(try context.parameters.require("id"), session: session(request))
                return try json(["shown": true])
            }
        }
        router.post("/api/alerts/{id}/ack") { request, context in
            try await answer(request, context) { _ in
                try json(try await station.acknowledge(context.parameters.require("id"), session: session(request)))
            }
        }
        router.post("/api/screen") { request, context in
            try await answer(request, context) { body in
                let key = session(request)
                let screening: StationScreening =
                    switch try body.string("kind") {
                    case "name": try await station.screen(name: body.string("name"), session: key)
                    case "zone": try await station.screen(zone: body.string("zone"), session: key)
                    case "plate": try await station.screen(plate: body.string("plate"), session: key)
                    case "pass": try await station.screen(pass: body.string("pass"), session: key)
                    default: throw StationProblem.invalid(field: "kind", "kind is name, zone, plate or pass")
                    }
                return try json(screening)
            }
        }
        router.post("/api/outcomes") { request, context in
            try await answer(request, context) { body in
                let decision = try await station.record(
                    outcome: body.string("outcome"),
                    screening: body.string("screening"),
                    entry: body.string("entry"),
                    reason: body.optionalString("reason"),
                    session: session(request)
                )
                return try json(decision)
            }
        }
    }

    // MARK: Plumbing

    /// A JSON body's fields, read with a field-level message for each mistake.
    struct Body {
        let object: [String: Any]

        func string(_ key: String) throws(StationProblem) -> String {
            guard let value = object[key] else { throw .invalid(field: key, "\(key) is missing") }
            guard let text = value as? String else { throw .invalid(field: key, "\(key) must be text") }
            return text
        }

        func optionalString(_ key: String) throws(StationProblem) -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw .invalid(field: key, "\(key) must be text") }
            return text
        }
    }

    private func answer(
        _ request: Request,
        _ context: BasicRequestContext,
        _ handle: (Body) async throws -> Response
    ) async throws -> Response {
        do {
            guard request.headers[Self.intentHeader] == "1" else {
                throw StationProblem.invalid(field: "X-Cordon-Station", "send the X-Cordon-Station: 1 header")
            }
            let data = try await request.body.collect(upTo: maximumRequestSize)
            var object: [String: Any] = [:]
            if data.readableBytes > 0 {
                guard let read = try? JSONSerialization.jsonObject(with: Data(data.readableBytesView)) as? [String: Any]
                else {
                    throw StationProblem.invalid(field: "body", "the body must be a JSON object")
                }
                object = read
            }
            return try await handle(Body(object: object))
        } catch let problem as StationProblem {
            return try self.problem(problem)
        }
    }

    private func session(_ request: Request) -> String? {
        request.cookies[sessionCookie]?.value
    }

    private func page() throws -> Response {
        let data = try Data(contentsOf: folder.appendingPathComponent("index.html"))
        var headers = Self.headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        var headers = Self.headers
        headers[.contentType] = "application/json"
        return Response(
            status: .ok,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }

    /// RFC 9457 problem details, with the field at fault.
    private func problem(_ problem: StationProblem) throws -> Response {
        var object: [String: Any] = [
            "type": "about:blank", "title": HTTPResponse.Status(code: problem.status).reasonPhrase,
            "status": problem.status, "detail": problem.message,
        ]
        if let field = problem.field { object["errors"] = [["field": field, "message": problem.message]] }
        var headers = Self.headers
        headers[.contentType] = "application/problem+json"
        return Response(
            status: .init(code: problem.status),
            headers: headers,
            body: .init(
                byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys))
            )
        )
    }

    /// No caching of officers' data; only this station's own scripts, styles and connections.
    static var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "media-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return headers
    }
}

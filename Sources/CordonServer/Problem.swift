package import CordonCore
import Foundation
public import HTTPTypes
public import Hummingbird
import NIOCore

/// An RFC 9457 problem: what every 4xx and 5xx answer of the API carries, as `application/problem+json`.
public struct Problem: Error, Sendable, Codable, HTTPResponseError {
    /// One bad field of a request.
    public struct FieldError: Sendable, Codable, Hashable {
        /// The field as a JSON Pointer into the request body (`/name/parts/0/value`), or the query parameter.
        public var pointer: String
        /// A stable code (`in_future`, `missing`).
        public var reason: String
        /// A sentence for people.
        public var detail: String

        public init(pointer: String, reason: String, detail: String) {
            self.pointer = pointer
            self.reason = reason
            self.detail = detail
        }
    }

    /// A URI naming the kind of problem.
    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String?
    /// The request path.
    public var instance: String?
    /// The field-level problems, for validation failures.
    public var errors: [FieldError]?
    /// Seconds to wait before trying again (429).
    public var retryAfter: Int?

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    /// Creates a problem.
    public init(
        _ status: HTTPResponse.Status,
        type: String,
        title: String,
        detail: String? = nil,
        errors: [FieldError]? = nil,
        retryAfter: Int? = nil
    ) {
        self.type = "https://cordon.example/problems/" + type
        self.title = title
        self.statusCode = status.code
        self.detail = detail
        self.errors = errors
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey {
        case type, title
        case statusCode = "status"
        case detail, instance, errors
        case retryAfter = "retry_after"
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var copy = self
        copy.instance = request.uri.path
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(copy)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if statusCode == 401 { headers[.wwwAuthenticate] = #"Bearer realm="cordon""# }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Common problems

    package static func validation(_ failure: ValidationFailure, prefix: String = "") -> Problem {
        Problem(
            .unprocessableContent,
            type: "validation",
            title: "The request has invalid fields",
            detail: failure.issues.prefix(3).map(\.description).joined(separator: "; "),
            errors: failure.issues.map {
                FieldError(
                    pointer: pointer(prefix.isEmpty ? $0.path : prefix + "." + $0.path),
                    reason: $0.reason.rawValue,
                    detail: $0.message
                )
            }
        )
    }

    package static func badRequest(_ detail: String, field: String? = nil, reason: String = "invalid") -> Problem {
        Problem(
            .badRequest,
            type: "bad-request",
            title: "The request cannot be read",
            detail: detail,
            errors: field.map { [FieldError(pointer: $0, reason: reason, detail: detail)] }
        )
    }

    package static let unauthorized = Problem(
        .unauthorized,
        type: "unauthorized",
        title: "Sign in first",
        detail: "send a valid bearer token (POST /v1/auth/token)"
    )

    package static func forbidden(_ role: Role) -> Problem {
        Problem(
            .forbidden,
            type: "forbidden",
            title: "Not allowed for your role",
            detail: "the role \(role) may not use this route"
        )
    }

    package static func notFound(_ what: String) -> Problem {
        Problem(.notFound, type: "not-found", title: "Not found", detail: what)
    }

    package static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, type: "conflict", title: "Conflict", detail: detail)
    }

    package static func tooLarge(_ limit: Int) -> Problem {
        Problem(
            .contentTooLarge,
            type: "too-large",
            title: "The request body is too large",
            detail: "at most \(limit) bytes"
        )
    }

    /// Turns a validation path (`name.parts[0].value`) into a JSON Pointer (`/name/parts/0/value`).
    package static func pointer(_ path: String) -> String {
        if path.isEmpty { return "" }
        if path.hasPrefix("?") { return path }
        var result = ""
        var token = ""
        func flush() {
            if !token.isEmpty {
                result +=
                    "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }
            token = ""
        }
        for character in path {
            switch character {
            case ".", "[", "]": flush()
            default: token.append(character)
            }
        }
        flush()
        return result
    }
}

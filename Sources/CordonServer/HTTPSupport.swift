package import CordonCore
package import Foundation
package import HTTPTypes
package import Hummingbird
import NIOCore

/// Reading request bodies and writing JSON answers.
package enum HTTPSupport {
    /// Reads the whole body, refusing more than `limit` bytes with 413.
    package static func body(of request: Request, limit: Int) async throws -> Data {
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem.tooLarge(limit)
        }
    }

    /// Decodes a JSON body into a validating model type; bad JSON is 400, bad fields 422.
    package static func decode<T: Decodable>(
        _ type: T.Type,
        from request: Request,
        context: CordonRequestContext,
        now: Date
    ) async throws -> T {
        let contentType = request.headers[.contentType] ?? ""
        if !contentType.isEmpty, !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(
                .unsupportedMediaType,
                type: "unsupported-media-type",
                title: "Send JSON",
                detail: "Content-Type must be application/json"
            )
        }
        return try decode(T.self, json: try await body(of: request, limit: context.maxUploadSize), now: now)
    }

    /// Decodes a JSON body already read; bad JSON is 400, bad fields 422.
    package static func decode<T: Decodable>(_ type: T.Type, json data: Data, now: Date) throws -> T {
        guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
            throw Problem.badRequest("the body is not valid JSON")
        }
        do {
            return try Self.decoder(now: now).decode(T.self, from: data)
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure)
        } catch let error as DecodingError {
            throw Problem.validation(DecodingIssue.failure(for: error, fallbackPath: ""))
        }
    }

    /// The Cordon JSON decoder, refusing instants that answers could not render.
    ///
    /// Answers render instants in UTC with a four-digit year. An instant that is in the years 0000-9999
    /// only in its own offset (`9999-12-31T23:59:59-01:00`), or only before its fractional seconds are
    /// rounded, would be stored and answered as `10000-01-01T…`, which no client, nor this server when it
    /// reads the stored entity back, can parse.
    package static func decoder(now: Date) -> JSONDecoder {
        let decoder = JSONDecoder.cordon(context: ValidationContext(now: now))
        guard case .custom(let parse) = decoder.dateDecodingStrategy else { return decoder }
        let utc = TimeZone(secondsFromGMT: 0)!
        decoder.dateDecodingStrategy = .custom { decoder in
            let date = try parse(decoder)
            guard Instant.parse(Instant.format(date, in: utc)) != nil else {
                throw ValidationFailure(
                    path: CodingPath.render(decoder.codingPath),
                    reason: .outOfRange,
                    message: "must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z"
                )
            }
            return date
        }
        return decoder
    }

    /// A JSON answer, encoded the Cordon way (sorted keys, ISO 8601 instants).
    package static func json(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) throws -> Response {
        let data = try JSONEncoder.cordon().encode(value)
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An empty answer.
    package static func empty(_ status: HTTPResponse.Status = .noContent, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers)
    }

    /// The value of a query parameter, trimmed; nil when absent.
    /// The identifier in the path; one that cannot be an identifier names nothing, so it is not found.
    package static func identifier<Subject>(
        _ context: CordonRequestContext,
        _ collection: String,
        as type: Identifier<Subject>.Type = Identifier<Subject>.self
    ) throws -> Identifier<Subject> {
        let text = try context.parameters.require("id")
        guard let identifier = try? Identifier<Subject>(text) else {
            throw Problem.notFound("no \(collection) '\(text)'")
        }
        return identifier
    }

    package static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters.get(name)
    }

    /// Refuses query parameters the route does not know.
    package static func allowQuery(_ request: Request, _ allowed: Set<String>) throws {
        for (key, _) in request.uri.queryParameters where !allowed.contains(String(key)) {
            throw Problem.badRequest("unknown query parameter '\(key)'", field: "?\(key)", reason: "unknown_key")
        }
    }

    /// An integer query parameter within a range.
    package static func integer(
        _ request: Request,
        _ name: String,
        default value: Int,
        range: ClosedRange<Int>
    ) throws -> Int {
        guard let text = query(request, name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badRequest(
                "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)",
                field: "?\(name)",
                reason: "out_of_range"
            )
        }
        return number
    }
}

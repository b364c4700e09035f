import CordonCore
import CordonDocuments
import CordonMatch
import CordonReading
import CordonScreening
import CordonStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// `POST /v1/read`: a report read for the wanted list (persons, organisations, plates), for analysts and
/// commanders; every read is written to the audit log — who read what (its size, hash and source) and
/// what was found.
///
/// The body is the document itself (`text/plain`, `text/html`, `application/rss+xml`,
/// `application/atom+xml`, `application/xml`; `?source=` names it, `?threshold=` asks for a stricter
/// threshold) or JSON `{"text", "format", "source", "threshold"}`. UTF-8 only, at most the server's
/// `maximumReportSize` bytes.
struct ReadingController<S: Store>: Sendable {
    let screening: ScreeningService
    let readers: ReaderCache
    let maximumSize: Int
    let auditor: AuditCommitter<S>
    let now: @Sendable () -> Date

    func register(on router: inout SecuredRouter) {
        router.group(Roles.analysts).on(.post, "/v1/read") { request, context, identity in
            try await read(request, context: context, identity: identity)
        }
    }

    /// A report sent as JSON.
    struct Body: Decodable {
        let text: String
        let format: ReportDocument.Format?
        let source: String?
        let threshold: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case text, format, source, threshold
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let text = object.required(.text, as: String.self)
            if let text, text.allSatisfy(\.isWhitespace) { object.add("text", .empty, "the report has no text") }
            let format = object.optional(.format, as: String.self)
            if let format, ReportDocument.Format(rawValue: format) == nil {
                object.add("format", .unknownCode, "format is text, html or feed")
            }
            source = object.optional(.source, as: String.self)
            var issues = IssueCollector()
            TextRules.check(source, at: object.path("source"), maxLength: 300, into: &issues)
            object.collector.record(ValidationFailure(issues.issues))
            threshold = object.optional(.threshold, as: Double.self)
            try object.finish()
            self.text = text!
            self.format = format.flatMap(ReportDocument.Format.init)
        }
    }

    func read(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if let charset = contentType.split(separator: ";").dropFirst().first(where: { $0.contains("charset=") }),
            !charset.contains("utf-8")
        {
            throw Problem(
                .unsupportedMediaType,
                type: "unsupported-media-type",
                title: "Send UTF-8",
                detail: "reports are read as UTF-8; send charset=utf-8"
            )
        }
        let bytes: [UInt8]
        var format: ReportDocument.Format?
        var source: String?
        var requested: Double?
        let field: String
        if mediaType == "application/json" || mediaType.isEmpty {
            try HTTPSupport.allowQuery(request, [])
            let data = try await HTTPSupport.body(of: request, limit: maximumSize)
            let body = try HTTPSupport.decode(Body.self, json: data, now: now())
            bytes = Array(body.text.utf8)
            format = body.format
            source = body.source
            requested = body.threshold
            field = "text"
        } else {
            guard let given = Self.formats[mediaType] else {
                throw Problem(
                    .unsupportedMediaType,
                    type: "unsupported-media-type",
                    title: "Send a report",
                    detail: "Content-Type is application/json, text/plain, text/html, application/rss+xml, "
                        + "application/atom+xml or application/xml"
                )
            }
            try HTTPSupport.allowQuery(request, ["source", "threshold"])
            source = HTTPSupport.query(request, "source")
            var issues = IssueCollector()
            TextRules.check(source, at: "?source", maxLength: 300, into: &issues)
            if !issues.issues.isEmpty { throw Problem.validation(ValidationFailure(issues.issues)) }
            if let text = HTTPSupport.query(request, "threshold") {
                guard let value = Double(text) else {
                    throw Problem.validation(
                        ValidationFailure(path: "?threshold", reason: .invalidFormat, message: "a number from 0 to 1")
                    )
                }
                requested = value
            }
            bytes = Array(try await HTTPSupport.body(of: request, limit: maximumSize))
            format = given
            field = ""
        }
        let threshold: Double
        do {
            threshold = try screening.policy.threshold(
                requested: requested,
                path: field.isEmpty ? "?threshold" : "threshold"
            )
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure)
        }
        let document: ReportDocument
        do {
            document = try ReportDocument(bytes: bytes, format: format)
        } catch {
            throw Problem.validation(ValidationFailure(path: field, reason: .invalidFormat, message: error.message))
        }
        let (reader, listVersion) = readers.reader(for: screening)
        // Without a stricter threshold asked for, each entry alerts at its list's.
        let result = reader.read(document, threshold: requested == nil ? nil : threshold)
        var report = ReadingReport(
            source: source ?? "request",
            format: document.format,
            threshold: threshold,
            result: result
        )
        report.listVersion = listVersion
        _ = try await auditor.append(
            .init(
                actor: identity.username,
                role: identity.role,
                action: "read",
                address: context.remoteAddress,
                details: Self.auditDetails(bytes, report: report, result: result)
            )
        )
        return try HTTPSupport.json(report)
    }

    /// What the audit log keeps of a read: the document's size, SHA-256 and source, and every mention
    /// found (entity, offsets, score, alert).
    static func auditDetails(_ bytes: [UInt8], report: ReadingReport, result: ReadingResult) -> JSONValue {
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return .object([
            "source": .string(report.source),
            "format": .string(report.format),
            "bytes": .number(Double(bytes.count)),
            "sha256": .string(digest),
            "list_version": .number(Double(report.listVersion ?? 0)),
            "threshold": .number(report.threshold),
            "mentions": .array(
                result.mentions.map {
                    .object([
                        "entity": .string($0.entity),
                        "start": .number(Double($0.start)),
                        "end": .number(Double($0.end)),
                        "score": .number($0.score),
                        "alert": .bool($0.alert),
                    ])
                }
            ),
        ])
    }

    static var formats: [String: ReportDocument.Format] {
        [
            "text/plain": .text, "text/html": .html, "application/xhtml+xml": .html, "application/rss+xml": .feed,
            "application/atom+xml": .feed, "application/xml": .feed, "text/xml": .feed,
        ]
    }
}

/// The reader of the current list, built again only when the list has changed since.
final class ReaderCache: Sendable {
    private let cached = Mutex<(generation: Int64, listVersion: Int64, reader: TextReader)?>(nil)

    /// The reader for the screening service's current list, and that list's version.
    func reader(for screening: ScreeningService) -> (TextReader, Int64) {
        let snapshot = screening.readingSnapshot()
        if let current = cached.withLock({ $0 }), current.generation == snapshot.generation {
            return (current.reader, current.listVersion)
        }
        let reader = TextReader(index: snapshot.index, plates: snapshot.plates)
        cached.withLock { $0 = (snapshot.generation, snapshot.listVersion, reader) }
        return (reader, snapshot.listVersion)
    }
}

import CordonCore
import CordonReading
import CordonScreening
import CordonStore
import Crypto
import Foundation
import Hummingbird

/// `POST /v1/persons/{id}/sources`: a report attached to a wanted person's timeline as a source, by an
/// analyst, a commander or an admin.
///
/// The body is the report as `POST /v1/read` takes it in JSON (`{"text", "format", "source",
/// "threshold"}`). The report is read again here, so what is recorded is what the server finds, not
/// what a client says: a report that does not name the person with an alerting mention is refused.
/// The timeline event (kind `report`) keeps the report's source, SHA-256 and size, each mention of the
/// person (words and offsets) and who attached it, never the report itself; the same report attached
/// to the same person again answers the event already recorded. Each attachment is audited.
struct PersonSourcesController<S: Store>: Sendable {
    let store: S
    let screening: ScreeningService
    let readers: ReaderCache
    let maximumSize: Int
    let now: @Sendable () -> Date

    func register(on router: inout SecuredRouter) {
        router.group(Roles.analysts).on(.post, "/v1/persons/{id}/sources") { request, context, identity in
            try await attach(request, context: context, identity: identity)
        }
    }

    func attach(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let id = try HTTPSupport.identifier(context, "persons", as: PersonID.self)
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        if !contentType.isEmpty, !contentType.hasPrefix("application/json") {
            throw Problem(
                .unsupportedMediaType,
                type: "unsupported-media-type",
                title: "Send JSON",
                detail: "Content-Type must be application/json: {\"text\", \"format\", \"source\"}"
            )
        }
        let data = try await HTTPSupport.body(of: request, limit: maximumSize)
        let body = try HTTPSupport.decode(ReadingController<S>.Body.self, json: data, now: now())
        guard let person = try await store.entity(Person.self, id: id.rawValue)?.entity else {
            throw Problem.notFound("no persons '\(id)'")
        }
        let threshold: Double
        do {
            threshold = try screening.policy.threshold(requested: body.threshold, path: "threshold")
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure)
        }
        let document: ReportDocument
        do {
            document = try ReportDocument(bytes: Array(body.text.utf8), format: body.format)
        } catch {
            throw Problem.validation(ValidationFailure(path: "text", reason: .invalidFormat, message: error.message))
        }
        let result = readers.reader(for: screening).0.read(document, threshold: body.threshold == nil ? nil : threshold)
        let mentions = result.mentions.filter { $0.entity == id.rawValue }
        guard mentions.contains(where: \.alert) else {
            throw Problem.validation(
                ValidationFailure(
                    path: "text",
                    reason: .inconsistent,
                    message: mentions.isEmpty
                        ? "the report does not name \(person.name.fullName)"
                        : "the report names \(person.name.fullName) only below the alert threshold"
                )
            )
        }
        let bytes = body.text.utf8.count
        let digest = SHA256.hash(data: Array(body.text.utf8)).map { String(format: "%02x", $0) }.joined()
        // One event per report and person: attaching the same report again finds it.
        let key = SHA256.hash(data: Array("\(digest)/\(id.rawValue)".utf8)).map { String(format: "%02x", $0) }
        let eventID = try EventID("report-" + key.joined().prefix(24))
        if let existing = try await store.entity(TimelineEvent.self, id: eventID.rawValue)?.entity {
            return try HTTPSupport.json(existing, status: .ok)
        }
        let attachment: ReportAttachment
        let event: TimelineEvent
        do {
            attachment = try ReportAttachment(
                source: body.source,
                format: document.format.rawValue,
                sha256: digest,
                bytes: bytes,
                attachedBy: identity.username,
                mentions: try mentions.prefix(500).map {
                    try ReportAttachment.Mention(
                        text: String($0.text.prefix(500)),
                        start: $0.start,
                        end: $0.end,
                        alert: $0.alert,
                        basis: $0.basis.rawValue
                    )
                }
            )
            event = try TimelineEvent(
                id: eventID,
                at: now(),
                kind: .report,
                summary: Self.summary(of: attachment, naming: person),
                persons: [id],
                report: attachment
            )
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure)
        }
        _ = try await store.apply(
            [S.write(event, operation: .create)],
            audit: .init(
                actor: identity.username,
                role: identity.role,
                action: "persons.source",
                target: "persons/\(id)",
                address: context.remoteAddress,
                details: .object([
                    "event": .string(eventID.rawValue),
                    "source": body.source.map(JSONValue.string) ?? .null,
                    "format": .string(attachment.format),
                    "bytes": .number(Double(bytes)),
                    "sha256": .string(digest),
                    "mentions": .array(
                        attachment.mentions.map {
                            .object([
                                "start": .number(Double($0.start)),
                                "end": .number(Double($0.end)),
                                "alert": .bool($0.alert),
                            ])
                        }
                    ),
                ])
            )
        )
        return try HTTPSupport.json(event, status: .created)
    }

    /// `Report “Asia-Plus, 23 August” names Mirzoyev Abdurasul: “Мирзоева Абдурасула”, “Мирзоев”
    /// (earlier mention); attached by demo-analyst.`
    static func summary(of attachment: ReportAttachment, naming person: Person) -> String {
        var words: [String] = []
        for mention in attachment.mentions {
            let text = mention.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let note = mention.basis == "earlier_mention" ? " (earlier mention)" : mention.alert ? "" : " (weak)"
            let word = "“\(text.prefix(80))”\(note)"
            if !words.contains(word) { words.append(word) }
        }
        let report = attachment.source.map { "Report “\($0.prefix(200))”" } ?? "A report"
        let names = words.prefix(5).joined(separator: ", ") + (words.count > 5 ? " and \(words.count - 5) more" : "")
        return String(
            "\(report) names \(person.name.fullName): \(names); attached by \(attachment.attachedBy).".prefix(1000)
        )
    }
}

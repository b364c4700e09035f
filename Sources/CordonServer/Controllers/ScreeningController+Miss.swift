import CordonCore
import CordonMatch
import CordonScreening
import CordonStore
import Foundation
import Hummingbird

/// `POST /v1/screen/explain-miss`: why a query did or did not alert on one listed entity, for analysts.
///
/// The body is a single query as `POST /v1/screen` takes it, with `entity` (the listed entry's id) and
/// an optional stricter `threshold`. The entity is scored directly, whether or not the index would have
/// scored it for the query, and the answer says what each factor cost in score points. Audited as
/// `screen.explain_miss` with the query, the entity, the score and the threshold.
extension ScreeningController {
    struct MissBody: Decodable {
        let query: Query
        let entity: String
        let threshold: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case entity, threshold
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self, checksUnknownKeys: false)
            let entity = object.required(.entity, as: String.self)
            if let entity, entity.isEmpty || entity.count > 200 {
                object.add("entity", .invalidFormat, "an entity id has 1-200 characters")
            }
            threshold = object.optional(.threshold, as: Double.self)
            var query: Query?
            do {
                query = try Query(from: decoder, alsoAllowed: ["entity", "threshold"])
            } catch {
                object.collector.record(DecodingIssue.failure(for: error, fallbackPath: ""))
            }
            try object.finish()
            self.query = query!
            self.entity = entity!
        }
    }

    struct MissAnswer: Encodable {
        let listVersion: Int64
        let report: MissReport

        enum CodingKeys: String, CodingKey {
            case listVersion = "list_version"
        }

        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(listVersion, forKey: .listVersion)
        }
    }

    func explainMiss(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let body = try await HTTPSupport.decode(MissBody.self, from: request, context: context, now: now())
        let requested: Double?
        do {
            requested = body.threshold == nil ? nil : try screening.policy.threshold(requested: body.threshold)
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure)
        }
        let found: (miss: MissExplanation, entry: WatchlistEntry, listVersion: Int64)?
        do {
            found = try screening.explainMiss(body.query.screeningQuery, entryID: body.entity)
        } catch let error as ScreeningError {
            throw Problem.validation(ValidationFailure(path: "name", reason: .empty, message: error.description))
        }
        guard let found else { throw Problem.notFound("no listed entity '\(body.entity)'") }
        let report = MissReport(found.miss, entry: found.entry, threshold: requested)
        _ = try await auditor.append(
            .init(
                actor: identity.username,
                role: identity.role,
                action: "screen.explain_miss",
                address: context.remoteAddress,
                details: .object([
                    "index_list_version": .number(Double(found.listVersion)),
                    "name": .string(body.query.name),
                    "birth_date": body.query.birthDate.map { .string($0.description) } ?? .null,
                    "nationality": body.query.nationality.map { .string($0.rawValue) } ?? .null,
                    "entity": .string(report.entity),
                    "score": .number(report.score),
                    "threshold": .number(report.threshold),
                    "alert": .bool(report.alert),
                    "candidate": .bool(report.candidate),
                ])
            )
        )
        return try HTTPSupport.json(MissAnswer(listVersion: found.listVersion, report: report))
    }
}

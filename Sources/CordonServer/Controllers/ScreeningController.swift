import CordonCore
import CordonDocuments
import CordonMatch
import CordonScreening
import CordonStore
import Foundation
import Hummingbird

/// `POST /v1/screen`: one query or a batch against the wanted list, or one plate against the vehicles of
/// interest (see `ScreeningController+Plate.swift`), each hit explained; every request
/// is written to the audit log with the list version it ran against and its hits.
struct ScreeningController<S: Store>: Sendable {
    let store: S
    let screening: ScreeningService
    let now: @Sendable () -> Date
    /// Where every query's audit record goes, in group commits.
    let auditor: AuditCommitter<S>

    func register(on router: inout SecuredRouter) {
        let screeners = router.group(Roles.screeners)
        screeners.on(.post, "/v1/screen") { request, context, identity in
            try await screen(request, context: context, identity: identity)
        }
        router.group(Roles.analysts).on(.post, "/v1/screen/explain-miss") { request, context, identity in
            try await explainMiss(request, context: context, identity: identity)
        }
    }

    /// One query as sent: a name with what else is known, or a machine-readable zone.
    struct Query: Decodable {
        let name: String
        let document: MRZDocument?
        let birthDate: PartialDate?
        let nationality: CountryCode?
        let sex: Sex?
        let documentNumber: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case birthDate = "birth_date"
            case nationality, sex
            case documentNumber = "document_number"
            case mrz
        }

        init(from decoder: any Decoder) throws {
            try self.init(from: decoder, alsoAllowed: [])
        }

        init(from decoder: any Decoder, alsoAllowed: Set<String>) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self, alsoAllowed: alsoAllowed)
            let hasZone = object.container.contains(.mrz)
            document = Self.readZone(&object)
            let name = hasZone ? document?.fullName : object.required(.name, as: String.self)
            birthDate = object.optional(.birthDate, as: PartialDate.self)
            nationality = object.optional(.nationality, as: CountryCode.self)
            sex = object.optional(.sex, as: Sex.self)
            documentNumber = object.optional(.documentNumber, as: String.self)
            if let birthDate, let now = object.context.now, birthDate.isAfter(now) {
                object.add("birth_date", .inFuture, "\(birthDate) is in the future")
            }
            if let name {
                var issues = IssueCollector()
                TextRules.check(name, at: object.path("name"), maxLength: 300, into: &issues)
                object.collector.record(ValidationFailure(issues.issues))
            }
            if let documentNumber, documentNumber.isEmpty || documentNumber.count > 40 {
                object.add("document_number", .invalidFormat, "a document number has 1-40 characters")
            }
            try object.finish()
            self.name = name!
        }

        var screeningQuery: ScreeningQuery {
            if let document { return DocumentScreening.query(for: document) }
            return ScreeningQuery(
                name: name,
                birthDate: birthDate.flatMap { ScreeningDate(year: $0.year, month: $0.month, day: $0.day) },
                nationality: nationality?.rawValue,
                gender: sex == .male ? .male : sex == .female ? .female : nil,
                documentNumber: documentNumber
            )
        }
    }

    /// The request: a single query's fields, or `queries`.
    struct Body: Decodable {
        let queries: [Query]
        let isBatch: Bool
        let limit: Int
        /// A stricter threshold asked for; checked against the server's when the request is screened.
        let threshold: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case birthDate = "birth_date"
            case nationality, sex
            case documentNumber = "document_number"
            case mrz
            case limit, queries, threshold
        }

        init(from decoder: any Decoder) throws {
            let isBatch = (try? decoder.container(keyedBy: CodingKeys.self))?.contains(.queries) ?? false
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self, checksUnknownKeys: isBatch)
            let limit = object.optional(.limit, as: Int.self) ?? 10
            if !(1...100).contains(limit) { object.add("limit", .outOfRange, "limit must be from 1 to 100") }
            threshold = object.optional(.threshold, as: Double.self)
            if isBatch {
                for key in [CodingKeys.name, .birthDate, .nationality, .sex, .documentNumber, .mrz]
                where object.container.contains(key) {
                    object.add(key.rawValue, .inconsistent, "a batch carries its fields inside queries")
                }
                let queries = object.required(.queries, as: [Collected<Query>].self) ?? []
                var good: [Query] = []
                for (index, element) in queries.enumerated() {
                    switch element.result {
                    case .success(let query): good.append(query)
                    case .failure(let error):
                        object.collector.record(DecodingIssue.failure(for: error, fallbackPath: "queries[\(index)]"))
                    }
                }
                if queries.isEmpty { object.add("queries", .empty, "a batch needs at least one query") }
                if queries.count > 100 { object.add("queries", .tooLong, "a batch has at most 100 queries") }
                try object.finish()
                self.queries = good
            } else {
                var query: Query?
                do {
                    query = try Query(from: decoder, alsoAllowed: ["limit", "threshold"])
                } catch {
                    object.collector.record(DecodingIssue.failure(for: error, fallbackPath: ""))
                }
                try object.finish()
                self.queries = [query!]
            }
            self.isBatch = isBatch
            self.limit = limit
        }
    }

    struct Answer: Encodable {
        /// The threshold of a hit on no named list; each hit states its own.
        let threshold: Double
        let listVersion: Int64
        let hits: [HitReport]
        let document: DocumentReport?

        enum CodingKeys: String, CodingKey {
            case threshold
            case listVersion = "list_version"
            case hits, document
        }
    }

    struct BatchAnswer: Encodable {
        struct Result: Encodable {
            let hits: [HitReport]
            let document: DocumentReport?
        }

        /// The threshold of a hit on no named list; each hit states its own.
        let threshold: Double
        let listVersion: Int64
        let results: [Result]

        enum CodingKeys: String, CodingKey {
            case threshold
            case listVersion = "list_version"
            case results
        }
    }

    /// The hits of one query as the audit log keeps them: id, score and whether it alerted.
    static func auditHits(_ hits: [(id: String, score: Double, alert: Bool)]) -> JSONValue {
        .array(hits.map { .object(["id": .string($0.id), "score": .number($0.score), "alert": .bool($0.alert)]) })
    }

    func screen(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let screened = try await HTTPSupport.decode(ScreenRequest.self, from: request, context: context, now: now())
        let body: Body
        switch screened.kind {
        case .names(let names): body = names
        case .plate(let plate): return try await screenPlate(plate, context: context, identity: identity)
        }
        let threshold = try screening.policy.threshold(requested: body.threshold)
        let outcome: (results: [[(hit: ScreeningHit, entry: WatchlistEntry)]], listVersion: Int64)
        do {
            outcome = try screening.screen(body.queries.map(\.screeningQuery), limit: body.limit)
        } catch let error as ScreeningError {
            throw Problem.validation(ValidationFailure(path: "name", reason: .empty, message: error.description))
        }
        let results = outcome.results.map { hits in
            hits.map { hit, entry in HitReport(hit, entry: entry, requested: body.threshold) }
        }
        let details = JSONValue.object([
            "index_list_version": .number(Double(outcome.listVersion)),
            "threshold": .number(threshold),
            "queries": .array(
                zip(body.queries, results).map { query, hits -> JSONValue in
                    let document = query.document.map(Self.auditDetails) ?? JSONValue.null
                    return .object([
                        "name": .string(query.name),
                        "birth_date": query.birthDate.map { .string($0.description) } ?? .null,
                        "nationality": query.nationality.map { .string($0.rawValue) } ?? .null,
                        "document": document,
                        "hits": Self.auditHits(hits.map { ($0.id, $0.score, $0.alert) }),
                    ])
                }
            ),
        ])
        _ = try await auditor.append(
            .init(
                actor: identity.username,
                role: identity.role,
                action: body.isBatch ? "screen.batch" : "screen",
                address: context.remoteAddress,
                details: details
            )
        )
        if body.isBatch {
            return try HTTPSupport.json(
                BatchAnswer(
                    threshold: threshold,
                    listVersion: outcome.listVersion,
                    results: zip(body.queries, results).map {
                        .init(hits: $1, document: $0.document.map(DocumentReport.init))
                    }
                )
            )
        }
        return try HTTPSupport.json(
            Answer(
                threshold: threshold,
                listVersion: outcome.listVersion,
                hits: results[0],
                document: body.queries[0].document.map(DocumentReport.init)
            )
        )
    }
}

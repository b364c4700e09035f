import CordonCore
import CordonDocuments
import CordonScreening
import CordonStore
import Foundation
import Hummingbird
import NIOCore

/// `POST /v1/lists/import` and `GET /v1/lists/export`: the wanted list in FollowTheMoney JSON lines or CSV.
///
/// An import writes every good row in one transaction and answers with the rows it left out and why.
struct ListsController<S: Store>: Sendable {
    let store: S
    let screening: ScreeningService
    let maximumSize: Int
    let now: @Sendable () -> Date

    struct Report: Encodable {
        let imported: Int
        let persons: Int
        let organizations: Int
        let rejected: [ListImport.Rejection]
        let warnings: [ListImport.Warning]
        let listVersion: Int64

        enum CodingKeys: String, CodingKey {
            case imported, persons, organizations, rejected, warnings
            case listVersion = "list_version"
        }
    }

    /// The answer when no row could be imported: a 422 problem (RFC 9457) whose extension members are
    /// the report's, so that the client learns why every row was left out.
    struct RejectedList: Encodable {
        let report: Report
        let instance: String

        enum CodingKeys: String, CodingKey {
            case type, title, status, detail, instance
        }

        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("https://cordon.example/problems/list-rejected", forKey: .type)
            try container.encode("No row of the list could be imported", forKey: .title)
            try container.encode(422, forKey: .status)
            try container.encode("\(report.rejected.count) rows rejected; see rejected", forKey: .detail)
            try container.encode(instance, forKey: .instance)
        }

        func response() throws -> Response {
            let encoder = JSONEncoder.cordon()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Response(
                status: .unprocessableContent,
                headers: [.contentType: "application/problem+json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(self)))
            )
        }
    }

    func register(on router: inout SecuredRouter) {
        let command = router.group(Roles.command)
        command.on(.post, "/v1/lists/import") { request, context, identity in
            try HTTPSupport.allowQuery(request, ["format", "list"])
            let format = try Self.format(request)
            let listName = try Self.listName(request)
            let data = try await HTTPSupport.body(of: request, limit: maximumSize)
            guard let text = String(data: data, encoding: .utf8) else {
                throw Problem.badRequest("the body is not UTF-8 text")
            }
            let validation = ValidationContext(now: now())
            var list =
                format == "csv"
                ? CSVList.read(text, listedAt: now(), context: validation)
                : FollowTheMoney.read(text, listedAt: now(), context: validation)
            if let listName {
                list.persons = try list.persons.map { person in
                    person.replacingWanted(try person.wanted?.onList(listName))
                }
            }
            var writes: [DocumentWrite] = []
            for person in list.persons { writes.append(try S.write(person, operation: .upsert)) }
            for organization in list.organizations { writes.append(try S.write(organization, operation: .upsert)) }
            var listVersion = try await store.listVersion()
            if !writes.isEmpty {
                let receipt = try await store.apply(
                    writes,
                    audit: .init(
                        actor: identity.username,
                        role: identity.role,
                        action: "lists.import",
                        target: "lists",
                        address: context.remoteAddress,
                        details: .object([
                            "format": .string(format), "list": listName.map { .string($0) } ?? .null,
                            "persons": .number(Double(list.persons.count)),
                            "organizations": .number(Double(list.organizations.count)),
                            "rejected": .number(Double(list.rejected.count)),
                        ])
                    )
                )
                listVersion = receipt.listVersion
                for person in list.persons { screening.update(person, listVersion: listVersion) }
                for organization in list.organizations { screening.update(organization, listVersion: listVersion) }
            }
            let report = Report(
                imported: writes.count,
                persons: list.persons.count,
                organizations: list.organizations.count,
                rejected: list.rejected,
                warnings: list.warnings,
                listVersion: listVersion
            )
            if writes.isEmpty && !list.rejected.isEmpty {
                return try RejectedList(report: report, instance: request.uri.path).response()
            }
            return try HTTPSupport.json(report)
        }
        command.on(.get, "/v1/lists/export") { request, _, _ in
            try HTTPSupport.allowQuery(request, ["format"])
            let format = try Self.format(request)
            let persons = try await store.allEntities(Person.self).filter { $0.wanted != nil }
            let organizations = try await store.allEntities(Organization.self)
            let text =
                format == "csv"
                ? CSVList.write(persons: persons, organizations: organizations)
                : FollowTheMoney.write(persons: persons, organizations: organizations)
            return Response(
                status: .ok,
                headers: [.contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text))
            )
        }
    }

    /// The `?list=NAME` an import is recorded under: its persons are wanted on that list, which may have a
    /// threshold of its own.
    static func listName(_ request: Request) throws -> String? {
        guard let name = HTTPSupport.query(request, "list") else { return nil }
        guard Wanted.isListName(name) else {
            throw Problem.badRequest(
                "list must be 1-64 letters, digits, '-', '_' or '.'",
                field: "?list",
                reason: "invalid_format"
            )
        }
        return name
    }

    static func format(_ request: Request) throws -> String {
        let format = HTTPSupport.query(request, "format") ?? "ftm"
        guard format == "ftm" || format == "csv" else {
            throw Problem.badRequest("format must be ftm or csv", field: "?format", reason: "unknown_code")
        }
        return format
    }
}

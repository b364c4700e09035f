public import CordonCore
public import Foundation

/// Reads and writes FollowTheMoney entities as JSON lines (the format OpenSanctions publishes).
///
/// Reads `Person`, `Organization`, `Company` and `LegalEntity` entities; other schemas are reported as
/// rejected lines. Each line is parsed on its own: a bad line is reported with its number and reason,
/// and the good ones still load.
public enum FollowTheMoney {
    /// The most lines one import reads.
    public static let maximumLines = 200_000

    /// Parses JSON lines.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - listedAt: when the persons are recorded as wanted.
    ///   - context: what "now" is, for birth dates.
    public static func read(_ text: String, listedAt: Date, context: ValidationContext) -> ListImport {
        var result = ListImport()
        var seen = Set<String>()
        var number = 0
        // A line ends at LF or CR LF: a Swift `Character` holds CR LF whole, so it is not an LF.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            if number > maximumLines {
                result.rejected.append(
                    .init(line: number, reason: "more than \(maximumLines) lines; the rest is not read")
                )
                break
            }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let data = trimmed.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else {
                result.rejected.append(.init(line: number, reason: "not a JSON object"))
                continue
            }
            guard let id = object["id"] as? String, !id.isEmpty else {
                result.rejected.append(.init(line: number, reason: "no id"))
                continue
            }
            guard let schema = object["schema"] as? String else {
                result.rejected.append(.init(line: number, reason: "no schema"))
                continue
            }
            let properties = object["properties"] as? [String: Any] ?? [:]
            func values(_ key: String) -> [String] {
                (properties[key] as? [Any] ?? []).compactMap { $0 as? String }
            }
            let names = values("name")
            let name = names.first ?? object["caption"] as? String ?? ""
            if name.trimmingSpaces().isEmpty {
                result.rejected.append(.init(line: number, reason: "no name"))
                continue
            }
            guard let slug = ListImport.slug(id), seen.insert(slug).inserted else {
                result.rejected.append(.init(line: number, reason: "the id '\(id)' appears twice or is empty"))
                continue
            }
            switch schema {
            case "Person":
                result.makePerson(
                    line: number,
                    id: id,
                    name: name,
                    given: values("firstName").first,
                    patronymic: values("fatherName").first ?? values("middleName").first,
                    family: values("lastName").first,
                    aliases: Array(names.dropFirst()) + values("alias") + values("previousName"),
                    weakAliases: values("weakAlias"),
                    birthDates: values("birthDate"),
                    nationalities: values("nationality") + values("citizenship"),
                    gender: values("gender").first,
                    documents: values("passportNumber") + values("idNumber"),
                    listedAt: listedAt,
                    context: context
                )
            case "Organization", "Company", "LegalEntity":
                result.makeOrganization(
                    line: number,
                    id: id,
                    name: name,
                    aliases: Array(names.dropFirst()) + values("alias") + values("previousName") + values("weakAlias"),
                    acronyms: values("abbreviation")
                )
            default:
                result.rejected.append(
                    .init(line: number, reason: "schema '\(schema)' is not a person or an organization")
                )
            }
        }
        return result
    }

    /// Writes wanted persons and organisations as FollowTheMoney JSON lines.
    public static func write(persons: [Person], organizations: [Organization]) -> String {
        var lines: [String] = []
        for person in persons {
            var properties: [String: JSONValue] = [
                "name": .array([.string(person.name.fullName)]),
                "topics": .array([.string("wanted")]),
            ]
            func put(_ key: String, _ values: [String]) {
                if !values.isEmpty { properties[key] = .array(values.map(JSONValue.string)) }
            }
            put("alias", person.aliases.filter { $0.kind != .weak }.map(\.value))
            put("weakAlias", person.aliases.filter { $0.kind == .weak }.map(\.value))
            put("birthDate", person.birthDate.map { [$0.description] } ?? [])
            put("nationality", person.nationalities.map { $0.rawValue.lowercased() })
            put("gender", person.sex == .unknown ? [] : [person.sex.rawValue])
            put("firstName", person.name.part(.given).map { [$0] } ?? [])
            put("fatherName", person.name.part(.patronymic).map { [$0] } ?? [])
            put("lastName", person.name.part(.family).map { [$0] } ?? [])
            put("passportNumber", person.documents.filter { $0.kind == .passport }.map(\.number))
            lines.append(
                JSONValue.object([
                    "id": .string(person.id.rawValue), "schema": .string("Person"), "properties": .object(properties),
                ]).canonicalText
            )
        }
        for organization in organizations {
            var properties: [String: JSONValue] = ["name": .array([.string(organization.name)])]
            if !organization.aliases.isEmpty || !organization.acronyms.isEmpty {
                properties["alias"] = .array((organization.acronyms + organization.aliases).map(JSONValue.string))
            }
            lines.append(
                JSONValue.object([
                    "id": .string(organization.id.rawValue), "schema": .string("Organization"),
                    "properties": .object(properties),
                ]).canonicalText
            )
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}

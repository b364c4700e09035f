public import CordonCore
public import Foundation

/// Reads and writes Cordon's CSV list: a header line, then one entity a line.
///
/// Columns: `id,type,name,aliases,birth_date,nationalities,gender` — `type` is `person` or
/// `organization`; `aliases` and `nationalities` hold several values separated by `;`. Fields may be
/// quoted with `"` (a quote inside doubled), as in RFC 4180.
public enum CSVList {
    /// The header Cordon writes and expects.
    public static let header = ["id", "type", "name", "aliases", "birth_date", "nationalities", "gender"]

    /// Parses a CSV list.
    public static func read(_ text: String, listedAt: Date, context: ValidationContext) -> ListImport {
        var result = ListImport()
        let rows = parse(text)
        guard let first = rows.first else {
            result.rejected.append(.init(line: 1, reason: "the file is empty"))
            return result
        }
        let columns = first.fields.map { $0.trimmingSpaces().lowercased() }
        let missing = header.filter { !columns.contains($0) }
        if !missing.isEmpty {
            result.rejected.append(
                .init(line: first.line, reason: "the header lacks \(missing.joined(separator: ", "))")
            )
            return result
        }
        var seen = Set<String>()
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingSpaces().isEmpty }) { continue }
            if let problem = row.problem {
                result.rejected.append(.init(line: row.line, reason: problem))
                continue
            }
            guard row.fields.count == columns.count else {
                result.rejected.append(
                    .init(line: row.line, reason: "has \(row.fields.count) fields; the header has \(columns.count)")
                )
                continue
            }
            var field: [String: String] = [:]
            for (key, value) in zip(columns, row.fields) { field[key] = value.trimmingSpaces() }
            func list(_ key: String) -> [String] {
                (field[key] ?? "").split(separator: ";").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            }
            let id = field["id"] ?? ""
            let name = field["name"] ?? ""
            guard !name.isEmpty else {
                result.rejected.append(.init(line: row.line, reason: "no name"))
                continue
            }
            guard let slug = ListImport.slug(id), seen.insert(slug).inserted else {
                result.rejected.append(.init(line: row.line, reason: "the id '\(id)' appears twice or is empty"))
                continue
            }
            switch field["type"]?.lowercased() {
            case "person":
                result.makePerson(
                    line: row.line,
                    id: id,
                    name: name,
                    aliases: list("aliases"),
                    weakAliases: [],
                    birthDates: list("birth_date"),
                    nationalities: list("nationalities"),
                    gender: field["gender"],
                    listedAt: listedAt,
                    context: context
                )
            case "organization":
                result.makeOrganization(line: row.line, id: id, name: name, aliases: list("aliases"), acronyms: [])
            default:
                result.rejected.append(.init(line: row.line, reason: "type must be person or organization"))
            }
        }
        return result
    }

    /// Writes wanted persons and organisations as a CSV list.
    public static func write(persons: [Person], organizations: [Organization]) -> String {
        var lines = [header.joined(separator: ",")]
        for person in persons {
            lines.append(
                [
                    person.id.rawValue, "person", person.name.fullName,
                    person.aliases.map(\.value).joined(separator: ";"),
                    person.birthDate?.description ?? "", person.nationalities.map(\.rawValue).joined(separator: ";"),
                    person.sex == .unknown ? "" : person.sex.rawValue,
                ].map(quote).joined(separator: ",")
            )
        }
        for organization in organizations {
            lines.append(
                [
                    organization.id.rawValue, "organization", organization.name,
                    (organization.acronyms + organization.aliases).joined(separator: ";"), "", "", "",
                ].map(quote).joined(separator: ",")
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quote(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }

    struct Row {
        var line: Int
        var fields: [String]
        var problem: String?
    }

    /// Splits RFC 4180 CSV into rows, noting each row's first line number.
    static func parse(_ text: String) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var problem: String?
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func endRow() {
            fields.append(field)
            rows.append(Row(line: rowLine, fields: fields, problem: problem))
            fields = []
            field = ""
            problem = nil
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            inQuotes = false
                            pending = next
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                if field.isEmpty { inQuotes = true } else { problem = "a quote in the middle of an unquoted field" }
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                endRow()
                line += 1
                rowLine = line
            default:
                field.append(character)
            }
        }
        if inQuotes { problem = "a quoted field is not closed" }
        if !field.isEmpty || !fields.isEmpty || problem != nil { endRow() }
        return rows
    }
}

public import CordonCore
import Foundation

/// The entities read from an outside list, and the lines that could not be read.
public struct ListImport: Sendable {
    /// A line that was left out, and why.
    public struct Rejection: Sendable, Hashable, Codable {
        public let line: Int
        public let reason: String
    }

    /// A line that was read with a value left out, and why.
    public struct Warning: Sendable, Hashable, Codable {
        public let line: Int
        public let message: String
    }

    public var persons: [Person] = []
    public var organizations: [Organization] = []
    public var rejected: [Rejection] = []
    public var warnings: [Warning] = []

    public init() {}

    /// Turns an outside identifier into a Cordon slug: lower case, other characters as `-`, at most 64
    /// characters (a long one keeps its start and a digest of the whole).
    public static func slug(_ text: String, prefix: String = "") -> String? {
        var slug = ""
        for scalar in (prefix + text).lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" {
                slug.unicodeScalars.append(scalar)
            } else if !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasPrefix("-") || slug.hasPrefix(".") || slug.hasPrefix("_") { slug.removeFirst() }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.isEmpty { return nil }
        if slug.count > 64 {
            // The start loses a dash it ends with, so that the slug read again is the same slug.
            var start = String(slug.prefix(51))
            while start.hasSuffix("-") { start.removeLast() }
            slug = start + "-" + AuditChain.digest(text).prefix(12)
        }
        return slug
    }

    /// Builds a wanted person from loose fields, noting values that had to be left out.
    mutating func makePerson(
        line: Int,
        id: String,
        name: String,
        given: String? = nil,
        patronymic: String? = nil,
        family: String? = nil,
        aliases: [String],
        weakAliases: [String],
        birthDates: [String],
        nationalities: [String],
        gender: String?,
        documents: [String] = [],
        listedAt: Date,
        context: ValidationContext
    ) {
        guard let slug = Self.slug(id) else {
            rejected.append(.init(line: line, reason: "the id '\(id)' has no letters or digits"))
            return
        }
        do {
            let personName: PersonName
            if given != nil || family != nil {
                personName = try PersonName(given: given, patronymic: patronymic, family: family)
            } else {
                let words = name.split(whereSeparator: \.isWhitespace).prefix(12)
                personName = try PersonName(parts: words.map { try PersonName.Part(.other, String($0)) })
            }
            var allAliases: [Alias] = []
            if given != nil || family != nil, !name.isEmpty, name != personName.fullName {
                allAliases.append(try Alias(.spelling, name))
            }
            for alias in aliases where !alias.trimmingSpaces().isEmpty && alias.count <= 200 {
                allAliases.append(try Alias(.alias, alias))
            }
            for alias in weakAliases where !alias.trimmingSpaces().isEmpty && alias.count <= 200 {
                allAliases.append(try Alias(.weak, alias))
            }
            var birthDate: PartialDate?
            for text in birthDates {
                if let date = try? PartialDate(String(text.prefix(10))) {
                    birthDate = birthDate ?? date
                } else {
                    warnings.append(.init(line: line, message: "birth date '\(text)' left out"))
                }
            }
            var countries: [CountryCode] = []
            for text in nationalities {
                if let code = try? CountryCode(text), !countries.contains(code) {
                    countries.append(code)
                } else if (try? CountryCode(text)) == nil {
                    warnings.append(
                        .init(line: line, message: "nationality '\(text)' is not an ISO 3166-1 code; left out")
                    )
                }
            }
            let sex: Sex =
                switch gender?.lowercased() {
                case "male", "m": .male
                case "female", "f": .female
                default: .unknown
                }
            var papers: [TravelDocument] = []
            if let country = countries.first {
                for number in documents {
                    if let document = try? TravelDocument(kind: .passport, country: country, number: number) {
                        papers.append(document)
                    }
                }
            }
            let wanted = try Wanted(
                reason: "listed",
                history: [try Wanted.StatusChange(status: .atLarge, at: listedAt, note: "imported")]
            )
            persons.append(
                try Person(
                    id: try PersonID(slug),
                    name: personName,
                    aliases: Array(allAliases.prefix(200)),
                    birthDate: birthDate.flatMap { date in context.now.map { date.isAfter($0) } == true ? nil : date },
                    sex: sex,
                    nationalities: countries,
                    documents: papers,
                    wanted: wanted,
                    context: context
                )
            )
        } catch let failure as ValidationFailure {
            rejected.append(.init(line: line, reason: failure.description))
        } catch {
            rejected.append(.init(line: line, reason: String(describing: error)))
        }
    }

    mutating func makeOrganization(line: Int, id: String, name: String, aliases: [String], acronyms: [String]) {
        guard let slug = Self.slug(id) else {
            rejected.append(.init(line: line, reason: "the id '\(id)' has no letters or digits"))
            return
        }
        do {
            organizations.append(
                try Organization(
                    id: try OrganizationID(slug),
                    name: name,
                    acronyms: acronyms.filter { !$0.isEmpty && $0.count <= 20 },
                    aliases: aliases.filter { !$0.trimmingSpaces().isEmpty && $0.count <= 300 },
                    kind: .other
                )
            )
        } catch let failure as ValidationFailure {
            rejected.append(.init(line: line, reason: failure.description))
        } catch {
            rejected.append(.init(line: line, reason: String(describing: error)))
        }
    }
}

public import Foundation

/// Parses watchlists from JSON Lines text: Cordon's own list format and the FollowTheMoney entities
/// OpenSanctions publishes. Pure: the caller reads the file.
///
/// Every line is parsed on its own; a bad line is reported with its number and reason and the good
/// lines still load.
public enum WatchlistReader {
    /// A line that could not be loaded.
    public struct LineIssue: Sendable, Hashable, CustomStringConvertible {
        /// The 1-based line number.
        public var line: Int
        /// Why the line was skipped, or what was ignored.
        public var reason: String
        /// Whether the whole line was skipped (`false`: the entry loaded, part of it was ignored).
        public var isSkipped: Bool

        /// Creates an issue.
        public init(line: Int, reason: String, isSkipped: Bool = true) {
            self.line = line
            self.reason = reason
            self.isSkipped = isSkipped
        }

        /// `line N: reason`.
        public var description: String { "line \(line): \(reason)" }
    }

    /// The outcome of reading a list.
    public struct Result: Sendable {
        /// The entries that loaded.
        public var entries: [WatchlistEntry]
        /// The lines that did not load, and parts of lines that were ignored, with reasons.
        public var issues: [LineIssue]
    }

    /// Parses JSON Lines, detecting the format of each line.
    ///
    /// A line with `schema` and `properties` is read as a FollowTheMoney entity (Person,
    /// Organization, Company, LegalEntity); any other object as a Cordon entry
    /// (`id, type, name, aliases[], weak_aliases[], birth_dates[], nationalities[], gender`, and
    /// optionally `documents[]`). Blank lines are skipped.
    ///
    /// - Parameter data: the file's bytes, UTF-8.
    /// - Returns: the entries and the issues.
    public static func parse(_ data: Data) -> Result {
        var entries: [WatchlistEntry] = []
        var issues: [LineIssue] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            switch parseLine(Data(line)) {
            case .success(let (entry, warning)):
                entries.append(entry)
                if let warning { issues.append(LineIssue(line: lineNumber, reason: warning, isSkipped: false)) }
            case .failure(let reason): issues.append(LineIssue(line: lineNumber, reason: reason.message))
            }
        }
        return Result(entries: entries, issues: issues)
    }

    /// Parses JSON Lines given as a string. See ``parse(_:)-(Data)``.
    public static func parse(_ text: String) -> Result { parse(Data(text.utf8)) }

    struct Failure: Error {
        var message: String
    }

    static func parseLine(_ line: Data) -> Swift.Result<(WatchlistEntry, String?), Failure> {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: line)
        } catch {
            return .failure(Failure(message: "not valid JSON"))
        }
        guard let dict = object as? [String: Any] else { return .failure(Failure(message: "not a JSON object")) }
        if dict["schema"] != nil, let properties = dict["properties"] as? [String: Any] {
            return parseFollowTheMoney(dict, properties: properties)
        }
        return parseCordon(dict)
    }

    static func strings(_ value: Any?) -> [String] {
        switch value {
        case let s as String: return s.isEmpty ? [] : [s]
        case let a as [Any]: return a.compactMap { $0 as? String }.filter { !$0.isEmpty }
        default: return []
        }
    }

    static func dates(_ raw: [String]) -> (dates: [ScreeningDate], bad: [String]) {
        var out: [ScreeningDate] = []
        var bad: [String] = []
        for r in raw {
            if let d = ScreeningDate(iso: r) { out.append(d) } else { bad.append(r) }
        }
        return (out, bad)
    }

    static func parseCordon(_ dict: [String: Any]) -> Swift.Result<(WatchlistEntry, String?), Failure> {
        guard let id = dict["id"] as? String, !id.isEmpty else { return .failure(Failure(message: "missing \"id\"")) }
        guard let name = dict["name"] as? String, name.contains(where: { $0.isLetter || $0.isNumber }) else {
            return .failure(Failure(message: "entry \(id): missing or empty \"name\""))
        }
        let kind: WatchlistEntry.Kind
        switch (dict["type"] as? String)?.lowercased() {
        case nil, "person": kind = .person
        case "organization", "organisation": kind = .organization
        case let other?: return .failure(Failure(message: "entry \(id): unknown type \"\(other)\""))
        }
        let (birthDates, badDates) = dates(strings(dict["birth_dates"]))
        let gender = (dict["gender"] as? String).flatMap { WatchlistEntry.Gender(rawValue: $0.lowercased()) }
        return .success(
            (
                WatchlistEntry(
                    id: id,
                    kind: kind,
                    name: name,
                    aliases: strings(dict["aliases"]),
                    weakAliases: strings(dict["weak_aliases"]),
                    birthDates: birthDates,
                    nationalities: strings(dict["nationalities"]),
                    gender: gender,
                    documentNumbers: strings(dict["documents"])
                ),
                badDates.first.map { "entry \(id): bad birth date \"\($0)\" ignored (want YYYY[-MM[-DD]])" }
            )
        )
    }

    static func parseFollowTheMoney(
        _ dict: [String: Any],
        properties p: [String: Any]
    )
        -> Swift.Result<(WatchlistEntry, String?), Failure>
    {
        guard let id = dict["id"] as? String, !id.isEmpty else { return .failure(Failure(message: "missing \"id\"")) }
        let schema = dict["schema"] as? String ?? ""
        let kind: WatchlistEntry.Kind
        switch schema {
        case "Person": kind = .person
        case "Organization", "Company", "LegalEntity", "PublicBody": kind = .organization
        default: return .failure(Failure(message: "entity \(id): schema \"\(schema)\" is not screened"))
        }
        var names = strings(p["name"])
        if names.isEmpty, let caption = dict["caption"] as? String, !caption.isEmpty { names = [caption] }
        guard let primary = names.first else {
            return .failure(Failure(message: "entity \(id): no \"name\" property"))
        }
        var aliases = Array(names.dropFirst()) + strings(p["alias"]) + strings(p["previousName"])
        if kind == .person {
            let first = strings(p["firstName"]).first
            let last = strings(p["lastName"]).first
            let middle = strings(p["middleName"]) + strings(p["fatherName"])
            if let first, let last { aliases.append(([first] + middle + [last]).joined(separator: " ")) }
        }
        let (birthDates, _) = dates(strings(p["birthDate"]))
        let nationalities = (strings(p["nationality"]) + strings(p["citizenship"]) + strings(p["country"]))
            .filter { $0.count == 2 }
        let gender = strings(p["gender"]).first.flatMap { WatchlistEntry.Gender(rawValue: $0.lowercased()) }
        let documents = strings(p["passportNumber"]) + strings(p["idNumber"])
        var seen = Set<String>()
        return .success(
            (
                WatchlistEntry(
                    id: id,
                    kind: kind,
                    name: primary,
                    aliases: aliases.filter { $0 != primary && seen.insert($0).inserted },
                    weakAliases: strings(p["weakAlias"]),
                    birthDates: birthDates,
                    nationalities: Array(Set(nationalities.map { $0.uppercased() })).sorted(),
                    gender: gender,
                    documentNumbers: documents
                ),
                nil
            )
        )
    }
}

/// Parses the queries of a batch screening run: JSON Lines `{"id", "name", "birth_date", "nationality"}`.
public enum ScreeningQueryReader {
    /// One query of a batch.
    public struct Item: Sendable {
        /// The query's id, echoed in the output.
        public var id: String
        /// The query.
        public var query: ScreeningQuery
    }

    /// Parses a batch; only `id`, `name`, `birth_date` and `nationality` are read, other keys are
    /// ignored. Bad lines are reported with their number and reason.
    ///
    /// - Parameter data: the file's bytes, UTF-8.
    /// - Returns: the queries in input order and the issues.
    public static func parse(_ data: Data) -> (items: [Item], issues: [WatchlistReader.LineIssue]) {
        var items: [Item] = []
        var issues: [WatchlistReader.LineIssue] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                issues.append(.init(line: lineNumber, reason: "not a JSON object"))
                continue
            }
            let id: String
            if let s = object["id"] as? String {
                id = s
            } else if let n = object["id"] as? NSNumber {
                id = n.stringValue
            } else {
                issues.append(.init(line: lineNumber, reason: "missing \"id\""))
                continue
            }
            guard let name = object["name"] as? String else {
                issues.append(.init(line: lineNumber, reason: "query \(id): missing \"name\""))
                continue
            }
            let born = (object["birth_date"] as? String).flatMap(ScreeningDate.init(iso:))
            let nationality = (object["nationality"] as? String).flatMap { $0.count == 2 ? $0 : nil }
            items.append(Item(id: id, query: ScreeningQuery(name: name, birthDate: born, nationality: nationality)))
        }
        return (items, issues)
    }
}

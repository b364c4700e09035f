/// A group people belong to: an armed group, a party, a criminal network, a state body.
public struct Organization: Sendable, Hashable, Codable, Identifiable {
    /// What kind of organisation it is.
    public enum Kind: String, CodedEnum {
        case armedGroup = "armed_group"
        case political
        case criminal
        case state
        case other
    }

    public let id: OrganizationID
    /// The name as the source writes it, in any script.
    public let name: String
    /// Acronyms in any script (`IMU`, `ИДУ`).
    public let acronyms: [String]
    /// Other names and spellings, in any script.
    public let aliases: [String]
    public let kind: Kind
    public let notes: String?

    /// Creates an organisation.
    ///
    /// - Throws: ``ValidationFailure`` for an empty or overlong name, acronym or alias.
    public init(
        id: OrganizationID,
        name: String,
        acronyms: [String] = [],
        aliases: [String] = [],
        kind: Kind,
        notes: String? = nil
    ) throws {
        var issues = IssueCollector()
        TextRules.check(name, at: "name", maxLength: 300, into: &issues)
        for (index, acronym) in acronyms.enumerated() {
            TextRules.check(acronym, at: "acronyms[\(index)]", maxLength: 20, into: &issues)
        }
        for (index, alias) in aliases.enumerated() {
            TextRules.check(alias, at: "aliases[\(index)]", maxLength: 300, into: &issues)
        }
        TextRules.check(notes, at: "notes", maxLength: 10_000, allowNewlines: true, into: &issues)
        try issues.finish()
        self.id = id
        self.name = name
        self.acronyms = acronyms
        self.aliases = aliases
        self.kind = kind
        self.notes = notes
    }

    /// Every name the organisation is known by.
    public var allNames: [String] { [name] + acronyms + aliases }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, acronyms, aliases, kind, notes
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: OrganizationID.self)
        let name = object.required(.name, as: String.self)
        let acronyms = object.list(.acronyms, as: String.self)
        let aliases = object.list(.aliases, as: String.self)
        let kind = object.required(.kind, as: Kind.self)
        let notes = object.optional(.notes, as: String.self)
        try object.finish()
        self = try object.construct {
            try Organization(id: id!, name: name!, acronyms: acronyms, aliases: aliases, kind: kind!, notes: notes)
        }
    }
}

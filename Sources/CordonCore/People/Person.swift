public import Foundation

/// A person Cordon knows: a wanted fugitive, an inmate, a relative or an associate.
///
/// A person is wanted when ``wanted`` is set; its ``Wanted/history`` says since when and what became
/// of them.
public struct Person: Sendable, Hashable, Codable, Identifiable {
    public let id: PersonID
    /// The name in its original script.
    public let name: PersonName
    /// Other names: aliases, nicknames, spellings in other scripts, weak aliases.
    public let aliases: [Alias]
    /// The birth date, possibly known only to the year or month.
    public let birthDate: PartialDate?
    public let sex: Sex
    public let nationalities: [CountryCode]
    /// Where the person was born, as the source writes it.
    public let birthplace: String?
    /// Organisations the person belongs to.
    public let organizations: [OrganizationID]
    public let documents: [TravelDocument]
    /// What the person looks like.
    public let appearance: PhysicalDescription?
    public let photo: PhotoReference?
    /// Why and since when the person is wanted; nil when they are not.
    public private(set) var wanted: Wanted?
    /// Case notes: for those allowed to read them.
    public let notes: String?

    /// Creates a person, checking every field.
    ///
    /// - Parameter context: what "now" is, for the birth date and document dates.
    /// - Throws: ``ValidationFailure`` listing every bad field.
    public init(
        id: PersonID,
        name: PersonName,
        aliases: [Alias] = [],
        birthDate: PartialDate? = nil,
        sex: Sex = .unknown,
        nationalities: [CountryCode] = [],
        birthplace: String? = nil,
        organizations: [OrganizationID] = [],
        documents: [TravelDocument] = [],
        appearance: PhysicalDescription? = nil,
        photo: PhotoReference? = nil,
        wanted: Wanted? = nil,
        notes: String? = nil,
        context: ValidationContext
    ) throws {
        var issues = IssueCollector()
        issues.check(aliases.count <= 200, "aliases", .tooLong, "at most 200 aliases are allowed")
        if let now = context.now {
            if let birthDate, birthDate.isAfter(now) {
                issues.add("birth_date", .inFuture, "\(birthDate) is in the future")
            }
            for (index, document) in documents.enumerated() {
                if let issued = document.issued, issued.isAfter(now) {
                    issues.add("documents[\(index)].issued", .inFuture, "\(issued) is in the future")
                }
            }
        }
        if let birthDate {
            for (index, document) in documents.enumerated() {
                if let issued = document.issued, issued < birthDate, issued.year < birthDate.year {
                    issues.add(
                        "documents[\(index)].issued",
                        .inconsistent,
                        "\(issued) is before the birth date \(birthDate)"
                    )
                }
            }
        }
        Uniqueness.check(nationalities, at: "nationalities", key: "", into: &issues)
        TextRules.check(birthplace, at: "birthplace", maxLength: 200, into: &issues)
        TextRules.check(notes, at: "notes", maxLength: 10_000, allowNewlines: true, into: &issues)
        try issues.finish()
        self.id = id
        self.name = name
        self.aliases = aliases
        self.birthDate = birthDate
        self.sex = sex
        self.nationalities = nationalities
        self.birthplace = birthplace
        self.organizations = organizations
        self.documents = documents
        self.appearance = appearance
        self.photo = photo
        self.wanted = wanted
        self.notes = notes
    }

    /// Whether the person is on the wanted list (whatever their current status).
    public var isWanted: Bool { wanted != nil }

    /// The person with `wanted` replaced (nil: not on the list), as a record stood at another time.
    public func replacingWanted(_ wanted: Wanted?) -> Person {
        var copy = self
        copy.wanted = wanted
        return copy
    }

    /// Every name the person is known by: the name as written, then the aliases.
    public var allNames: [String] { [name.fullName] + aliases.map(\.value) }

    /// The person with a new wanted status recorded.
    ///
    /// - Throws: ``ValidationFailure`` when the person is not wanted or the change is not allowed.
    public func changingStatus(to status: WantedStatus, at instant: Date, note: String? = nil) throws -> Person {
        guard let wanted else {
            throw ValidationFailure(path: "wanted", reason: .missing, message: "\(id) is not on the wanted list")
        }
        var copy = self
        do {
            copy.wanted = try wanted.changingStatus(to: status, at: instant, note: note)
        } catch let failure as ValidationFailure {
            throw failure.nested(under: "wanted")
        }
        return copy
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, aliases
        case birthDate = "birth_date"
        case sex, nationalities, birthplace, organizations, documents
        case appearance = "description"
        case photo, wanted, notes
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: PersonID.self)
        let name = object.required(.name, as: PersonName.self)
        let aliases = object.list(.aliases, as: Alias.self)
        let birthDate = object.optional(.birthDate, as: PartialDate.self)
        let sex = object.optional(.sex, as: Sex.self)
        let nationalities = object.list(.nationalities, as: CountryCode.self)
        let birthplace = object.optional(.birthplace, as: String.self)
        let organizations = object.list(.organizations, as: OrganizationID.self)
        let documents = object.list(.documents, as: TravelDocument.self)
        let appearance = object.optional(.appearance, as: PhysicalDescription.self)
        let photo = object.optional(.photo, as: PhotoReference.self)
        let wanted = object.optional(.wanted, as: Wanted.self)
        let notes = object.optional(.notes, as: String.self)
        if let now = object.context.now, let birthDate, birthDate.isAfter(now) {
            // Checked here too, so that it is reported alongside any other bad field.
            object.add("birth_date", .inFuture, "\(birthDate) is in the future")
        }
        try object.finish()
        let context = object.context
        self = try object.construct {
            try Person(
                id: id!,
                name: name!,
                aliases: aliases,
                birthDate: birthDate,
                sex: sex ?? .unknown,
                nationalities: nationalities,
                birthplace: birthplace,
                organizations: organizations,
                documents: documents,
                appearance: appearance,
                photo: photo,
                wanted: wanted,
                notes: notes,
                context: context
            )
        }
    }
}

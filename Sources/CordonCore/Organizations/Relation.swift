/// A link between a person and another person or an organisation.
public struct Relation: Sendable, Hashable, Codable {
    /// The kind of link.
    public enum Kind: String, CodedEnum {
        /// A person belongs to an organisation.
        case memberOf = "member_of"
        /// Two people are family.
        case relativeOf = "relative_of"
        /// Two people know each other: accomplices, cellmates, contacts.
        case associateOf = "associate_of"
    }

    /// One end of a relation, written `person:ID` or `organization:ID`.
    public enum Subject: Sendable, Hashable, Codable, CustomStringConvertible {
        case person(PersonID)
        case organization(OrganizationID)

        /// Parses `person:ID` or `organization:ID`.
        ///
        /// - Throws: ``ValidationFailure`` for another prefix or a bad identifier.
        public init(_ text: String) throws {
            let pieces = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else {
                throw ValidationFailure(
                    path: "",
                    reason: .invalidFormat,
                    message: "'\(text)' is not a reference of the form person:ID or organization:ID"
                )
            }
            switch pieces[0] {
            case "person": self = .person(try PersonID(pieces[1]))
            case "organization": self = .organization(try OrganizationID(pieces[1]))
            default:
                throw ValidationFailure(
                    path: "",
                    reason: .invalidFormat,
                    message: "'\(pieces[0])' is not a kind of relation end (person or organization)"
                )
            }
        }

        public var description: String {
            switch self {
            case .person(let id): return "person:\(id)"
            case .organization(let id): return "organization:\(id)"
            }
        }

        public init(from decoder: any Decoder) throws {
            let path = CodingPath.render(decoder.codingPath)
            guard let text = try? decoder.singleValueContainer().decode(String.self) else {
                throw ValidationFailure(path: path, reason: .wrongType, message: "must be a string such as person:ID")
            }
            do {
                try self.init(text)
            } catch let failure as ValidationFailure {
                throw ValidationFailure(
                    failure.issues.map { .init(path: path, reason: $0.reason, message: $0.message) }
                )
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }

    public let kind: Kind
    /// The person the relation starts from.
    public let from: PersonID
    /// The other end: an organisation for ``Kind/memberOf``, a person otherwise.
    public let to: Subject
    /// Detail: `brother`, `cousin`, `cellmate`.
    public let detail: String?

    /// Creates a relation.
    ///
    /// - Throws: ``ValidationFailure`` when the target's kind does not fit, or a person is related to themselves.
    public init(kind: Kind, from: PersonID, to: Subject, detail: String? = nil) throws {
        var issues = IssueCollector()
        switch (kind, to) {
        case (.memberOf, .person):
            issues.add("to", .inconsistent, "member_of must point at an organization")
        case (.relativeOf, .organization), (.associateOf, .organization):
            issues.add("to", .inconsistent, "\(kind.rawValue) must point at a person")
        case (_, .person(let other)) where other == from:
            issues.add("to", .inconsistent, "a person cannot be related to themselves")
        default:
            break
        }
        TextRules.check(detail, at: "detail", maxLength: 200, into: &issues)
        try issues.finish()
        self.kind = kind
        self.from = from
        self.to = to
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, from, to, detail
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let kind = object.required(.kind, as: Kind.self)
        let from = object.required(.from, as: Subject.self)
        let to = object.required(.to, as: Subject.self)
        let detail = object.optional(.detail, as: String.self)
        var person: PersonID?
        switch from {
        case .person(let id): person = id
        case .organization: object.add("from", .inconsistent, "a relation starts from a person")
        case nil: break
        }
        try object.finish()
        self = try object.construct { try Relation(kind: kind!, from: person!, to: to!, detail: detail) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(Subject.person(from), forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encodeIfPresent(detail, forKey: .detail)
    }
}

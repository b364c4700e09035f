/// A person's name as ordered parts in the script it was written in.
///
/// The order is the source's (Russian lists put the family name first; passports print it first
/// too); each part says what it is, so a patronymic can be told from a given name.
public struct PersonName: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One part of a name.
    public struct Part: Sendable, Hashable, Codable {
        /// What a name part is.
        public enum Kind: String, CodedEnum {
            case given
            case patronymic
            case family
            case other
        }

        /// What the part is.
        public let kind: Kind
        /// The part as written.
        public let value: String

        /// Creates a part.
        ///
        /// - Throws: ``ValidationFailure`` when the value is empty, longer than 100 characters or holds
        ///   control characters.
        public init(_ kind: Kind, _ value: String) throws {
            var issues = IssueCollector()
            TextRules.check(value, at: "value", maxLength: 100, into: &issues)
            try issues.finish()
            self.kind = kind
            self.value = value.trimmingSpaces()
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, value
        }

        public init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let kind = object.required(.kind, as: Kind.self)
            let value = object.required(.value, as: String.self)
            try object.finish()
            self = try object.construct { try Part(kind!, value!) }
        }
    }

    /// The parts, in the source's order.
    public let parts: [Part]

    /// Creates a name from its parts.
    ///
    /// - Throws: ``ValidationFailure`` when there is no part, or more than 12.
    public init(parts: [Part]) throws {
        guard !parts.isEmpty else {
            throw ValidationFailure(path: "parts", reason: .empty, message: "a name needs at least one part")
        }
        guard parts.count <= 12 else {
            throw ValidationFailure(path: "parts", reason: .tooLong, message: "a name has at most 12 parts")
        }
        self.parts = parts
    }

    /// Creates a name from `given`, `patronymic` and `family` parts, written in that order.
    public init(given: String?, patronymic: String? = nil, family: String?) throws {
        var parts: [Part] = []
        var issues = IssueCollector()
        if let given { if let part = issues.capture("given", { try Part(.given, given) }) { parts.append(part) } }
        if let patronymic {
            if let part = issues.capture("patronymic", { try Part(.patronymic, patronymic) }) { parts.append(part) }
        }
        if let family { if let part = issues.capture("family", { try Part(.family, family) }) { parts.append(part) } }
        try issues.finish()
        try self.init(parts: parts)
    }

    /// The name as written, parts separated by spaces.
    public var fullName: String { parts.map(\.value).joined(separator: " ") }

    /// The first part of the given kind.
    public func part(_ kind: Part.Kind) -> String? { parts.first { $0.kind == kind }?.value }

    /// The scripts the name is written in.
    public var scripts: Set<Script> { Script.scripts(of: fullName) }

    public var description: String { fullName }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case parts
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let parts = object.required(.parts, as: [Collected<Part>].self)
        var collected: [Part] = []
        for (index, element) in (parts ?? []).enumerated() {
            switch element.result {
            case .success(let part): collected.append(part)
            case .failure(let error):
                object.collector.record(DecodingIssue.failure(for: error, fallbackPath: object.path("parts[\(index)]")))
            }
        }
        try object.finish()
        self = try object.construct { try PersonName(parts: collected) }
    }
}

/// Another name a person is known by.
public struct Alias: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of other name it is.
    public enum Kind: String, CodedEnum {
        /// Another name the person used.
        case alias
        /// A nickname or short form.
        case nickname
        /// The same name in another script or romanisation.
        case spelling
        /// A short or common name, too weak to raise an alert on its own.
        case weak
    }

    /// What kind of name it is.
    public let kind: Kind
    /// The name as written, in any script.
    public let value: String

    /// Creates an alias.
    ///
    /// - Throws: ``ValidationFailure`` for an empty or overlong value or control characters.
    public init(_ kind: Kind, _ value: String) throws {
        var issues = IssueCollector()
        TextRules.check(value, at: "value", maxLength: 200, into: &issues)
        try issues.finish()
        self.kind = kind
        self.value = value.trimmingSpaces()
    }

    public var description: String { value }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, value
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let kind = object.required(.kind, as: Kind.self)
        let value = object.required(.value, as: String.self)
        try object.finish()
        self = try object.construct { try Alias(kind!, value!) }
    }
}

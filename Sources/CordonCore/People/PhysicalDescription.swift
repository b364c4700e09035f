/// What a person looks like, as a checkpoint officer would need it.
public struct PhysicalDescription: Sendable, Hashable, Codable {
    /// Height in centimetres, 100–250.
    public let heightCM: Int?
    /// Build (`slim`, `medium`, `heavy`).
    public let build: String?
    /// Hair colour.
    public let hair: String?
    /// Eye colour.
    public let eyes: String?
    /// Distinguishing marks: scars, tattoos, missing fingers.
    public let marks: [String]
    /// Anything else, in prose.
    public let text: String?

    /// Creates a description.
    ///
    /// - Throws: ``ValidationFailure`` for a height outside 100–250 cm or bad text.
    public init(
        heightCM: Int? = nil,
        build: String? = nil,
        hair: String? = nil,
        eyes: String? = nil,
        marks: [String] = [],
        text: String? = nil
    ) throws {
        var issues = IssueCollector()
        if let heightCM {
            issues.check(
                (100...250).contains(heightCM),
                "height_cm",
                .outOfRange,
                "height \(heightCM) cm must be between 100 and 250"
            )
        }
        TextRules.check(build, at: "build", maxLength: 60, into: &issues)
        TextRules.check(hair, at: "hair", maxLength: 60, into: &issues)
        TextRules.check(eyes, at: "eyes", maxLength: 60, into: &issues)
        for (index, mark) in marks.enumerated() {
            TextRules.check(mark, at: "marks[\(index)]", maxLength: 200, into: &issues)
        }
        TextRules.check(text, at: "text", maxLength: 2000, allowNewlines: true, into: &issues)
        try issues.finish()
        self.heightCM = heightCM
        self.build = build
        self.hair = hair
        self.eyes = eyes
        self.marks = marks
        self.text = text
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case heightCM = "height_cm"
        case build, hair, eyes, marks, text
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let height = object.optional(.heightCM, as: Int.self)
        let build = object.optional(.build, as: String.self)
        let hair = object.optional(.hair, as: String.self)
        let eyes = object.optional(.eyes, as: String.self)
        let marks = object.list(.marks, as: String.self)
        let text = object.optional(.text, as: String.self)
        try object.finish()
        self = try object.construct {
            try PhysicalDescription(heightCM: height, build: build, hair: hair, eyes: eyes, marks: marks, text: text)
        }
    }
}

/// Where a person's photograph is kept, and its digest so a copy can be checked.
public struct PhotoReference: Sendable, Hashable, Codable {
    /// A relative path or URI of the photograph.
    public let uri: String
    /// The SHA-256 of the image file, 64 lower-case hex digits, when known.
    public let sha256: String?

    /// Creates a reference.
    ///
    /// - Throws: ``ValidationFailure`` for an empty URI or a digest that is not 64 hex digits.
    public init(uri: String, sha256: String? = nil) throws {
        var issues = IssueCollector()
        TextRules.check(uri, at: "uri", maxLength: 500, into: &issues)
        if let sha256 {
            issues.check(
                sha256.count == 64 && sha256.allSatisfy { $0.isHexDigit && !$0.isUppercase },
                "sha256",
                .invalidFormat,
                "must be 64 lower-case hex digits"
            )
        }
        try issues.finish()
        self.uri = uri
        self.sha256 = sha256
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case uri, sha256
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let uri = object.required(.uri, as: String.self)
        let sha = object.optional(.sha256, as: String.self)
        try object.finish()
        self = try object.construct { try PhotoReference(uri: uri!, sha256: sha) }
    }
}

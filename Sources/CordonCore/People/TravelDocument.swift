/// An identity or travel document known to belong to a person.
public struct TravelDocument: Sendable, Hashable, Codable {
    /// The kind of document.
    public enum Kind: String, CodedEnum {
        case passport
        case idCard = "id_card"
        case visa
        case residencePermit = "residence_permit"
        case drivingLicence = "driving_licence"
        case other
    }

    /// The kind of document.
    public let kind: Kind
    /// The issuing country.
    public let country: CountryCode
    /// The document number, upper-cased, as printed.
    public let number: String
    /// The issue date, when known.
    public let issued: PartialDate?
    /// The expiry date, when known.
    public let expires: PartialDate?

    /// Creates a document record.
    ///
    /// - Throws: ``ValidationFailure`` for a number that is not 1–20 letters, digits, spaces or dashes,
    ///   or an expiry before the issue date.
    public init(
        kind: Kind,
        country: CountryCode,
        number: String,
        issued: PartialDate? = nil,
        expires: PartialDate? = nil
    ) throws {
        var issues = IssueCollector()
        let cleaned = number.trimmingSpaces().uppercased()
        let significant = cleaned.filter { $0 != " " && $0 != "-" }
        issues.check(
            (1...20).contains(significant.count)
                && cleaned.allSatisfy { $0 == " " || $0 == "-" || $0.isLetter || ($0.isASCII && $0.isNumber) },
            "number",
            .invalidFormat,
            "'\(number)' is not a document number (1-20 letters and digits, spaces or dashes)"
        )
        if let issued, let expires {
            issues.check(
                issued < expires,
                "expires",
                .inconsistent,
                "expires \(expires), before it was issued (\(issued))"
            )
        }
        try issues.finish()
        self.kind = kind
        self.country = country
        self.number = cleaned
        self.issued = issued
        self.expires = expires
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, country, number, issued, expires
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let kind = object.required(.kind, as: Kind.self)
        let country = object.required(.country, as: CountryCode.self)
        let number = object.required(.number, as: String.self)
        let issued = object.optional(.issued, as: PartialDate.self)
        let expires = object.optional(.expires, as: PartialDate.self)
        try object.finish()
        self = try object.construct {
            try TravelDocument(kind: kind!, country: country!, number: number!, issued: issued, expires: expires)
        }
    }
}

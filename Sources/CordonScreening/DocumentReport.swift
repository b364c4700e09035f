package import CordonCore
package import CordonDocuments

/// A read document as answered by the API and printed by the CLI: format, validity, every field,
/// check and correction.
package struct DocumentReport: Encodable, Sendable {
    package let format: String
    package let valid: Bool
    /// Whether the document ran out before the day it was read; absent when the expiry is unknown.
    package let expired: Bool?
    package let nameTruncated: Bool
    package let fields: [MRZField]
    package let checks: [MRZCheck]
    package let corrections: [MRZCorrection]
    package let problems: [ValidationFailure.Issue]
    /// ISO 3166-1 alpha-2 equivalents of the ICAO codes, when they name a country.
    package let nationalityCountry: String?
    package let issuingCountry: String?

    enum CodingKeys: String, CodingKey {
        case format, valid, expired
        case nameTruncated = "name_truncated"
        case fields, checks, corrections, problems
        case nationalityCountry = "nationality_country"
        case issuingCountry = "issuing_country"
    }

    /// The report of a document.
    package init(_ document: MRZDocument) {
        format = document.format.rawValue
        valid = document.isValid
        expired = document.isExpired
        nameTruncated = document.isNameTruncated
        fields = document.fields
        checks = document.checks
        corrections = document.corrections
        problems = document.problems
        nationalityCountry = document.nationalityCountry?.rawValue
        issuingCountry = document.issuingCountry?.rawValue
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(valid, forKey: .valid)
        // Always present, null when the zone leaves the expiry unknown.
        try container.encode(expired, forKey: .expired)
        try container.encode(nameTruncated, forKey: .nameTruncated)
        try container.encode(fields, forKey: .fields)
        try container.encode(checks, forKey: .checks)
        try container.encode(corrections, forKey: .corrections)
        try container.encode(problems, forKey: .problems)
        // Always present, null when the code names no ISO country.
        try container.encode(nationalityCountry, forKey: .nationalityCountry)
        try container.encode(issuingCountry, forKey: .issuingCountry)
    }
}

public import CordonCore

/// A machine-readable zone read and checked: every field, every check digit and every OCR correction.
///
/// A document whose check digits or field values are wrong is still a document: ``isValid`` is
/// false, ``failure`` names each bad field, and the fields are there for an operator to look at.
/// Only a zone of the wrong shape is not a document (``MRZParser/parse(_:)`` throws).
public struct MRZDocument: Sendable, Hashable {
    /// The layout.
    public var format: MRZFormat
    /// The lines as read (upper-cased, surrounding spaces removed), before corrections.
    public var lines: [String]
    /// The lines after OCR corrections.
    public var correctedLines: [String]
    /// Every field, in the order of the zone.
    public var fields: [MRZField]
    /// Every check digit of the layout, the composite last.
    public var checks: [MRZCheck]
    /// Characters misread by OCR and put right.
    public var corrections: [MRZCorrection]
    /// Field values that are wrong although no check digit covers them (a month 13, a sex `Q`).
    public var problems: [ValidationFailure.Issue]

    /// The document code (`P`, `I`, `AC`, `V`), fillers removed.
    public var documentCode: String
    /// The issuing state or organisation, an ICAO code (`TJK`, `D`, `UTO`).
    public var issuingState: String
    /// The document number, fillers removed.
    public var documentNumber: String
    /// The holder's nationality, an ICAO code.
    public var nationality: String
    /// The birth date; `nil` when the zone leaves it unknown or it is not a date.
    public var birthDate: PartialDate?
    /// The expiry date; `nil` when the zone leaves it unknown or it is not a date.
    public var expiryDate: PartialDate?
    /// The holder's sex: `M`, `F`, or unknown for `<` and `X`; `nil` for anything else.
    public var sex: Sex?
    /// The primary identifier (surname), fillers as spaces.
    public var primaryName: String
    /// The secondary identifier (given names), fillers as spaces.
    public var secondaryName: String
    /// Whether the name fills its field to the last position, so it may have been cut short.
    public var isNameTruncated: Bool
    /// The optional data (TD1: both optional fields, joined by a space), fillers removed.
    public var optionalData: String
    /// The calendar day the zone was read on (the parser's "today").
    public var readOn: PartialDate? = nil

    /// Whether the document's expiry date is before the day it was read; nil when either is unknown.
    /// A zone can pass every check and still be a passport that ran out years ago.
    public var isExpired: Bool? {
        guard let expiryDate, let readOn, expiryDate.day != nil else { return nil }
        return expiryDate < readOn
    }

    /// The name as one string, primary identifier first (`ERIKSSON ANNA MARIA`).
    public var fullName: String {
        secondaryName.isEmpty ? primaryName : primaryName.isEmpty ? secondaryName : primaryName + " " + secondaryName
    }

    /// The nationality as an ISO 3166-1 country, when it names one.
    public var nationalityCountry: CountryCode? { ICAOCountry.countryCode(for: nationality) }

    /// The issuing state as an ISO 3166-1 country, when it names one.
    public var issuingCountry: CountryCode? { ICAOCountry.countryCode(for: issuingState) }

    /// Whether every check digit passed and every field has a lawful value.
    public var isValid: Bool { problems.isEmpty && checks.allSatisfy(\.passed) }

    /// The field with the given name.
    ///
    /// - Parameter name: a stable field name (`birth_date`).
    public func field(_ name: String) -> MRZField? {
        fields.first { $0.name == name }
    }

    /// The check with the given name.
    ///
    /// - Parameter name: a field name or `composite`.
    public func check(_ name: String) -> MRZCheck? {
        checks.first { $0.name == name }
    }

    /// Every failed check and every wrong value, each under the field's name (`document_number`);
    /// `nil` for a valid document.
    public var failure: ValidationFailure? {
        var issues: [ValidationFailure.Issue] = []
        for check in checks where !check.passed {
            let what = check.name == "composite" ? "the composite check digit" : "the check digit of \(check.name)"
            issues.append(
                .init(
                    path: check.name,
                    reason: .invalidFormat,
                    message: "\(what) is \(check.expected), computed \(check.computed)"
                )
            )
        }
        issues += problems
        return issues.isEmpty ? nil : ValidationFailure(issues)
    }
}

package import CordonCore
package import CordonDocuments
package import CordonMatch
package import Foundation

/// Screening by travel document: a machine-readable zone read, checked and turned into a query.
///
/// The name goes to the matcher as the zone spells it (`ZIEEV MIRZO`), primary identifier first;
/// the matcher folds ICAO transliteration like any other romanisation. Birth date, nationality
/// (ICAO code mapped to ISO 3166-1), sex and document number come along as evidence.
package enum DocumentScreening {
    /// Reads a zone for screening.
    ///
    /// - Parameters:
    ///   - lines: the zone's two or three lines.
    ///   - now: the instant the zone is read, which decides the century of two-digit years.
    ///   - timeZone: the zone whose calendar day counts.
    /// - Returns: the document, valid or not.
    /// - Throws: ``ValidationFailure`` for a zone of the wrong shape, naming the line.
    package static func read(
        _ lines: [String],
        now: Date,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!
    ) throws -> MRZDocument {
        try MRZParser(now: now, timeZone: timeZone).parse(lines)
    }

    /// The screening query for a document.
    ///
    /// - Parameter document: a document read from its zone.
    /// - Returns: a person query with the name, birth date, nationality, sex and document number.
    package static func query(for document: MRZDocument) -> ScreeningQuery {
        query(
            name: document.fullName,
            birthDate: document.birthDate,
            nationality: document.nationalityCountry,
            sex: document.sex,
            documentNumber: document.documentNumber
        )
    }

    /// The screening query for a document's values, as kept after it was read (the audit log keeps them):
    /// the same query ``query(for:)`` makes of the document.
    ///
    /// - Returns: a person query with the name, birth date, nationality, sex and document number.
    package static func query(
        name: String,
        birthDate: PartialDate?,
        nationality: CountryCode?,
        sex: Sex?,
        documentNumber: String
    ) -> ScreeningQuery {
        ScreeningQuery(
            name: name,
            birthDate: birthDate.flatMap { ScreeningDate(year: $0.year, month: $0.month, day: $0.day) },
            nationality: nationality?.rawValue,
            gender: sex == .male ? .male : sex == .female ? .female : nil,
            documentNumber: documentNumber.isEmpty ? nil : documentNumber,
            kind: .person
        )
    }
}

import CordonCore
import CordonDocuments
import CordonScreening
import CordonStore
import Foundation

extension ScreeningController.Query {
    /// Reads `mrz` when present: a zone of the wrong shape, a failed check digit or a wrong value is
    /// recorded under `mrz` (`mrz[1]`, `mrz.document_number`), and so is any field sent beside it,
    /// since the document gives them.
    static func readZone(_ object: inout ObjectDecoder<CodingKeys>) -> MRZDocument? {
        guard object.container.contains(.mrz) else { return nil }
        for key in [CodingKeys.name, .birthDate, .nationality, .sex, .documentNumber]
        where object.container.contains(key) {
            object.add(key.rawValue, .inconsistent, "give either mrz or the fields it holds, not both")
        }
        guard let lines = object.required(.mrz, as: [String].self) else { return nil }
        guard let now = object.context.now else {
            object.add("mrz", .invalidFormat, "a zone can only be read against today's date")
            return nil
        }
        let document: MRZDocument
        do {
            document = try DocumentScreening.read(lines, now: now)
        } catch let failure as ValidationFailure {
            object.collector.record(failure, under: object.path("mrz"))
            return nil
        } catch {
            object.add("mrz", .invalidFormat, "the zone cannot be read")
            return nil
        }
        if let failure = document.failure {
            object.collector.record(failure, under: object.path("mrz"))
            return nil
        }
        return document
    }
}

extension ScreeningController {
    /// What the audit log keeps of a document: its format, number, issuing state and name, and the birth
    /// date, nationality and sex the query was screened with (so that it can be screened again).
    static func auditDetails(_ document: MRZDocument) -> JSONValue {
        .object([
            "format": .string(document.format.rawValue),
            "document_number": .string(document.documentNumber),
            "issuing_state": .string(document.issuingState),
            "name": .string(document.fullName),
            "corrections": .number(Double(document.corrections.count)),
            "birth_date": document.birthDate.map { .string($0.description) } ?? .null,
            "nationality": document.nationalityCountry.map { .string($0.rawValue) } ?? .null,
            "sex": document.sex.map { .string($0.rawValue) } ?? .null,
        ])
    }
}

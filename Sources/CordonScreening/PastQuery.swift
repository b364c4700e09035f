public import CordonCore
public import CordonDocuments
public import CordonMatch
public import Foundation

/// A screening a checkpoint made, read back from the audit log: what was screened, when and by whom, and
/// which entries alerted then.
///
/// The log keeps every screening request with its queries (`screen`, `screen.batch`, `screen.plate`) and
/// every report a checkpoint uploads (`checkpoint.reports`, with what it screened offline and when).
/// Screenings by other roles than a checkpoint's officers are not a checkpoint's and are not read.
public struct PastQuery: Sendable, Hashable {
    /// What was screened, as it can be screened again.
    public enum Subject: Sendable, Hashable {
        /// A name, or a document's name with its birth date, nationality, sex and number.
        case person(ScreeningQuery)
        /// A plate as written, with the country it was read in when known.
        case plate(written: String, country: CountryCode?)
    }

    public let subject: Subject
    public let kind: Lead.QueryKind
    /// The name or plate as screened.
    public let text: String
    /// The document number, for a document.
    public let document: String?
    /// When the checkpoint screened it.
    public let at: Date
    /// The account that screened it or uploaded its report.
    public let account: String
    /// The checkpoint, when the record names it (an upload names its checkpoint).
    public let checkpoint: CheckpointID?
    public let auditSequence: Int64
    public let index: Int
    public let report: String?
    /// The entries that alerted when it was screened: already seen then, no lead now.
    public let alerted: Set<String>

    /// Creates a past query.
    public init(
        subject: Subject,
        kind: Lead.QueryKind,
        text: String,
        document: String? = nil,
        at: Date,
        account: String,
        checkpoint: CheckpointID? = nil,
        auditSequence: Int64,
        index: Int,
        report: String? = nil,
        alerted: Set<String> = []
    ) {
        self.subject = subject
        self.kind = kind
        self.text = text
        self.document = document
        self.at = at
        self.account = account
        self.checkpoint = checkpoint
        self.auditSequence = auditSequence
        self.index = index
        self.report = report
        self.alerted = alerted
    }

    /// The audit actions that hold checkpoints' queries.
    public static let actions: Set<String> = ["screen", "screen.batch", "screen.plate", "checkpoint.reports"]

    /// The checkpoints' queries an audit record holds, in the record's order; none for any other record.
    public static func queries(in record: AuditRecord) -> [PastQuery] {
        switch record.action {
        case "screen", "screen.batch", "screen.plate":
            guard record.role == .checkpointOfficer else { return [] }
            return record.details["queries"]?.arrayValue.enumerated().compactMap { index, query in
                screened(query, record: record, index: index)
            } ?? []
        case "checkpoint.reports":
            let checkpoint = record.target.flatMap { target -> CheckpointID? in
                guard target.hasPrefix("checkpoint/") else { return nil }
                return CheckpointID(rawValue: String(target.dropFirst("checkpoint/".count)))
            }
            return record.details["reports"]?.arrayValue.enumerated().compactMap { index, report in
                reported(report, record: record, index: index, checkpoint: checkpoint)
            } ?? []
        default:
            return []
        }
    }

    /// A query of a screening request: a name, a document or a plate, with its hits.
    static func screened(_ query: JSONValue, record: AuditRecord, index: Int) -> PastQuery? {
        let alerted = Set(
            (query["hits"]?.arrayValue ?? []).compactMap { hit in
                hit["alert"]?.boolValue == true ? hit["id"]?.stringValue : nil
            }
        )
        func make(_ subject: Subject, _ kind: Lead.QueryKind, _ text: String, document: String? = nil) -> PastQuery {
            PastQuery(
                subject: subject,
                kind: kind,
                text: text,
                document: document,
                at: record.at,
                account: record.actor,
                auditSequence: record.sequence,
                index: index,
                alerted: alerted
            )
        }
        if let plate = query["plate"]?.stringValue {
            let country = query["plate_country"]?.stringValue.flatMap { try? CountryCode($0) }
            return make(.plate(written: plate, country: country), .plate, plate)
        }
        guard let name = query["name"]?.stringValue, isName(name) else { return nil }
        if let document = query["document"], case .object = document {
            let number = document["document_number"]?.stringValue ?? ""
            let screening = DocumentScreening.query(
                name: document["name"]?.stringValue ?? name,
                birthDate: document["birth_date"]?.stringValue.flatMap { try? PartialDate($0) },
                nationality: document["nationality"]?.stringValue.flatMap { try? CountryCode($0) },
                sex: document["sex"]?.stringValue.flatMap(Sex.init(rawValue:)),
                documentNumber: number
            )
            return make(.person(screening), .document, screening.name, document: number.isEmpty ? nil : number)
        }
        let screening = ScreeningQuery(
            name: name,
            birthDate: query["birth_date"]?.stringValue.flatMap { try? PartialDate($0) }.flatMap {
                ScreeningDate(year: $0.year, month: $0.month, day: $0.day)
            },
            nationality: query["nationality"]?.stringValue,
            kind: .person
        )
        return make(.person(screening), .name, name)
    }

    /// A query a checkpoint reported: what it screened offline, hit or sighting, at the time it observed.
    static func reported(
        _ report: JSONValue,
        record: AuditRecord,
        index: Int,
        checkpoint: CheckpointID?
    ) -> PastQuery? {
        guard let text = report["query"]?.stringValue, !text.isEmpty,
            let at = report["observed_at"]?.stringValue.flatMap(Instant.parse)
        else { return nil }
        let person = report["person"]?.stringValue
        let vehicle = report["vehicle"]?.stringValue
        let subject: Subject
        let kind: Lead.QueryKind
        var number: String?
        if vehicle != nil, person == nil {
            subject = .plate(written: text, country: nil)
            kind = .plate
        } else {
            guard isName(text) else { return nil }
            // A document is reported as `P TJK 4012345`: code, issuing state, number.
            number = report["document"]?.stringValue.flatMap { $0.split(separator: " ").last.map(String.init) }
            subject = .person(ScreeningQuery(name: text, documentNumber: number, kind: .person))
            kind = number == nil ? .name : .document
        }
        return PastQuery(
            subject: subject,
            kind: kind,
            text: text,
            document: number,
            at: at,
            account: record.actor,
            checkpoint: checkpoint,
            auditSequence: record.sequence,
            index: index,
            report: report["id"]?.stringValue,
            alerted: Set([person, vehicle].compactMap { $0 })
        )
    }

    /// Whether a reported query is a name: a zone's line (`<` fillers) is not screened as one.
    static func isName(_ text: String) -> Bool {
        !text.contains("<") && text.contains { $0.isLetter }
    }
}

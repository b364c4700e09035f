import CordonCheckpoint
import CordonCore
import CordonDocuments
import Foundation

/// One screening at the station, as the page shows it: what was screened, the verdict in plain words,
/// the document or pass read, and each hit with why it matched and what was decided about it before.
struct StationScreening: Sendable, Encodable {
    enum Kind: String, Sendable, Encodable {
        case name, zone, plate, pass
    }

    struct Decision: Sendable, Encodable {
        let outcome: String
        let label: String
        let reason: String?
        let officer: String
        let at: Date
    }

    struct Hit: Sendable, Encodable {
        let entry: String
        /// `person`, `organization` or `vehicle`.
        let kind: String
        let name: String
        let names: [String]
        let score: Double
        let alert: Bool
        /// Why it matched, one line a reason.
        let why: [String]
        let born: [String]
        let nationalities: [String]
        /// Earlier decisions on this subject and entry, newest first: shown, never hidden.
        var decisions: [Decision]
    }

    struct Document: Sendable, Encodable {
        let format: String
        let number: String
        let issuing: String
        let nationality: String
        let name: String
        let born: String?
        let expires: String?
        let valid: Bool
        let expired: Bool?
        /// Each failed check or wrong field, naming it.
        let failures: [String]
    }

    struct Pass: Sendable, Encodable {
        let status: String
        let valid: Bool
        let officer: String?
        let serviceNumber: String?
        let unit: String?
        let role: String?
        let validUntil: Date?

        enum CodingKeys: String, CodingKey {
            case status, valid, officer, unit, role
            case serviceNumber = "service_number"
            case validUntil = "valid_until"
        }
    }

    let id: String
    let kind: Kind
    let query: String
    /// What decisions are remembered under: the document, the plate, or the name as typed.
    let subject: String
    let at: Date
    let listVersion: Int64?
    /// The headline: `ALERT: 1 wanted person`, `No match on the list`, `Pass REVOKED`.
    let verdict: String
    /// `alert`, `clear`, `warning`: the colour the page gives the verdict (also said in words).
    let tone: String
    var warnings: [String] = []
    /// What to do now, for a result that alerts.
    var instruction: String?
    var document: Document?
    var pass: Pass?
    var hits: [Hit] = []
    var queued = 0

    enum CodingKeys: String, CodingKey {
        case id, kind, query, subject, at, verdict, tone, warnings, instruction, document, pass, hits, queued
        case listVersion = "list_version"
    }

    /// What an officer does when a person or a vehicle alerts.
    static let holdInstruction =
        "Do not let them through. Keep the documents, hold the person (or the vehicle) at the barrier without "
        + "approaching alone, and call the duty officer. Compare the birth date, the photo and the marks before "
        + "you decide, then record the outcome below."

    /// The plain words for an outcome.
    static func label(_ outcome: String) -> String {
        switch outcome {
        case "detained": "detained"
        case "released_after_check": "let through after a check"
        case "not_him": "not him"
        default: outcome
        }
    }

    static func decisions(_ held: [CheckpointStore.Decision], entry: String) -> [Decision] {
        held.filter { $0.entry == entry }.map {
            Decision(
                outcome: $0.outcome,
                label: label($0.outcome),
                reason: $0.reason,
                officer: $0.officer,
                at: $0.decidedAt
            )
        }
    }
}

extension StationScreening.Document {
    init(_ document: MRZDocument) {
        format = document.format.displayName
        number = document.documentNumber
        issuing = document.issuingState
        nationality = document.nationality
        name = document.fullName
        born = document.birthDate?.description
        expires = document.expiryDate?.description
        valid = document.isValid
        expired = document.isExpired
        failures =
            document.failure?.issues.map { "\($0.path.replacingOccurrences(of: "_", with: " ")): \($0.message)" } ?? []
    }
}

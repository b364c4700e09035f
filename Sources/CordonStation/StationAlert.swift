import CordonCore
import CordonDocuments
import CordonEvents
import CordonMatch
import Foundation

/// An alert as the station shows it: what the CAP message says (headline, description, what to do,
/// area), every name of each wanted person from the list copy, the vehicles, and where it stands at the
/// barrier (new, on screen, acknowledged by whom, confirmed by headquarters).
struct StationAlert: Sendable, Encodable {
    struct PersonCard: Sendable, Encodable {
        let id: String
        let name: String
        /// Every other name the list holds, in every script (strong aliases first).
        let names: [String]
        let born: [String]
        let nationalities: [String]
        let documents: [String]
    }

    struct VehicleCard: Sendable, Encodable {
        let id: String
        let plate: String
        let description: String
    }

    enum Stage: String, Sendable, Encodable {
        /// Arrived, not yet on a screen.
        case new
        /// On a screen: received, waiting for a person's "read and understood".
        case shown
        /// Acknowledged at the station; headquarters' confirmation may still be on its way.
        case acknowledged
    }

    let id: String
    let sequence: Int
    let kind: String
    let capIdentifier: String
    let messageType: String
    let references: [String]
    let sentAt: Date
    let headline: String
    let event: String
    let description: String
    let instruction: String
    let area: String
    var persons: [PersonCard]
    var vehicles: [VehicleCard]
    var stage: Stage = .new
    var shownAt: Date?
    var acknowledgedBy: String?
    var acknowledgedAt: Date?
    /// The CAP `Ack` identifier once headquarters committed the acknowledgement.
    var ackIdentifier: String?
    /// The alert this one was replaced by (an update or a cancellation that refers to it).
    var replacedBy: String?

    enum CodingKeys: String, CodingKey {
        case id, sequence, kind, headline, event, description, instruction, area, persons, vehicles, stage
        case capIdentifier = "cap_identifier"
        case messageType = "message_type"
        case sentAt = "sent_at"
        case shownAt = "shown_at"
        case acknowledgedBy = "acknowledged_by"
        case acknowledgedAt = "acknowledged_at"
        case ackIdentifier = "ack_identifier"
        case replacedBy = "replaced_by"
    }

    /// Reads an alert frame; the CAP XML gives the words, the list copy the names.
    init(frame: AlertFrame, entries: [String: WatchlistEntry], vehicles: [String: Vehicle]) {
        let alert = frame.content.alert
        let cap = frame.content.cap
        let info = (try? CAPMessage(xml: cap.xml))?.infos.first
        id = alert.id.rawValue
        sequence = frame.sequence
        kind = alert.kind.rawValue
        capIdentifier = cap.identifier
        messageType = cap.messageType
        references = cap.references
        sentAt = alert.sentAt
        headline = alert.headline
        event = info?.event ?? (alert.kind == .cancel ? "Cancellation" : "Alert")
        description = info?.description ?? ""
        instruction = info?.instruction ?? ""
        area = info?.areas.first?.description ?? ""
        persons = []
        self.vehicles = []
        fill(persons: alert.persons.map(\.rawValue), vehicles: alert.vehicles.map(\.rawValue), entries, vehicles)
    }

    /// Names and plates from the list copy (again after a sync brings persons the copy lacked).
    mutating func fill(
        persons ids: [String],
        vehicles vehicleIDs: [String],
        _ entries: [String: WatchlistEntry],
        _ vehicles: [String: Vehicle]
    ) {
        persons = ids.map { id in
            guard let entry = entries[id] else {
                return PersonCard(id: id, name: id, names: [], born: [], nationalities: [], documents: [])
            }
            return PersonCard(
                id: id,
                name: entry.name,
                names: entry.aliases + entry.weakAliases,
                born: entry.birthDates.map(\.description),
                nationalities: entry.nationalities,
                documents: entry.documentNumbers
            )
        }
        self.vehicles = vehicleIDs.map { id in
            guard let vehicle = vehicles[id] else { return VehicleCard(id: id, plate: id, description: "") }
            return VehicleCard(
                id: id,
                plate: vehicle.plate.text,
                description: "\(vehicle.colour) \(vehicle.make) \(vehicle.model)"
                    + (vehicle.year.map { ", \($0)" } ?? "") + " (\(vehicle.country.rawValue))"
                    + (vehicle.isStolen ? ", stolen" : "")
            )
        }
    }

    /// Whether it still asks for a person's acknowledgement.
    var isOpen: Bool { stage != .acknowledged }
}

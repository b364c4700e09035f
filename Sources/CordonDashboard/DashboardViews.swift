import CordonAlerts
import CordonCore
import CordonCustody
import CordonEvents
import CordonServer
import Foundation

// The values the templates read. Mustache reads stored properties by name, so these are plain
// structs of strings, numbers, Booleans and arrays, made fresh for each page.

/// Dates and times as the officer reads them: in the zone of their browser, with that zone named.
struct DashboardClock: Sendable {
    let zone: TimeZone

    /// `2010-08-23 01:10`.
    func time(_ date: Date) -> String {
        String(Instant.display(date, in: zone).prefix(16))
    }

    /// `2010-08-23T01:10:00+05:00`, for `<time datetime>`.
    func iso(_ date: Date) -> String { Instant.format(date, in: zone) }

    /// `Asia/Dushanbe (UTC+05:00)`.
    func zoneLabel(at date: Date) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(zone.identifier) (UTC\(sign)\(String(format: "%02d:%02d", minutes / 60, minutes % 60)))"
    }
}

/// One line of the incident timeline.
struct TimelineItem: Sendable {
    let id: String
    let at: Date
    let iso: String
    let time: String
    /// A class for the marker: incident, event, alert, ack, sighting, capture, custody.
    let kind: String
    let label: String
    /// The text, or its part before ``place``.
    let text: String
    /// Where it happened, when the line names a place (a sighting): written after ``text``, with
    /// its coordinates to show on hover.
    var place: PlaceMention? = nil
    /// The text after ``place``.
    var after = ""
    /// What headquarters can do from the line: a lead made a sighting.
    var action: LeadAction? = nil
}

/// A lead's "Make a sighting", with the checkpoints to choose from when the lead does not say which
/// screened the query.
struct LeadAction: Sendable {
    struct Choice: Sendable {
        let value: String
        let label: String
    }

    let lead: String
    let choices: [Choice]
    /// Stored, not computed: templates read stored properties only.
    let hasChoices: Bool

    init(lead: String, choices: [Choice]) {
        self.lead = lead
        self.choices = choices
        hasChoices = !choices.isEmpty
    }
}

/// A place written in a sentence: `12 km east of Vahdat`, with its coordinates (`38.6050, 69.0850`)
/// for a title attribute.
struct PlaceMention: Sendable {
    let text: String
    let title: String
}

/// The page around every view.
struct LayoutView {
    struct NavItem {
        let href: String
        let label: String
        let current: Bool
    }

    let title: String
    let page: String
    let nav: [NavItem]
    let signedIn: Bool
    let username: String
    let role: String
    let zone: String
    let csrf: String
    let body: String
    let scripts: [String]
    let live: Bool
}

/// A point on the map.
struct MapPoint: Sendable {
    let id: String
    let x: String
    let y: String
    let kind: String
    let state: String
    /// The title: what it is, where, its coordinates and (for a checkpoint) its state.
    let label: String
    /// The facility's or checkpoint's own name.
    var name = ""
    /// The nearest town's name, which names a group of markers (`5 checkpoints near Dushanbe`).
    var town = ""
    /// `12 km east of Vahdat`.
    var position = ""
    /// `38.5433, 68.8250`.
    var coordinates = ""
}

/// A town labelled on the map.
struct MapPlace: Sendable {
    let name: String
    let x: String
    let y: String
    let rank: Int
    /// The symbol: `city` for rank 1, `town` otherwise.
    let symbol: String
    /// Outside Tajikistan: drawn more faintly.
    let foreign: Bool
}

/// The map and what is drawn on it.
struct MapView {
    let width: String
    let height: String
    let outline: String
    let places: [MapPlace]
    let facilities: [MapPoint]
    let checkpoints: [MapPoint]
    let sightings: [MapPoint]
    let alertHeadline: String?
    /// The alert whose delivery colours the checkpoints.
    let alertID: String
}

/// A recipient's delivery of one alert.
struct DeliveryRow: Sendable {
    let alert: String
    let recipient: String
    let name: String
    /// silent, delivered, acknowledged.
    let state: String
    let stateLabel: String
    let since: String
    let sinceISO: String
    let sends: Int
    let by: String
    let escalated: Bool
    /// Since when the row has been in its state: the panel puts the longest silent first.
    let sinceDate: Date
}

/// An alert and its deliveries.
struct AlertView {
    let id: String
    let headline: String
    let kind: String
    let sentAt: String
    let sentISO: String
    let rows: [DeliveryRow]
    let silent: Int
    /// Received, not acknowledged.
    let delivered: Int
    let acknowledged: Int
    /// Rows escalated (whatever their state now).
    let escalated: Int
    /// Silent or received: those a re-send goes to.
    let unacknowledged: Int
    let hasRows: Bool
    let canResend: Bool
}

/// A wanted person's card.
struct FugitiveCard {
    struct ScriptNames {
        let script: String
        let names: String
    }

    struct Choice {
        let value: String
        let label: String
        /// The person's current status: the menu starts on it.
        let selected: Bool
    }

    let id: String
    let name: String
    let initials: String
    let photo: String?
    let scripts: [ScriptNames]
    let status: String
    let statusLabel: String
    let since: String
    let sinceISO: String
    let born: String?
    let nationalities: String?
    let lastSighting: String?
    let associates: [String]
    let organizations: [String]
    let hasAssociates: Bool
    let hasOrganizations: Bool
    let reason: String?
    let notes: String?
    let canChange: Bool
    let choices: [Choice]
    /// The aliases the card shows (those adding a word the card does not show already), `·`-separated.
    let otherNames: String?
    /// Every name (the name and the aliases), one a line: what the board's search reads.
    let searchNames: String
    /// The groups' ids, space-separated, for the board's group filter.
    let groupIDs: String
    /// The nationalities' codes, space-separated, for the board's nationality filter.
    let nationalityCodes: String
    /// The events that name the person (reports attached among them, for those who read reports), newest first.
    let timeline: [TimelineItem]
    let hasTimeline: Bool
}

/// An option of a select.
struct OptionView {
    let value: String
    let label: String
    let lat: String?
    let lon: String?
}

import CordonAlerts
import CordonCore
import CordonCustody
import CordonEvents
import CordonServer
import CordonStore
import Foundation

/// Reads what the dashboard's pages and live feed show, from the store and the running services,
/// each part filtered by the reader's role.
struct DashboardData<S: Store>: Sendable {
    let store: S
    let alerts: AlertCenter<S>
    let custody: CustodyWatch<S>
    let bus: any EventBus
    let map: DashboardMap
    /// The towns places are named by (`12 km east of Vahdat`); none, and places are coordinates.
    var gazetteer = Gazetteer(places: [])

    /// The most timeline lines a page starts with.
    static var timelineLimit: Int { 300 }

    // MARK: Names

    /// Display names of what the timeline and the deliveries refer to.
    struct Names: Sendable {
        var persons: [String: String] = [:]
        var checkpoints: [String: Checkpoint] = [:]
        var posts: [String: String] = [:]
        var vehicles: [String: String] = [:]

        /// `4519 AA 01 (white Toyota Camry)`.
        static func label(_ vehicle: Vehicle) -> String {
            "\(vehicle.plate) (\(vehicle.colour) \(vehicle.make) \(vehicle.model))"
        }

        /// Adds a facility's posts as `Corridor post, Block A, <facility>`.
        mutating func add(postsOf facility: Facility, only id: String? = nil) {
            for post in facility.posts where id == nil || post.id.rawValue == id {
                posts[post.id.rawValue] = "\(post.name), \(facility.name)"
            }
        }

        func recipient(_ recipient: String) -> String {
            if recipient.hasPrefix("checkpoints/") {
                let id = String(recipient.dropFirst("checkpoints/".count))
                return checkpoints[id]?.name ?? id
            }
            if recipient.hasPrefix("posts/") {
                let id = String(recipient.dropFirst("posts/".count))
                return posts[id] ?? id
            }
            return recipient
        }
    }

    /// What a page reads, each collection once.
    struct Snapshot: Sendable {
        let persons: [Person]
        let checkpoints: [Checkpoint]
        let facilities: [Facility]
        let vehicles: [Vehicle]
        let alerts: [Alert]
        let sightings: [Sighting]
        let names: Names
    }

    func snapshot() async throws -> Snapshot {
        let persons = try await store.allEntities(Person.self)
        let checkpoints = try await store.allEntities(Checkpoint.self)
        let facilities = try await store.allEntities(Facility.self)
        let vehicles = try await store.allEntities(Vehicle.self)
        var names = Names()
        for person in persons { names.persons[person.id.rawValue] = person.name.fullName }
        for checkpoint in checkpoints { names.checkpoints[checkpoint.id.rawValue] = checkpoint }
        for facility in facilities { names.add(postsOf: facility) }
        for vehicle in vehicles {
            names.vehicles[vehicle.id.rawValue] = Names.label(vehicle)
        }
        return Snapshot(
            persons: persons,
            checkpoints: checkpoints,
            facilities: facilities,
            vehicles: vehicles,
            alerts: try await store.allEntities(Alert.self),
            sightings: try await store.allEntities(Sighting.self),
            names: names
        )
    }

    /// Only the names one sighting refers to: the live feed looks up what each event needs rather
    /// than the whole store.
    func names(for sighting: Sighting) async throws -> Names {
        var names = Names()
        if let person = sighting.person, let found = try await store.entity(Person.self, id: person.rawValue) {
            names.persons[person.rawValue] = found.entity.name.fullName
        }
        if let vehicle = sighting.vehicle, let found = try await store.entity(Vehicle.self, id: vehicle.rawValue) {
            names.vehicles[vehicle.rawValue] = Names.label(found.entity)
        }
        if let checkpoint = sighting.checkpoint,
            let found = try await store.entity(Checkpoint.self, id: checkpoint.rawValue)
        {
            names.checkpoints[checkpoint.rawValue] = found.entity
        }
        return names
    }

    /// The names of every recipient an alert can have: checkpoints and posts.
    func recipientNames() async throws -> Names {
        var names = Names()
        for checkpoint in try await store.allEntities(Checkpoint.self) {
            names.checkpoints[checkpoint.id.rawValue] = checkpoint
        }
        for facility in try await store.allEntities(Facility.self) { names.add(postsOf: facility) }
        return names
    }

    /// Only the name of one recipient (`checkpoints/ID` or `posts/ID`).
    func names(forRecipient recipient: String) async throws -> Names {
        var names = Names()
        if recipient.hasPrefix("checkpoints/") {
            let id = String(recipient.dropFirst("checkpoints/".count))
            if let found = try await store.entity(Checkpoint.self, id: id) { names.checkpoints[id] = found.entity }
        } else if recipient.hasPrefix("posts/") {
            let id = String(recipient.dropFirst("posts/".count))
            for facility in try await store.allEntities(Facility.self) { names.add(postsOf: facility, only: id) }
        }
        return names
    }

    // MARK: Timeline

    /// The incident timeline a role may read, newest first.
    func timeline(for role: Role, clock: DashboardClock, snapshot: Snapshot) async throws -> [TimelineItem] {
        let names = snapshot.names
        var items: [TimelineItem] = []
        if DashboardVisibility.incidents.contains(role) {
            // Sightings, alerts, incidents and captures have records of their own, shown below.
            let recorded: Set<TimelineEvent.Kind> = [.sighting, .alertSent, .incidentRaised, .capture]
            for event in try await store.allEntities(TimelineEvent.self) where !recorded.contains(event.kind) {
                if event.kind == .report, !DashboardVisibility.reports.contains(role) { continue }
                items.append(item(event, clock: clock))
            }
            for incident in try await store.allEntities(Incident.self) {
                items.append(item(incident, clock: clock))
            }
            for person in snapshot.persons {
                items += statusItems(person, clock: clock)
            }
        }
        if DashboardVisibility.alerts.contains(role) {
            for alert in snapshot.alerts {
                items.append(item(alert, clock: clock))
            }
        }
        if DashboardVisibility.deliveries.contains(role) {
            // The delivery tracker holds every delivery in memory: no need to read them back.
            for alert in snapshot.alerts {
                for delivery in await alerts.deliveries(of: alert.id) where delivery.state == .acknowledged {
                    if let item = item(acknowledged: delivery, names: names, clock: clock) { items.append(item) }
                }
            }
        }
        if DashboardVisibility.sightings.contains(role) {
            for sighting in snapshot.sightings {
                items.append(item(sighting, names: names, clock: clock))
            }
        }
        items += try await leadItems(for: role, checkpoints: snapshot.checkpoints, clock: clock)
        items.sort { ($0.at, $0.id) > ($1.at, $1.id) }
        return Array(items.prefix(Self.timelineLimit))
    }

    func item(_ event: TimelineEvent, clock: DashboardClock) -> TimelineItem {
        let kind: String
        switch event.kind {
        case .sighting: kind = "sighting"
        case .capture: kind = "capture"
        case .alertSent: kind = "alert"
        case .incidentRaised, .escapeDiscovered: kind = "incident"
        case .report: kind = "report"
        default: kind = "event"
        }
        return TimelineItem(
            id: "tl-event-\(event.id.rawValue)",
            at: event.at,
            iso: clock.iso(event.at),
            time: clock.time(event.at),
            kind: kind,
            label: event.kind == .report ? "Report attached" : Self.words(event.kind.rawValue),
            text: event.summary + (event.report.map { " SHA-256 \($0.sha256.prefix(12))…" } ?? "")
        )
    }

    func item(_ incident: Incident, clock: DashboardClock) -> TimelineItem {
        TimelineItem(
            id: "tl-incident-\(incident.id.rawValue)",
            at: incident.raisedAt,
            iso: clock.iso(incident.raisedAt),
            time: clock.time(incident.raisedAt),
            kind: "incident",
            label: "Incident raised (\(Self.words(incident.kind.rawValue)))",
            text: incident.summary + (incident.status == .raised ? "" : " [\(incident.status.rawValue)]")
        )
    }

    func item(_ alert: Alert, clock: DashboardClock) -> TimelineItem {
        TimelineItem(
            id: "tl-alert-\(alert.id.rawValue)",
            at: alert.sentAt,
            iso: clock.iso(alert.sentAt),
            time: clock.time(alert.sentAt),
            kind: "alert",
            label: "Alert sent (\(Self.words(alert.kind.rawValue)))",
            text: alert.headline
        )
    }

    func item(acknowledged delivery: Delivery, names: Names, clock: DashboardClock) -> TimelineItem? {
        guard let at = delivery.acknowledgedAt else { return nil }
        return TimelineItem(
            id: "tl-ack-\(delivery.id)",
            at: at,
            iso: clock.iso(at),
            time: clock.time(at),
            kind: "ack",
            label: "Acknowledged",
            text: "\(names.recipient(delivery.recipient)) acknowledged alert \(delivery.alert.rawValue)"
                + ((delivery.acknowledgedOfficer ?? delivery.acknowledgedBy).map { " (\($0))" } ?? "")
        )
    }

    func item(_ sighting: Sighting, names: Names, clock: DashboardClock) -> TimelineItem {
        let words = sightingText(sighting, names: names)
        return TimelineItem(
            id: "tl-sighting-\(sighting.id.rawValue)",
            at: sighting.observedAt,
            iso: clock.iso(sighting.observedAt),
            time: clock.time(sighting.observedAt),
            kind: "sighting",
            label: sighting.source == .publicTip ? "Tip" : "Sighting",
            text: words.before,
            place: words.place,
            after: words.after
        )
    }

    func statusItems(_ person: Person, clock: DashboardClock) -> [TimelineItem] {
        guard let history = person.wanted?.history else { return [] }
        return history.dropFirst().map { change in
            TimelineItem(
                id: "tl-status-\(person.id.rawValue)-\(Int(change.at.timeIntervalSince1970))-\(change.status.rawValue)",
                at: change.at,
                iso: clock.iso(change.at),
                time: clock.time(change.at),
                kind: change.status == .captured || change.status == .dead ? "capture" : "event",
                label: "Now \(change.status)",
                text: person.name.fullName + (change.note.map { ": \($0)" } ?? "")
            )
        }
    }

    /// A sighting in words, in three parts so that a page can give the place its coordinates.
    struct SightingText: Sendable {
        /// `Gʻofurov Sherzod Akmalovich `.
        let before: String
        /// `at Dushanbe International Airport` (a checkpoint's), `12 km east of Vahdat`, `in Vahdat`.
        let place: PlaceMention
        /// ` (police patrol, high confidence): heading east`.
        let after: String

        var text: String { before + place.text + after }
    }

    /// Who was seen where: the place is the checkpoint's name, or where it lies from the nearest
    /// town; the coordinates go in the place's title.
    func sightingText(_ sighting: Sighting, names: Names) -> SightingText {
        var subject: [String] = []
        if let person = sighting.person { subject.append(names.persons[person.rawValue] ?? person.rawValue) }
        if let vehicle = sighting.vehicle { subject.append(names.vehicles[vehicle.rawValue] ?? vehicle.rawValue) }
        let location = sighting.location
        let coordinates = Gazetteer.coordinates(latitude: location.latitude, longitude: location.longitude)
        let position = gazetteer.describe(latitude: location.latitude, longitude: location.longitude)
        let place: PlaceMention
        if let checkpoint = sighting.checkpoint.flatMap({ names.checkpoints[$0.rawValue]?.name }) {
            place = PlaceMention(
                text: "at \(checkpoint)",
                title: position == coordinates ? coordinates : "\(coordinates) (\(position))"
            )
        } else {
            place = PlaceMention(text: position, title: coordinates)
        }
        var after = " (\(Self.words(sighting.source.rawValue)), \(sighting.confidence.rawValue) confidence)"
        if let note = sighting.note { after += ": " + note }
        return SightingText(
            before: (subject.isEmpty ? "Someone" : subject.joined(separator: " in ")) + " ",
            place: place,
            after: after
        )
    }

    /// A sighting in one line of plain text.
    func describe(_ sighting: Sighting, names: Names) -> String {
        sightingText(sighting, names: names).text
    }

    /// `missed_check_in` → `missed check in`.
    static func words(_ code: String) -> String {
        code.replacingOccurrences(of: "_", with: " ")
    }

    // MARK: Alerts and deliveries

    /// Alerts with who received and acknowledged each, newest first.
    func alertViews(clock: DashboardClock, limit: Int = 20, canResend: Bool, snapshot: Snapshot) async -> [AlertView] {
        let all = snapshot.alerts.sorted { ($0.sentAt, $0.id) > ($1.sentAt, $1.id) }
        var views: [AlertView] = []
        for alert in all.prefix(limit) {
            views.append(await alertView(alert, names: snapshot.names, clock: clock, canResend: canResend))
        }
        return views
    }

    /// One alert with its deliveries: silent recipients first, the longest silent first; then those
    /// that received it without acknowledging, the longest waiting first; then the acknowledged.
    func alertView(_ alert: Alert, names: Names, clock: DashboardClock, canResend: Bool) async -> AlertView {
        let rows = Self.ordered(
            await alerts.deliveries(of: alert.id)
                .map { Self.deliveryRow($0, name: names.recipient($0.recipient), clock: clock) }
        )
        return AlertView(
            id: alert.id.rawValue,
            headline: alert.headline,
            kind: Self.words(alert.kind.rawValue),
            sentAt: clock.time(alert.sentAt),
            sentISO: clock.iso(alert.sentAt),
            rows: rows,
            silent: rows.filter { $0.state == "silent" }.count,
            delivered: rows.filter { $0.state == "delivered" }.count,
            acknowledged: rows.filter { $0.state == "acknowledged" }.count,
            escalated: rows.filter(\.escalated).count,
            unacknowledged: rows.filter { $0.state != "acknowledged" }.count,
            hasRows: !rows.isEmpty,
            canResend: canResend && rows.contains { $0.state != "acknowledged" }
        )
    }

    /// Silent first: the rows that need someone's attention.
    static func stateOrder(_ state: String) -> Int {
        ["silent": 0, "delivered": 1, "acknowledged": 2][state] ?? 3
    }

    /// A delivery as the panel shows it: silent until the recipient confirms it received the alert.
    static func deliveryRow(_ delivery: Delivery, name: String, clock: DashboardClock) -> DeliveryRow {
        let state: String
        let label: String
        let since: Date
        switch delivery.state {
        case .queued:
            state = "silent"
            label = delivery.escalatedAt == nil ? "silent" : "silent, escalated"
            since = delivery.queuedAt
        case .delivered:
            state = "delivered"
            label = delivery.escalatedAt == nil ? "received, not acknowledged" : "received, not acknowledged, escalated"
            since = delivery.deliveredAt ?? delivery.queuedAt
        case .acknowledged:
            state = "acknowledged"
            label = "acknowledged"
            since = delivery.acknowledgedAt ?? delivery.queuedAt
        }
        return DeliveryRow(
            alert: delivery.alert.rawValue,
            recipient: delivery.recipient,
            name: name,
            state: state,
            stateLabel: label,
            since: clock.time(since),
            sinceISO: clock.iso(since),
            sends: delivery.sends,
            by: delivery.acknowledgedOfficer.map { officer in
                "\(officer)" + (delivery.acknowledgedBy.map { " · account \($0)" } ?? "")
            } ?? delivery.acknowledgedBy ?? "",
            escalated: delivery.escalatedAt != nil,
            sinceDate: since
        )
    }
}

import CordonAlerts
import CordonCore
import CordonCustody
import CordonEvents
import CordonServer
import CordonStore
import Foundation

extension DashboardData {
    // MARK: Map

    /// The map: the facility, checkpoints coloured by the latest checkpoint alert's delivery, sightings.
    func mapView(for role: Role, clock: DashboardClock, snapshot: Snapshot) async -> MapView {
        let facilities = snapshot.facilities.map { facility in
            point(
                facility.location,
                id: "facility-\(facility.id.rawValue)",
                kind: "facility",
                state: "",
                label: facility.name
            )
        }
        let checkpoints = snapshot.checkpoints
        var states: [String: String] = [:]
        var headline: String?
        var alertID = ""
        if DashboardVisibility.deliveries.contains(role),
            let latest = snapshot.alerts.filter({ !$0.checkpoints.isEmpty })
                .max(by: { ($0.sentAt, $0.id) < ($1.sentAt, $1.id) })
        {
            headline = latest.headline
            alertID = latest.id.rawValue
            for delivery in await alerts.deliveries(of: latest.id) {
                states[delivery.recipient] = Self.deliveryRow(delivery, name: "", clock: clock).state
            }
        }
        let checkpointPoints = checkpoints.map { checkpoint in
            let state = states["checkpoints/\(checkpoint.id.rawValue)"] ?? "none"
            return point(
                checkpoint.location,
                id: "checkpoints/\(checkpoint.id.rawValue)",
                kind: "checkpoint",
                state: state,
                label: "\(checkpoint.name): \(state == "none" ? "no alert" : state)"
            )
        }
        var sightings: [MapPoint] = []
        if DashboardVisibility.sightings.contains(role) {
            for sighting in snapshot.sightings {
                sightings.append(sightingPoint(sighting, names: snapshot.names, clock: clock))
            }
        }
        return MapView(
            width: DashboardMap.number(map.width),
            height: DashboardMap.number(map.height),
            outline: map.outline,
            facilities: facilities,
            checkpoints: checkpointPoints,
            sightings: sightings,
            alertHeadline: headline,
            alertID: alertID
        )
    }

    func sightingPoint(_ sighting: Sighting, names: Names, clock: DashboardClock) -> MapPoint {
        point(
            sighting.location,
            id: "sighting-\(sighting.id.rawValue)",
            kind: "sighting",
            state: sighting.confidence.rawValue,
            label: "\(clock.time(sighting.observedAt)): \(Self.describe(sighting, names: names))"
        )
    }

    func point(_ location: Coordinates, id: String, kind: String, state: String, label: String) -> MapPoint {
        let projected = map.project(location)
        return MapPoint(
            id: id,
            x: DashboardMap.number(projected.x),
            y: DashboardMap.number(projected.y),
            kind: kind,
            state: state,
            label: label
        )
    }

    // MARK: Fugitives

    /// Every wanted person as a card, at large first.
    func cards(for role: Role, clock: DashboardClock, snapshot: Snapshot) async throws -> [FugitiveCard] {
        let persons = snapshot.persons
        let byID = Dictionary(persons.map { ($0.id.rawValue, $0.name.fullName) }, uniquingKeysWith: { a, _ in a })
        let organizations = Dictionary(
            try await store.allEntities(Organization.self).map { ($0.id.rawValue, $0.name) },
            uniquingKeysWith: { a, _ in a }
        )
        let relations = try await store.allEntities(Relation.self)
        let names = snapshot.names
        var lastSighting: [String: Sighting] = [:]
        for sighting in snapshot.sightings {
            guard let person = sighting.person?.rawValue else { continue }
            if let known = lastSighting[person], known.observedAt >= sighting.observedAt { continue }
            lastSighting[person] = sighting
        }
        let canChange = Roles.command.contains(role)
        let order: [WantedStatus: Int] = [.atLarge: 0, .captured: 1, .dead: 2, .cleared: 3]
        return persons.compactMap { person -> FugitiveCard? in
            guard let wanted = person.wanted, let current = wanted.history.last else { return nil }
            var associates: [String] = []
            for relation in relations {
                if relation.from == person.id, case .person(let other) = relation.to {
                    associates.append(
                        "\(byID[other.rawValue] ?? other.rawValue) (\(Self.words(relation.kind.rawValue)))"
                    )
                } else if case .person(let other) = relation.to, other == person.id {
                    associates.append(
                        "\(byID[relation.from.rawValue] ?? relation.from.rawValue) (\(Self.words(relation.kind.rawValue)))"
                    )
                }
            }
            var scripts: [Script: [String]] = [:]
            for name in person.allNames {
                for script in Script.scripts(of: name) where !(scripts[script]?.contains(name) ?? false) {
                    scripts[script, default: []].append(name)
                }
            }
            let photo = person.photo.map(\.uri).flatMap { uri in
                uri.hasPrefix("/ui/static/") || uri.hasPrefix("data:image/") ? uri : nil
            }
            return FugitiveCard(
                id: person.id.rawValue,
                name: person.name.fullName,
                initials: String(person.name.parts.prefix(2).compactMap(\.value.first)),
                photo: photo,
                scripts: scripts.keys.sorted().map {
                    .init(script: $0.rawValue.capitalized, names: scripts[$0]!.joined(separator: " · "))
                },
                status: current.status.rawValue,
                statusLabel: current.status.description,
                since: clock.time(current.at),
                sinceISO: clock.iso(current.at),
                born: person.birthDate.map(\.description),
                nationalities: person.nationalities.isEmpty
                    ? nil : person.nationalities.map(\.rawValue).joined(separator: ", "),
                lastSighting: lastSighting[person.id.rawValue].map {
                    "\(clock.time($0.observedAt)): \(Self.describe($0, names: names))"
                },
                associates: associates.sorted(),
                organizations: person.organizations.map { organizations[$0.rawValue] ?? $0.rawValue },
                hasAssociates: !associates.isEmpty,
                hasOrganizations: !person.organizations.isEmpty,
                reason: wanted.reason,
                notes: person.notes,
                canChange: canChange,
                choices: WantedStatus.allCases.filter { current.status.canChange(to: $0) }.map {
                    .init(value: $0.rawValue, label: $0.description)
                }
            )
        }
        .sorted {
            (order[WantedStatus(rawValue: $0.status) ?? .cleared] ?? 9, $0.name) < (
                order[WantedStatus(rawValue: $1.status) ?? .cleared] ?? 9, $1.name
            )
        }
    }
}

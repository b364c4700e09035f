import CordonAlerts
import CordonCore
import CordonCustody
import CordonEvents
import CordonServer
import CordonStore
import Foundation

extension DashboardData {
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
        // Each person's own timeline: the events that name them, reports attached only for those who read reports.
        var events: [String: [TimelineItem]] = [:]
        for event in try await store.allEntities(TimelineEvent.self) {
            if event.kind == .report, !DashboardVisibility.reports.contains(role) { continue }
            for person in Set(event.persons) { events[person.rawValue, default: []].append(item(event, clock: clock)) }
        }
        let canChange = Roles.command.contains(role)
        let order: [WantedStatus: Int] = [.atLarge: 0, .captured: 1, .dead: 2, .cleared: 3]
        return persons.compactMap { person -> FugitiveCard? in
            guard let wanted = person.wanted, let current = wanted.history.last else { return nil }
            var associates: [String] = []
            // The groups as the data has them: the person's organisations and those they are a member of.
            var groups = person.organizations.map(\.rawValue)
            for relation in relations where relation.from == person.id {
                if case .organization(let group) = relation.to, !groups.contains(group.rawValue) {
                    groups.append(group.rawValue)
                }
            }
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
            let otherNames = Self.otherNames(of: person)
            let timeline = (events[person.id.rawValue] ?? []).sorted { ($0.at, $0.id) > ($1.at, $1.id) }
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
                    "\(clock.time($0.observedAt)): \(self.describe($0, names: names))"
                },
                associates: associates.sorted(),
                organizations: groups.map { organizations[$0] ?? $0 },
                hasAssociates: !associates.isEmpty,
                hasOrganizations: !groups.isEmpty,
                reason: wanted.reason,
                notes: person.notes,
                canChange: canChange,
                choices: Self.statusChoices(from: current.status),
                otherNames: otherNames.isEmpty ? nil : otherNames.joined(separator: " · "),
                searchNames: person.allNames.joined(separator: "\n"),
                groupIDs: groups.joined(separator: " "),
                nationalityCodes: person.nationalities.map(\.rawValue).joined(separator: " "),
                timeline: timeline,
                hasTimeline: !timeline.isEmpty
            )
        }
        .sorted {
            (order[WantedStatus(rawValue: $0.status) ?? .cleared] ?? 9, $0.name) < (
                order[WantedStatus(rawValue: $1.status) ?? .cleared] ?? 9, $1.name
            )
        }
    }
}

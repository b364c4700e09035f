import CordonCore
import Foundation

/// Renders a scenario summary as text for people, instants in the scenario's zone with the zone shown.
enum ScenarioReport {
    static func render(_ scenario: Scenario, summary: ScenarioSummary) -> String {
        let zone = scenario.timeZone
        func when(_ date: Date) -> String { "\(Instant.display(date, in: zone)) (\(zone.identifier))" }
        func counts(_ table: [String: Int]) -> String {
            table.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }
                .joined(separator: ", ")
        }
        var lines: [String] = []
        lines.append(scenario.title)
        lines.append("  as of \(when(scenario.referenceTime))")
        lines.append("")
        lines.append("Facilities")
        for facility in summary.facilities {
            lines.append(
                "  \(facility.name) [\(facility.kind)]: \(facility.blocks) blocks, \(facility.cells) cells "
                    + "(room for \(facility.cellCapacity)), \(facility.posts) posts, \(facility.armoryItems) armory items, "
                    + "\(facility.inCustody) held, \(facility.staffOnDuty) staff on duty"
            )
        }
        lines.append("")
        lines.append("Wanted: \(summary.wanted) of \(summary.persons) persons (\(counts(summary.wantedByStatus)))")
        lines.append("  nationalities: \(counts(summary.wantedByNationality))")
        lines.append("  names recorded in: \(counts(summary.wantedByScript)); \(summary.aliases) aliases and spellings")
        for person in scenario.wantedPersons.prefix(40) {
            let nationality = person.nationalities.map(\.rawValue).joined(separator: "/")
            let born = person.birthDate.map { " b. \($0)" } ?? ""
            let also = person.aliases.prefix(3).map(\.value).joined(separator: "; ")
            lines.append(
                "  - \(person.name.fullName) [\(nationality)]\(born), \(person.wanted!.status)"
                    + (also.isEmpty ? "" : " — also \(also)")
            )
        }
        lines.append("")
        lines.append(
            "Organisations: \(summary.organizations); relations: \(summary.relations); staff: \(summary.staff)"
        )
        lines.append("Vehicles: \(summary.vehicles) (\(summary.stolenVehicles) stolen)")
        for vehicle in scenario.vehicles {
            lines.append(
                "  - \(vehicle.plate) \(vehicle.colour) \(vehicle.make) \(vehicle.model)\(vehicle.isStolen ? ", stolen" : "")"
            )
        }
        lines.append("Checkpoints: \(summary.checkpoints) (\(counts(summary.checkpointsByKind)))")
        lines.append("")
        lines.append("Timeline: \(summary.events) events")
        for event in scenario.events {
            lines.append("  \(Instant.display(event.at, in: zone))  \(event.summary)")
        }
        lines.append("Incidents: \(summary.incidents); alerts: \(summary.alerts); sightings: \(summary.sightings)")
        lines.append("Times are shown in \(zone.identifier).")
        return lines.joined(separator: "\n")
    }
}

public import Foundation

/// The shape of a scenario in figures: what `cordon scenario show` prints.
public struct ScenarioSummary: Sendable, Hashable, Codable {
    /// One facility in figures.
    public struct FacilityFigures: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var kind: String
        public var blocks: Int
        public var cells: Int
        public var cellCapacity: Int
        public var posts: Int
        public var armoryItems: Int
        public var inCustody: Int
        public var staffOnDuty: Int
    }

    public var title: String
    public var timeZone: String
    public var referenceTime: Date
    public var facilities: [FacilityFigures]
    public var organizations: Int
    public var persons: Int
    public var wanted: Int
    /// Wanted persons per status (`at_large` → 22).
    public var wantedByStatus: [String: Int]
    /// Wanted persons per nationality (`TJ` → 14); a person with two counts twice.
    public var wantedByNationality: [String: Int]
    /// Wanted persons per script of the name as recorded (`cyrillic` → 17).
    public var wantedByScript: [String: Int]
    public var aliases: Int
    public var relations: Int
    public var staff: Int
    public var vehicles: Int
    public var stolenVehicles: Int
    public var checkpoints: Int
    /// Checkpoints per kind (`road` → 20).
    public var checkpointsByKind: [String: Int]
    public var events: Int
    public var firstEvent: Date?
    public var lastEvent: Date?
    public var incidents: Int
    public var alerts: Int
    public var sightings: Int

    /// Computes the figures of a scenario.
    public init(_ scenario: Scenario) {
        title = scenario.title
        timeZone = scenario.timeZone.identifier
        referenceTime = scenario.referenceTime
        facilities = scenario.facilities.map { facility in
            let cells = Set(facility.cells.map(\.id))
            return FacilityFigures(
                id: facility.id.rawValue,
                name: facility.name,
                kind: facility.kind.rawValue,
                blocks: facility.blocks.count,
                cells: cells.count,
                cellCapacity: facility.cells.reduce(0) { $0 + $1.capacity },
                posts: facility.posts.count,
                armoryItems: facility.armory.count,
                inCustody: scenario.custody.filter { $0.facility == facility.id }.count,
                staffOnDuty: scenario.staff.filter { $0.facility == facility.id && $0.isOnDuty }.count
            )
        }
        organizations = scenario.organizations.count
        persons = scenario.persons.count
        let wanted = scenario.wantedPersons
        self.wanted = wanted.count
        wantedByStatus = Dictionary(grouping: wanted) { $0.wanted!.status.rawValue }.mapValues(\.count)
        wantedByNationality = Dictionary(grouping: wanted.flatMap(\.nationalities)) { $0.rawValue }.mapValues(\.count)
        wantedByScript = Dictionary(grouping: wanted.flatMap { $0.name.scripts.sorted() }) { $0.rawValue }
            .mapValues(\.count)
        aliases = wanted.reduce(0) { $0 + $1.aliases.count }
        relations = scenario.relations.count
        staff = scenario.staff.count
        vehicles = scenario.vehicles.count
        stolenVehicles = scenario.vehicles.filter(\.isStolen).count
        checkpoints = scenario.checkpoints.count
        checkpointsByKind = Dictionary(grouping: scenario.checkpoints) { $0.kind.rawValue }.mapValues(\.count)
        events = scenario.events.count
        firstEvent = scenario.events.map(\.at).min()
        lastEvent = scenario.events.map(\.at).max()
        incidents = scenario.incidents.count
        alerts = scenario.alerts.count
        sightings = scenario.sightings.count
    }
}

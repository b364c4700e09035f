// Screening as every front end uses it: the index of the wanted list kept in step with the store (its
// readers take snapshots, so queries never wait for a writer), screening by travel document and by
// plate, the report of a read document, and the threshold policy that says what alerts.
public import CordonCore
public import CordonDocuments
public import CordonMatch
public import CordonStore
import Synchronization

/// The screening index, kept in step with the store.
///
/// Readers take a snapshot of the index (a copy-on-write value) and screen without holding the lock,
/// so queries run in parallel; writers change it under the lock after the store has committed. The
/// index holds wanted persons who are at large, and organisations; a plate index beside it holds every
/// vehicle of interest.
public final class ScreeningService: Sendable {
    private struct State {
        var index: ScreeningIndex
        var plates: PlateIndex<String>
        var vehicles: [String: Vehicle]
        var listVersion: Int64
        /// Counts every change, so that what is built from a snapshot knows when it is stale.
        var generation: Int64 = 0
    }

    private let state: Mutex<State>

    /// Which threshold a query is answered with.
    public let policy: ScreeningPolicy

    /// Creates an empty service whose index alerts at the policy's threshold.
    public init(policy: ScreeningPolicy = .standard) {
        self.policy = policy
        var options = ScreeningIndex.Options()
        options.threshold = policy.threshold
        options.listThresholds = policy.listThresholds
        state = Mutex(
            State(index: ScreeningIndex(options: options), plates: PlateIndex(), vehicles: [:], listVersion: 0)
        )
    }

    /// The alert threshold of the index.
    public var threshold: Double { state.withLock { $0.index.options.threshold } }

    /// How many entries the index holds.
    public var count: Int { state.withLock { $0.index.count } }

    /// The list version the index reflects.
    public var listVersion: Int64 { state.withLock { $0.listVersion } }

    /// Replaces the index with the store's current list.
    public func rebuild(from store: some Store) async throws {
        let version = try await store.listVersion()
        let persons = try await store.allEntities(Person.self)
        let organizations = try await store.allEntities(Organization.self)
        let entries = WatchlistEntry.wantedList(persons: persons, organizations: organizations)
        let vehicles = try await store.allEntities(Vehicle.self)
        let plates = PlateIndex(vehicles.compactMap(Self.plateEntry))
        state.withLock { state in
            state.generation += 1
            state.index = ScreeningIndex(entries: entries, options: state.index.options)
            state.plates = plates
            state.vehicles = Dictionary(vehicles.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })
            state.listVersion = version
        }
    }

    /// Brings one person in step after a write.
    public func update(_ person: Person, listVersion: Int64) {
        state.withLock { state in
            state.generation += 1
            if Self.isScreened(person) {
                state.index.upsert(WatchlistEntry(person: person))
            } else {
                _ = state.index.remove(id: person.id.rawValue)
            }
            state.listVersion = max(state.listVersion, listVersion)
        }
    }

    /// Brings one organisation in step after a write.
    public func update(_ organization: Organization, listVersion: Int64) {
        state.withLock { state in
            state.generation += 1
            state.index.upsert(WatchlistEntry(organization: organization))
            state.listVersion = max(state.listVersion, listVersion)
        }
    }

    /// Brings one vehicle in step after a write.
    public func update(_ vehicle: Vehicle, listVersion: Int64) {
        state.withLock { state in
            state.generation += 1
            if let entry = Self.plateEntry(vehicle) {
                state.plates.upsert(id: entry.id, plate: entry.plate)
                state.vehicles[entry.id] = vehicle
            } else {
                state.plates.remove(id: vehicle.id.rawValue)
                state.vehicles[vehicle.id.rawValue] = nil
            }
            state.listVersion = max(state.listVersion, listVersion)
        }
    }

    /// Removes a vehicle after a delete.
    public func removeVehicle(id: String, listVersion: Int64) {
        state.withLock { state in
            state.generation += 1
            state.plates.remove(id: id)
            state.vehicles[id] = nil
            state.listVersion = max(state.listVersion, listVersion)
        }
    }

    /// Screens a plate against one snapshot of the vehicles of interest.
    ///
    /// - Returns: the hits with their vehicles, the plate threshold and the list version.
    public func screen(
        plate: PlateReading,
        limit: Int
    ) -> (hits: [(hit: PlateIndex<String>.Hit, vehicle: Vehicle)], threshold: Double, listVersion: Int64) {
        let (plates, vehicles, version) = state.withLock { ($0.plates, $0.vehicles, $0.listVersion) }
        let hits = plates.search(plate, limit: limit).compactMap { hit in vehicles[hit.id].map { (hit, $0) } }
        return (hits, plates.threshold, version)
    }

    /// How many vehicles the plate index holds.
    public var vehicleCount: Int { state.withLock { $0.plates.count } }

    public static func plateEntry(_ vehicle: Vehicle) -> (id: String, plate: PlateReading)? {
        (try? PlateReading(vehicle.plate.text, country: vehicle.country)).map { (vehicle.id.rawValue, $0) }
    }

    /// Removes an entry after a delete.
    public func remove(id: String, listVersion: Int64) {
        state.withLock { state in
            state.generation += 1
            _ = state.index.remove(id: id)
            state.listVersion = max(state.listVersion, listVersion)
        }
    }

    /// Screens queries against one snapshot of the index.
    ///
    /// - Returns: per query, the hits with the entries' names; and the list version they ran against.
    public func screen(
        _ queries: [ScreeningQuery],
        limit: Int
    ) throws -> (results: [[(hit: ScreeningHit, entry: WatchlistEntry)]], listVersion: Int64) {
        let (index, version) = state.withLock { ($0.index, $0.listVersion) }
        let results = try queries.map { query in
            try index.screen(query, limit: limit).compactMap { hit in index.entry(id: hit.entryID).map { (hit, $0) } }
        }
        return (results, version)
    }

    /// One consistent snapshot of the index and the plates, for readers of text built from them, with
    /// the list version and a generation that changes with every change.
    public func readingSnapshot() -> (
        index: ScreeningIndex, plates: PlateIndex<String>, listVersion: Int64, generation: Int64
    ) {
        state.withLock { ($0.index, $0.plates, $0.listVersion, $0.generation) }
    }

    /// The hit a query gets on one entry against the whole index now, if the entry is among its hits.
    ///
    /// - Returns: the hit with its entry, or nil when the entry is not listed or not a candidate.
    public func hit(_ query: ScreeningQuery, on id: String) -> (hit: ScreeningHit, entry: WatchlistEntry)? {
        let index = state.withLock { $0.index }
        guard let entry = index.entry(id: id),
            let hits = try? index.screen(query, limit: index.options.candidateLimit),
            let hit = hits.first(where: { $0.entryID == id })
        else { return nil }
        return (hit, entry)
    }

    /// Why a query did or did not alert on one listed entry, scored directly against one snapshot.
    ///
    /// - Returns: the explanation with its entry and the list version, or nil when no entry has that id.
    /// - Throws: ``CordonMatch/ScreeningError/emptyName`` when the name has nothing to match on.
    public func explainMiss(
        _ query: ScreeningQuery,
        entryID: String
    ) throws -> (miss: MissExplanation, entry: WatchlistEntry, listVersion: Int64)? {
        let (index, version) = state.withLock { ($0.index, $0.listVersion) }
        guard let entry = index.entry(id: entryID), let miss = try index.explainMiss(query, entryID: entryID) else {
            return nil
        }
        return (miss, entry, version)
    }

    public static func isScreened(_ person: Person) -> Bool {
        person.wanted?.status == .atLarge
    }
}

public import CordonCore
public import CordonEvents
import CordonMatch
public import CordonStore
public import Foundation
public import Logging
public import ServiceLifecycle

/// Looks back whenever the wanted list changes: the checkpoints' queries of the window are screened again
/// against the persons and vehicles that are new on the list or changed, and each that would alert now is
/// kept as a ``Lead`` and announced to headquarters (``OperationsEvent/lead(lead:entry:checkpoint:)``).
///
/// Every ``LookBack/Options/interval`` it reads the list version. When it moved, and the node's screening
/// index has followed it, the service reads the list, compares it with the entries it last looked back for,
/// reads the audit records written since its last look (the window's records, the first time) and screens
/// those queries against a ``LookBack`` of the changed entries alone. New leads, and the cursor that says
/// how far it came, are written in one transaction with their audit record; leads found before are not
/// written again. A look back that fails is tried again at the next look. One node looks back: the leader.
public struct LookBackService<S: Store>: Service {
    public let store: S
    public let screening: ScreeningService
    public let bus: any EventBus
    public let options: LookBack.Options
    let now: @Sendable () -> Date
    let logger: Logger

    /// What the service knows between looks.
    struct State: Sendable {
        var listVersion: Int64 = -1
        var persons: [String: WatchlistEntry] = [:]
        var vehicles: [String: Vehicle] = [:]
        var window = PastQueryWindow()
    }

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - screening: the node's index: a look back waits until it follows the list, and confirms each
    ///     finding's score against it.
    ///   - now: the clock the window is measured on.
    public init(
        store: S,
        screening: ScreeningService,
        bus: any EventBus,
        options: LookBack.Options = .init(),
        now: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        self.store = store
        self.screening = screening
        self.bus = bus
        self.options = options
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        var state: State?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                var current: State
                if let state {
                    current = state
                } else {
                    current = try await start()
                }
                try await look(&current)
                state = current
            } catch {
                logger.warning("cannot look back", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: options.interval) }
            } catch {
                return
            }
        }
    }

    /// The entries as last looked back for: those written up to the stored cursor (or all, the first time).
    func start() async throws -> State {
        let through = try await store.entity(LookBackCursor.self, id: LookBackCursor.id)?.entity.through ?? now()
        var state = State()
        for document in try await store.allDocuments(kind: .person) {
            let person: Versioned<Person> = try S.decode(document)
            if person.updatedAt <= through, ScreeningService.isScreened(person.entity) {
                state.persons[person.entity.id.rawValue] = WatchlistEntry(person: person.entity)
            }
        }
        for document in try await store.allDocuments(kind: .vehicle) {
            let vehicle: Versioned<Vehicle> = try S.decode(document)
            if vehicle.updatedAt <= through { state.vehicles[vehicle.entity.id.rawValue] = vehicle.entity }
        }
        return state
    }

    /// One look: nothing unless the list changed and the index followed it.
    func look(_ state: inout State) async throws {
        let version = try await store.listVersion()
        guard version != state.listVersion, screening.listVersion >= version else { return }
        let started = now()
        let persons = try await store.allEntities(Person.self).filter(ScreeningService.isScreened)
            .map(WatchlistEntry.init(person:))
        let vehicles = try await store.allEntities(Vehicle.self)
        var next = state
        next.listVersion = version
        next.persons = Dictionary(persons.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        next.vehicles = Dictionary(vehicles.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })
        let lookBack = LookBack(
            persons: LookBack.changed(persons.map { ($0.id, $0) }, since: state.persons),
            vehicles: LookBack.changed(vehicles.map { ($0.id.rawValue, $0) }, since: state.vehicles),
            threshold: screening.threshold,
            listThresholds: screening.policy.listThresholds
        )
        guard !lookBack.isEmpty else {
            state = next
            return
        }
        let left = try await next.window.advance(
            in: store,
            from: started.addingTimeInterval(-options.window),
            maximum: options.maximumQueries
        )
        if left > 0 {
            logger.warning(
                "the look-back window holds more queries than a look back screens: the oldest were left out",
                metadata: ["look_back.left_out": "\(left)", "look_back.maximum": "\(options.maximumQueries)"]
            )
        }
        var checkpoints: [String: CheckpointID?] = [:]
        var leads: [Lead] = []
        var seen: Set<LeadID> = []
        for query in next.window.queries {
            for finding in lookBack.screen(query, confirm: { screening.hit($0, on: $1) }) {
                if query.checkpoint == nil, checkpoints[query.account] == nil {
                    checkpoints[query.account] = try await checkpoint(of: query.account)
                }
                let lead = LookBack.lead(
                    finding,
                    checkpoint: checkpoints[query.account] ?? nil,
                    foundAt: started,
                    listVersion: version
                )
                guard seen.insert(lead.id).inserted,
                    try await store.document(kind: .lead, id: lead.id.rawValue) == nil
                else { continue }
                leads.append(lead)
            }
        }
        let cursor = LookBackCursor(through: started, listVersion: version)
        _ = try await store.apply(
            try leads.map { try S.write($0, operation: .create) } + [S.write(cursor, operation: .upsert)],
            audit: .init(
                actor: "system",
                action: "leads.look_back",
                target: "look_back/\(LookBackCursor.id)",
                details: .object([
                    "list_version": .number(Double(version)),
                    "queries": .number(Double(next.window.queries.count)),
                    "left_out": .number(Double(left)),
                    "leads": .array(leads.map { .string($0.id.rawValue) }),
                ])
            )
        )
        state = next
        for lead in leads {
            await bus.publish(
                .lead(
                    lead: lead.id.rawValue,
                    entry: lead.person?.rawValue ?? lead.vehicle?.rawValue ?? "",
                    checkpoint: lead.query.checkpoint?.rawValue
                )
            )
        }
        logger.info(
            "looked back",
            metadata: [
                "list.version": "\(version)", "look_back.queries": "\(next.window.queries.count)",
                "look_back.leads": "\(leads.count)",
            ]
        )
    }

    /// The checkpoint an account screens for, when it serves exactly one.
    func checkpoint(of username: String) async throws -> CheckpointID? {
        let served = try await store.account(username: username)?.serves.filter { $0.hasPrefix("checkpoints/") } ?? []
        guard served.count == 1 else { return nil }
        return CheckpointID(rawValue: String(served[0].dropFirst("checkpoints/".count)))
    }
}

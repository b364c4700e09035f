import CordonAlerts
import CordonCore
import CordonCustody
import CordonEvents
import CordonPublishing
import CordonScreening
import CordonStore
import Foundation
import Hummingbird
import Logging
import Prometheus

/// Registers every API route, the engines behind them; answers the sign-in controller, which the
/// dashboard shares.
func registerRoutes<S: Store>(
    on secured: SecuredRouter,
    webSocketRouter: Router<CordonRequestContext>,
    store: S,
    configuration: ServerConfiguration,
    engines: (
        screening: ScreeningService, bus: LinkedEventBus, alerts: AlertCenter<S>, custody: CustodyWatch<S>,
        credentials: CredentialService<S>, publisher: ListPublisher<S>
    ),
    registry: PrometheusCollectorRegistry,
    term: LeaderTerm,
    auditor: AuditCommitter<S>,
    ledger: AuditLedger<S>,
    streamQuota: StreamQuota,
    logger: Logger
) -> AuthController<S> {
    var router = secured
    let now = configuration.now
    let (screening, bus, alerts) = (engines.screening, engines.bus, engines.alerts)
    let openAPI = (try? OpenAPIDocument.data()) ?? Data()
    SystemController(
        store: store,
        screening: screening,
        registry: registry,
        openAPI: openAPI,
        node: configuration.node,
        leadership: configuration.leadership,
        term: term,
        alerts: alerts
    ).register(on: &router)
    let authentication = AuthController(
        store: store,
        hasher: PasswordHasher(cost: configuration.bcryptCost),
        limiter: LoginLimiter(limits: configuration.loginLimits),
        tokenLifetime: configuration.tokenLifetime,
        now: now
    )
    authentication.register(on: &router)
    ScreeningController(store: store, screening: screening, now: now, auditor: auditor)
        .register(on: &router)
    let readers = ReaderCache()
    ReadingController(
        screening: screening,
        readers: readers,
        maximumSize: configuration.maximumReportSize,
        auditor: auditor,
        now: now
    )
    .register(on: &router)
    PersonSourcesController(
        store: store,
        screening: screening,
        readers: readers,
        maximumSize: configuration.maximumReportSize,
        now: now
    )
    .register(on: &router)
    PersonStatusController(store: store, screening: screening, bus: bus, now: now).register(on: &router)
    AuditController(store: store, ledger: ledger).register(on: &router)
    ListsController(store: store, screening: screening, maximumSize: configuration.maximumImportSize, now: now)
        .register(on: &router)
    AlertController(store: store, center: alerts, bus: bus, now: now, zone: configuration.zone).register(on: &router)
    let streams = StreamController(
        store: store,
        center: alerts,
        credentials: engines.credentials,
        quota: streamQuota,
        bus: bus,
        bodies: SharedAlertBodies(),
        zone: configuration.zone,
        logger: logger
    )
    streams.register(on: &router)
    streams.register(webSocketRouter: webSocketRouter)
    CustodyController(watch: engines.custody, now: now).register(on: &router)
    CredentialController(service: engines.credentials, now: now).register(on: &router)
    RepositoryController(publisher: engines.publisher).register(on: &router)
    CheckpointReportsController(store: store, bus: bus, now: now).register(on: &router)
    LeadsController(store: store, bus: bus, now: now).register(on: &router)
    EntityRoutes(router: secured, store: store, screening: screening, bus: bus, now: now).registerAll()
    return authentication
}

/// The collection routes of every entity kind, from one table: who reads, who writes, which tags filter.
/// After a write, the screening index follows persons, organisations and vehicles, and a sighting is
/// announced.
struct EntityRoutes<S: Store> {
    let router: SecuredRouter
    let store: S
    let screening: ScreeningService
    let bus: any EventBus
    let now: @Sendable () -> Date

    func registerAll() {
        add(
            Person.self,
            read: Roles.caseReaders,
            write: Roles.command,
            filters: [
                "status", "wanted", "nationality", "organization", "sex",
            ]
        )
        add(Organization.self, read: Roles.analysts, write: Roles.analysts, filters: ["kind"])
        add(Relation.self, read: Roles.analysts, write: Roles.analysts, filters: ["kind", "person", "organization"])
        add(
            Vehicle.self,
            read: Roles.checkpointReaders.union(Roles.caseReaders),
            write: Roles.command,
            filters: ["country", "stolen", "plate"]
        )
        add(Facility.self, read: Roles.custody, write: Roles.admin, filters: ["kind", "region"])
        add(Checkpoint.self, read: Roles.checkpointReaders, write: Roles.command, filters: ["kind", "region"])
        add(StaffMember.self, read: Roles.custody, write: Roles.admin, filters: ["role", "facility"])
        add(Incident.self, read: Roles.caseReaders, write: Roles.custody, filters: ["kind", "status", "facility"]) {
            stored,
            incident in
            // An incident is raised; it is confirmed and closed only through its own routes, by command.
            if let stored, stored.status != incident.status {
                throw Problem.conflict(
                    "an incident's status changes through POST /v1/incidents/{id}/confirm or /close, not here"
                )
            }
            if stored == nil, incident.status != .raised {
                throw Problem.validation(
                    ValidationFailure(
                        path: "status",
                        reason: .notAllowed,
                        message: "a new incident is raised; confirm it with POST /v1/incidents/{id}/confirm"
                    )
                )
            }
        }
        let store = self.store
        add(
            Sighting.self,
            read: Roles.analysts,
            write: Roles.sightingReporters,
            filters: ["source", "confidence", "person", "vehicle"]
        ) { _, sighting in
            // A sighting names someone or something on record, never an invented identifier.
            var issues: [ValidationFailure.Issue] = []
            if let person = sighting.person, try await store.entity(Person.self, id: person.rawValue) == nil {
                issues.append(.init(path: "person", reason: .unknownReference, message: "no person '\(person)'"))
            }
            if let vehicle = sighting.vehicle, try await store.entity(Vehicle.self, id: vehicle.rawValue) == nil {
                issues.append(.init(path: "vehicle", reason: .unknownReference, message: "no vehicle '\(vehicle)'"))
            }
            if let lead = sighting.lead, try await store.entity(Lead.self, id: lead.rawValue) == nil {
                issues.append(.init(path: "lead", reason: .unknownReference, message: "no lead '\(lead)'"))
            }
            if !issues.isEmpty { throw ValidationFailure(issues) }
        }
    }

    private func add<E: StoredEntity>(
        _: E.Type,
        read: Set<Role>,
        write: Set<Role>,
        filters: Set<String>,
        checkWrite: (@Sendable (E?, E) async throws -> Void)? = nil
    ) {
        let screening = self.screening
        let bus = self.bus
        var router = self.router
        EntityController<E, S>(
            store: store,
            readRoles: read,
            writeRoles: write,
            filters: filters,
            now: now,
            didWrite: { entity, id, receipt in
                await Self.follow(entity, id: id, receipt: receipt, screening: screening, bus: bus)
            },
            checkWrite: checkWrite
        ).register(on: &router)
    }

    /// Keeps what depends on an entity in step after a committed write (nil: deleted).
    private static func follow<E: StoredEntity>(
        _ entity: E?,
        id: String,
        receipt: WriteReceipt,
        screening: ScreeningService,
        bus: any EventBus
    ) async {
        let version = receipt.listVersion
        switch E.self {
        case is Person.Type:
            if let person = entity as? Person {
                screening.update(person, listVersion: version)
            } else {
                screening.remove(id: id, listVersion: version)
            }
        case is Organization.Type:
            if let organization = entity as? Organization {
                screening.update(organization, listVersion: version)
            } else {
                screening.remove(id: id, listVersion: version)
            }
        case is Vehicle.Type:
            if let vehicle = entity as? Vehicle {
                screening.update(vehicle, listVersion: version)
            } else {
                screening.removeVehicle(id: id, listVersion: version)
            }
        case is Sighting.Type:
            if entity != nil { await bus.publish(.sighting(id)) }
        default:
            break
        }
    }
}

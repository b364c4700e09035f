import CordonCore
import CordonDocuments
import CordonMatch
public import CordonStore
import Crypto
public import Foundation
public import Hummingbird
import HummingbirdWebSocket
public import Logging
import NIOCore
public import Prometheus

/// Everything the server is made of, built once: the router with its routes, and the services.
public struct CordonServerParts<S: Store>: Sendable {
    /// Every route with its roles.
    public let routes: [RouteSpec]
    /// The screening index, for tests and the demo.
    public let screening: ScreeningService
    /// Alerts, outboxes and delivery; stop it when the application stops.
    public let alerts: AlertCenter<S>
    /// Check-in schedules and the other custody rules; stop it when the application stops.
    public let custody: CustodyWatch<S>
    /// Officers' credentials; ``CredentialService/trustMaterial()`` gives the public keys and revocations
    /// an offline list snapshot carries.
    public let credentials: CredentialService<S>
    /// The signed wanted-list repository.
    public let publisher: ListPublisher<S>
}

/// Builds the Cordon application: routes, middleware, the screening index loaded from the store.
///
/// The store is migrated and the index built before the server starts listening. Tests build the
/// very same application and run it on port 0.
///
/// - Parameters:
///   - configuration: host, port, limits and the clock.
///   - store: the durable store.
///   - registry: where metrics go (and `/metrics` reads).
///   - logger: the server's logger.
///   - onServerRunning: called with the bound port once listening.
public func buildApplication<S: Store>(
    configuration: ServerConfiguration,
    store: S,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> (application: some ApplicationProtocol, parts: CordonServerParts<S>) {
    try await store.migrate()
    let screening = ScreeningService()
    try await screening.rebuild(from: store)
    let alerts = AlertCenter(store: store, configuration: configuration, logger: logger)
    try await alerts.start()
    let custody = CustodyWatch(
        store: store,
        configuration: configuration,
        hasher: PasswordHasher(cost: configuration.bcryptCost),
        alerts: alerts,
        logger: logger
    )
    try await custody.start()
    let credentials = CredentialService(store: store, keys: configuration.keys, alerts: alerts, now: configuration.now)
    try await credentials.start()
    let publisher = ListPublisher(
        store: store,
        keys: configuration.keys,
        now: configuration.now,
        logger: logger,
        credentials: {
            // The revocations change with the credentials collection; the keys with the key ring.
            let material = try await credentials.trustMaterial()
            return .init(
                version: try await store.collectionVersion(kind: .credential),
                revocations: material.revocations.map { .init(id: $0.id, reason: $0.reason) },
                keys: material.keys.map { Hex.encode($0.rawRepresentation) }
            )
        }
    )
    try await publisher.restore()
    let renderer = try await DashboardRenderer.load()
    let map = try DashboardMap(
        geoJSON: try Data(contentsOf: renderer.folder.appendingPathComponent("geo/tajikistan.geojson"))
    )
    let router = Router(context: CordonRequestContext.self)
    router.addMiddleware {
        RequestMetricsMiddleware(registry: registry)
        ProblemMiddleware()
        // The dashboard's own scripts and styles; they hold no data, so no sign-in is needed.
        FileMiddleware(
            renderer.staticFolder,
            urlBasePath: "/ui/static",
            cacheControl: .init([(MediaType(type: .any), [.noCache])]),
            logger: logger
        )
        AuthenticationMiddleware(store: store, now: configuration.now)
    }
    // WebSocket upgrades go through a router of their own, with the same authentication.
    let webSocketRouter = Router(context: CordonRequestContext.self)
    webSocketRouter.addMiddleware {
        AuthenticationMiddleware(store: store, now: configuration.now)
    }
    var secured = SecuredRouter(router: router)
    let now = configuration.now
    let openAPI = try OpenAPIDocument.data()

    SystemController(store: store, screening: screening, registry: registry, openAPI: openAPI).register(on: &secured)
    let authentication = AuthController(
        store: store,
        hasher: PasswordHasher(cost: configuration.bcryptCost),
        limiter: LoginLimiter(limits: configuration.loginLimits),
        tokenLifetime: configuration.tokenLifetime,
        now: now
    )
    authentication.register(on: &secured)
    ScreeningController(store: store, screening: screening, now: now).register(on: &secured)
    PersonStatusController(store: store, screening: screening, center: alerts, now: now).register(on: &secured)
    AuditController(store: store).register(on: &secured)
    ListsController(store: store, screening: screening, maximumSize: configuration.maximumImportSize, now: now)
        .register(on: &secured)
    AlertController(store: store, center: alerts, now: now, zone: configuration.zone).register(on: &secured)
    let streams = StreamController(store: store, center: alerts, logger: logger)
    streams.register(on: &secured)
    streams.register(webSocketRouter: webSocketRouter)
    CustodyController(watch: custody, now: now).register(on: &secured)
    CredentialController(service: credentials, now: now).register(on: &secured)
    RepositoryController(publisher: publisher).register(on: &secured)
    CheckpointReportsController(store: store, center: alerts, now: now).register(on: &secured)
    DashboardController(
        store: store,
        auth: authentication,
        data: DashboardData(store: store, alerts: alerts, custody: custody, map: map),
        renderer: renderer,
        zone: configuration.zone,
        now: now,
        feedCheckInterval: configuration.feedCheckInterval
    ).register(on: router)

    func noFollowUp<E: StoredEntity>(_: E?, _: String, _: WriteReceipt) {}
    EntityController<Person, S>(
        store: store,
        readRoles: Roles.caseReaders,
        writeRoles: Roles.command,
        filters: ["status", "wanted", "nationality", "organization", "sex"],
        now: now,
        didWrite: { person, id, receipt in
            if let person {
                screening.update(person, listVersion: receipt.listVersion)
            } else {
                screening.remove(id: id, listVersion: receipt.listVersion)
            }
        }
    ).register(on: &secured)
    EntityController<Organization, S>(
        store: store,
        readRoles: Roles.analysts,
        writeRoles: Roles.analysts,
        filters: ["kind"],
        now: now,
        didWrite: { organization, id, receipt in
            if let organization {
                screening.update(organization, listVersion: receipt.listVersion)
            } else {
                screening.remove(id: id, listVersion: receipt.listVersion)
            }
        }
    ).register(on: &secured)
    EntityController<Relation, S>(
        store: store,
        readRoles: Roles.analysts,
        writeRoles: Roles.analysts,
        filters: ["kind", "person", "organization"],
        now: now,
        didWrite: { _, _, _ in }
    ).register(on: &secured)
    EntityController<Vehicle, S>(
        store: store,
        readRoles: Roles.checkpointReaders.union(Roles.caseReaders),
        writeRoles: Roles.command,
        filters: ["country", "stolen", "plate"],
        now: now,
        didWrite: { vehicle, id, receipt in
            if let vehicle {
                screening.update(vehicle, listVersion: receipt.listVersion)
            } else {
                screening.removeVehicle(id: id, listVersion: receipt.listVersion)
            }
        }
    ).register(on: &secured)
    EntityController<Facility, S>(
        store: store,
        readRoles: Roles.custody,
        writeRoles: Roles.admin,
        filters: ["kind", "region"],
        now: now,
        didWrite: { _, _, _ in }
    ).register(on: &secured)
    EntityController<Checkpoint, S>(
        store: store,
        readRoles: Roles.checkpointReaders,
        writeRoles: Roles.command,
        filters: ["kind", "region"],
        now: now,
        didWrite: { _, _, _ in }
    ).register(on: &secured)
    EntityController<StaffMember, S>(
        store: store,
        readRoles: Roles.custody,
        writeRoles: Roles.admin,
        filters: ["role", "facility"],
        now: now,
        didWrite: { _, _, _ in }
    ).register(on: &secured)
    EntityController<Incident, S>(
        store: store,
        readRoles: Roles.caseReaders,
        writeRoles: Roles.custody,
        filters: ["kind", "status", "facility"],
        now: now,
        didWrite: { _, _, _ in },
        checkWrite: { stored, incident in
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
    ).register(on: &secured)
    EntityController<Sighting, S>(
        store: store,
        readRoles: Roles.analysts,
        writeRoles: Roles.sightingReporters,
        filters: ["source", "confidence", "person", "vehicle"],
        now: now,
        didWrite: { sighting, id, _ in
            guard sighting != nil else { return }
            await alerts.publish(["type": .string("sighting"), "sighting": .string(id)])
        }
    ).register(on: &secured)

    let application = Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            configuration: HTTP1WebSocketUpgradeChannel.Configuration(
                ws: WebSocketServerConfiguration(maxFrameSize: 1 << 16)
            )
        ),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "cordon"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.notice(
                "listening on http://\(configuration.host):\(port)",
                metadata: ["server.port": .stringConvertible(port)]
            )
            await onServerRunning(port)
        },
        logger: logger
    )
    return (
        application,
        CordonServerParts(
            routes: secured.routes,
            screening: screening,
            alerts: alerts,
            custody: custody,
            credentials: credentials,
            publisher: publisher
        )
    )
}

/// The API's OpenAPI 3.1 description, bundled with the server.
public enum OpenAPIDocument {
    /// The document's bytes.
    public static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}

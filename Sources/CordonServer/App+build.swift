// The HTTP layer of Cordon: routes, middleware, roles, problem+json answers and start-up. The engines
// it serves (screening, alerts, custody, publishing) live in their own targets and know nothing of
// HTTP; this target builds them, wires them to one event bus, runs their services in the application's
// service group, and puts routes in front of them.
public import CordonAlerts
import CordonCore
public import CordonCustody
import CordonDocuments
public import CordonEvents
import CordonMatch
public import CordonPublishing
public import CordonScreening
public import CordonStore
import Crypto
public import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
public import Logging
import NIOCore
public import Prometheus
import ServiceLifecycle

/// Everything the server is made of, built once: the routes, the engines and the event bus.
public struct CordonServerParts<S: Store>: Sendable {
    /// Every route with its roles.
    public let routes: [RouteSpec]
    /// The screening index.
    public let screening: ScreeningService
    /// Where the engines publish operations events.
    public let events: InProcessEventBus
    /// Alerts, outboxes and delivery.
    public let alerts: AlertCenter<S>
    /// Check-in schedules and the other custody rules.
    public let custody: CustodyWatch<S>
    /// Officers' credentials; ``CredentialService/trustMaterial()`` gives the public keys and revocations
    /// an offline list snapshot carries.
    public let credentials: CredentialService<S>
    /// The signed wanted-list repository.
    public let publisher: ListPublisher<S>
    /// The streams each account holds, and the limit.
    public let streamQuota: StreamQuota
    /// The connections the node holds, and its limits.
    package let connectionBudget: ConnectionBudget
    /// The audit log's Merkle tree and signed heads.
    public let auditLedger: AuditLedger<S>
}

/// What an addition on top of the API (the dashboard) is given to install its routes.
package struct ServerSetup<S: Store> {
    package let router: Router<CordonRequestContext>
    package let store: S
    package let auth: AuthController<S>
    package let parts: CordonServerParts<S>
    package let configuration: ServerConfiguration
    package let logger: Logger
}

/// An addition to the server on top of its routes: middleware it needs in front of sign-in (static
/// files), and routes.
public struct ServerExtension<S: Store>: Sendable {
    let middleware: @Sendable (Router<CordonRequestContext>, Logger) -> Void
    let install: @Sendable (ServerSetup<S>) async throws -> Void

    package init(
        middleware: @escaping @Sendable (Router<CordonRequestContext>, Logger) -> Void = { _, _ in },
        install: @escaping @Sendable (ServerSetup<S>) async throws -> Void
    ) {
        self.middleware = middleware
        self.install = install
    }
}

/// Builds the Cordon application: the engines, their services, routes and middleware.
///
/// The store is migrated, the outboxes restored and the index built before the server starts
/// listening. A configuration whose threshold is not in (0, 1] is refused with a `ValidationFailure`. Tests build the very same application and run it on port 0.
///
/// - Parameters:
///   - configuration: host, port, limits and the clock.
///   - store: the durable store.
///   - registry: where metrics go (and `/metrics` reads).
///   - extensions: additions on top of the API, such as the dashboard.
///   - logger: the server's logger.
///   - onServerRunning: called with the bound port once listening.
public func buildApplication<S: Store>(
    configuration: ServerConfiguration,
    store: S,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    extensions: [ServerExtension<S>] = [],
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> (application: some ApplicationProtocol, parts: CordonServerParts<S>) {
    try await store.migrate()
    let clock = configuration.engineClock
    let localBus = InProcessEventBus(now: configuration.now)
    let bus = LinkedEventBus(local: localBus, link: configuration.link)
    let screening = ScreeningService(
        policy: try ScreeningPolicy(threshold: configuration.threshold, listThresholds: configuration.listThresholds)
    )
    try await screening.rebuild(from: store)
    let alerts = AlertCenter(
        store: store,
        configuration: configuration.alerts,
        clock: clock,
        bus: bus,
        logger: logger,
        link: configuration.link,
        isLeading: { [leadership = configuration.leadership] in leadership.isLeader }
    )
    try await alerts.restore()
    let custody = CustodyWatch(
        store: store,
        clock: clock,
        zone: configuration.zone,
        hasher: PasswordHasher(cost: configuration.bcryptCost),
        bus: bus,
        logger: logger
    )
    try await custody.restore()
    let credentials = CredentialService(store: store, keys: configuration.keys, now: configuration.now) { ids in
        await alerts.addRevokedCredentials(ids)
    }
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
    // The audit log's Merkle tree; each head it signs goes out on the next alert to each checkpoint.
    let ledger = AuditLedger(
        store: store,
        key: try configuration.keys.signingKey(named: SignedTreeHead.keyName),
        now: configuration.now,
        onSigned: { head in await alerts.setTreeHead(head) }
    )
    try await ledger.signHead()

    // A node that leads now (always, alone on a file) serves with the engines just restored.
    let term = LeaderTerm()
    if configuration.leadership.isLeader { term.startServing() }

    let router = Router(context: CordonRequestContext.self)
    // Each request with its method, path and id, at debug level (never its headers: they carry tokens).
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: RequestMetricsMiddleware(registry: registry))
    router.add(middleware: NoStoreMiddleware())
    if configuration.tls != nil { router.add(middleware: TLSHeadersMiddleware()) }
    router.add(middleware: ProblemMiddleware())
    router.add(
        middleware: AdmissionMiddleware(gate: AdmissionGate(limit: configuration.maxInFlight, registry: registry))
    )
    router.add(middleware: StandbyMiddleware(term: term))
    for addition in extensions { addition.middleware(router, logger) }
    router.add(middleware: AuthenticationMiddleware(store: store, now: configuration.now))
    // WebSocket upgrades go through a router of their own, with the same authentication.
    let webSocketRouter = Router(context: CordonRequestContext.self)
    webSocketRouter.addMiddleware {
        StandbyMiddleware(term: term)
        AuthenticationMiddleware(store: store, now: configuration.now)
    }
    let secured = SecuredRouter(router: router)
    // Screening queries' audit records, in group commits.
    let auditor = AuditCommitter(store: store)
    let streamQuota = StreamQuota(limit: configuration.streamsPerAccount)
    let limits = configuration.connections
    let budget = ConnectionBudget(
        maximum: limits.maximumConnections,
        maximumPerAddress: limits.maximumConnectionsPerAddress
    )
    let authentication = registerRoutes(
        on: secured,
        webSocketRouter: webSocketRouter,
        store: store,
        configuration: configuration,
        engines: (screening, bus, alerts, custody, credentials, publisher),
        registry: registry,
        term: term,
        auditor: auditor,
        ledger: ledger,
        streamQuota: streamQuota,
        logger: logger
    )
    let parts = CordonServerParts(
        routes: secured.routes,
        screening: screening,
        events: localBus,
        alerts: alerts,
        custody: custody,
        credentials: credentials,
        publisher: publisher,
        streamQuota: streamQuota,
        connectionBudget: budget,
        auditLedger: ledger
    )
    for addition in extensions {
        try await addition.install(
            ServerSetup(
                router: router,
                store: store,
                auth: authentication,
                parts: parts,
                configuration: configuration,
                logger: logger
            )
        )
    }

    // Every connection goes through the connection rules first (limits, deadlines, malformed requests),
    // then TLS when configured, then HTTP/1 with its WebSocket upgrade.
    let webSocketResponder = webSocketRouter.buildResponder()
    let tls = configuration.tls
    let server = HTTPServerBuilder { responder in
        let http = HTTP1WebSocketUpgradeChannel(
            responder: responder,
            webSocketResponder: webSocketResponder,
            configuration: .init(
                http1: .init(
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: 16 << 10,
                        maxHeaderListSize: 64 << 10,
                        maxHeaderFieldCount: 200
                    )
                ),
                ws: WebSocketServerConfiguration(maxFrameSize: 1 << 16)
            )
        )
        let guarded = GuardedChannel(base: http, limits: limits, budget: budget, plain: tls == nil)
        if let tls { return try TLSChannel(guarded, tlsConfiguration: tls) }
        return guarded
    }
    let scheme = configuration.tls == nil ? "http" : "https"
    let application = Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "cordon"),
        services: configuration.services + [
            LeaderTermService(
                leadership: configuration.leadership,
                term: term,
                engines: [
                    CustodyWatchService(watch: custody),
                    ListPublishingService(
                        publisher: publisher,
                        clock: clock,
                        bus: bus,
                        interval: configuration.listRefreshInterval,
                        logger: logger
                    ),
                    FeedWatchService(
                        feeds: configuration.feeds,
                        interval: configuration.feedInterval,
                        maximumSize: configuration.maximumReportSize,
                        store: store,
                        screening: screening,
                        readers: ReaderCache(),
                        bus: bus,
                        clock: clock,
                        fetch: FeedWatchService<S>.fetchOverHTTP(timeout: 30),
                        logger: logger
                    ),
                    // Past checkpoint queries screened again when the list changes: leads, found once.
                    LookBackService(
                        store: store,
                        screening: screening,
                        bus: bus,
                        options: configuration.lookBack,
                        now: configuration.now,
                        logger: logger
                    ),
                ],
                restore: {
                    try await alerts.restore()
                    try await custody.restore()
                    try await credentials.start()
                    try await publisher.restore()
                },
                logger: logger
            ),
            // Every node holds streams: every node delivers, confirms and acknowledges, and hears the others.
            AlertDeliveryService(center: alerts),
            AuditCommitService(committer: auditor),
            TreeHeadService(ledger: ledger, interval: configuration.treeHeadInterval, logger: logger),
            NodeLinkRelay(link: configuration.link, bus: localBus, alerts: alerts),
            ScreeningFollower(screening: screening, store: store, logger: logger),
            NightWatchMetrics(
                store: store,
                registry: registry,
                leadership: configuration.leadership,
                term: term,
                alerts: alerts,
                publisher: publisher,
                screening: screening,
                now: configuration.now,
                interval: configuration.metricsInterval,
                logger: logger
            ),
            EventBusService(bus: localBus),
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.notice(
                "listening on \(scheme)://\(configuration.host):\(port)",
                metadata: ["server.port": .stringConvertible(port)]
            )
            await onServerRunning(port)
        },
        logger: logger
    )
    return (application, parts)
}

/// Ends every subscription of the bus on graceful shutdown (dashboard feeds and operations streams still
/// open then end), and every one opened after.
struct EventBusService: Service {
    let bus: InProcessEventBus

    func run() async throws {
        try? await gracefulShutdown()
        bus.finishAll()
    }
}

/// Hands what the other nodes signal to this node: their events to its subscribers, their alerts and
/// deliveries to its alert center.
struct NodeLinkRelay<S: Store>: Service {
    let link: any NodeLink
    let bus: InProcessEventBus
    let alerts: AlertCenter<S>

    func run() async {
        await cancelWhenGracefulShutdown {
            for await signal in link.signals() {
                if case .event(let record) = signal {
                    bus.deliver(record)
                } else {
                    await alerts.hear(signal)
                }
            }
        }
    }
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

public import CordonAlerts
public import CordonCore
public import CordonEvents
public import CordonPublishing
public import CordonScreening
public import Foundation
public import NIOSSL
public import ServiceLifecycle

/// How the server runs.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port; 0 binds a free one.
    public var port: Int
    /// How long an access token lasts.
    public var tokenLifetime: TimeInterval
    /// The bcrypt cost for new passwords (10–14).
    public var bcryptCost: UInt8
    /// The largest list import accepted, in bytes.
    public var maximumImportSize: Int
    /// The largest report `POST /v1/read` reads, in bytes.
    public var maximumReportSize: Int = 16 << 20
    /// Login limits.
    public var loginLimits: LoginLimiter.Limits
    /// The clock: what "now" is. Injected so tests can move time.
    public var now: @Sendable () -> Date
    /// How many seconds of ``now`` pass in one real second: 1 in service, more when the demo runs the
    /// night fast. Timers sleep `remaining / clockRate` real seconds.
    public var clockRate: Double
    /// When alerts are re-sent to silent recipients and escalated to the commander.
    public var delivery: DeliveryTracker<String>.Configuration
    /// The CAP sender of every alert (an address of the headquarters).
    public var alertSender: String
    /// The zone alert times are written in.
    public var zone: TimeZone
    /// `Actual` in service; `Exercise` for drills and the demo.
    public var alertStatus: String
    /// Headquarters' signing keys: officers' credentials and the signed wanted-list repository.
    public var keys: KeyRing
    /// How often (real time) each open dashboard event stream writes a keep-alive line and checks
    /// that its session is still valid, ending the stream when it was revoked or has expired.
    public var feedCheckInterval: Duration = .seconds(15)
    /// The screening alert threshold: a hit scoring this or more alerts. A query may ask for a stricter
    /// one, never a looser one.
    public var threshold: Double = ScreeningPolicy.defaultThreshold
    /// Thresholds of named lists (a wanted person's ``CordonCore/Wanted/list``, set when a list is imported
    /// with `?list=NAME`): an entry on one of them alerts at its list's threshold instead of ``threshold``.
    public var listThresholds: [String: Double] = [:]
    /// How often (server time) the signed list is brought up to date and re-signed without waiting for
    /// a client.
    public var listRefreshInterval: TimeInterval = 60
    /// Atom and RSS feeds the leading node reads for the wanted list, each new item once.
    public var feeds: [URL] = []
    /// How often each feed is fetched, in seconds of the engine's clock.
    public var feedInterval: TimeInterval = 300
    /// Which node does the work that must happen once: this one alone on a file, or the one elected
    /// among several on one database. A standby answers the engines' routes with 503 `not-leader`.
    public var leadership: any Leadership = SoleLeadership()
    /// Services the application runs first and stops last, before and after everything else (the
    /// election, a store's connection pool).
    public var services: [any Service] = []
    /// The other nodes on the same database, told of alerts, deliveries and events; none when alone.
    public var link: any NodeLink = LoneNode()
    /// This node's name in logs and in `/ready`.
    public var node = "cordon"
    /// How often (real time) the night watch's figures in `/metrics` are brought up to date.
    public var metricsInterval: Duration = .seconds(5)
    /// The most live streams (alert and operations WebSockets, dashboard feeds) one account may hold at
    /// once on a node.
    public var streamsPerAccount = 20
    /// The most requests a node handles at once; the next is refused with 503 `overloaded` (see
    /// `AdmissionMiddleware`).
    public var maxInFlight = 512
    /// The frames one alert stream may have waiting to be written before its device is dropped, to
    /// catch up when it reconnects.
    public var streamBacklog = 1024
    /// How often the audit log's tree head is signed (and once more on shutdown).
    public var treeHeadInterval: Duration = .seconds(60)
    /// Connection deadlines and limits: slow, silent and malformed connections are closed.
    public var connections = ConnectionLimits()
    /// TLS for every connection (HTTPS and WSS), with HSTS and `Secure` cookies; plain HTTP when nil.
    public var tls: TLSConfiguration?
    /// How far back (72 hours unless set) and how much looking back screens checkpoints' queries again
    /// when the list changes.
    public var lookBack = LookBack.Options()

    /// Creates a configuration with production defaults.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        tokenLifetime: TimeInterval = 8 * 3600,
        bcryptCost: UInt8 = 11,
        maximumImportSize: Int = 32 << 20,
        loginLimits: LoginLimiter.Limits = .init(),
        now: @escaping @Sendable () -> Date = { Date() },
        clockRate: Double = 1,
        delivery: DeliveryTracker<String>.Configuration = .init(),
        alertSender: String = "duty-officer@cordon.example",
        zone: TimeZone = TimeZone(identifier: "Asia/Dushanbe") ?? TimeZone(secondsFromGMT: 5 * 3600)!,
        alertStatus: String = "Actual",
        keys: KeyRing = KeyRing()
    ) {
        self.host = host
        self.port = port
        self.tokenLifetime = tokenLifetime
        self.bcryptCost = bcryptCost
        self.maximumImportSize = maximumImportSize
        self.loginLimits = loginLimits
        self.now = now
        self.clockRate = clockRate
        self.delivery = delivery
        self.alertSender = alertSender
        self.zone = zone
        self.alertStatus = alertStatus
        self.keys = keys
    }

    /// The clock the engines run on.
    public var engineClock: EngineClock { EngineClock(now: now, rate: clockRate) }

    /// The alert engine's part of the configuration.
    public var alerts: AlertCenterConfiguration {
        .init(
            delivery: delivery,
            sender: alertSender,
            zone: zone,
            status: alertStatus,
            streamBacklog: streamBacklog
        )
    }
}

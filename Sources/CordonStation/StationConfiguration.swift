public import CordonMatch
public import Foundation

/// How a station runs: where headquarters is, how often it syncs, where its page listens.
public struct StationConfiguration: Sendable {
    /// Headquarters' servers (the nodes of one deployment), tried in turn.
    public var servers: [URL]
    /// The bearer token of the checkpoint's account, for the stream, the sync and the uploads.
    public var token: String
    /// The checkpoint this station stands at (`cp-air-dushanbe`).
    public var checkpoint: String
    /// The address the page listens on: loopback only, for the officers at this computer.
    public var host: String
    /// The page's port; 0 picks a free one.
    public var port: Int
    /// How often the list is synced and the queue uploaded while nothing wakes the sync sooner.
    public var syncInterval: Duration
    /// The zone times are shown in.
    public var zone: TimeZone
    /// The pass roles that may sign in.
    public var passRoles: Set<String>
    /// The matcher's options for screening from the copy.
    public var screening: ScreeningIndex.Options
    /// The largest request the page may send, in bytes.
    public var maximumRequestSize: Int

    public init(
        servers: [URL],
        token: String,
        checkpoint: String,
        host: String = "127.0.0.1",
        port: Int = 8090,
        syncInterval: Duration = .seconds(60),
        zone: TimeZone = .current,
        passRoles: Set<String> = ["checkpoint_officer", "commander", "admin"],
        screening: ScreeningIndex.Options = .init(),
        maximumRequestSize: Int = 64 << 10
    ) {
        self.servers = servers
        self.token = token
        self.checkpoint = checkpoint
        self.host = host
        self.port = port
        self.syncInterval = syncInterval
        self.zone = zone
        self.passRoles = passRoles
        self.screening = screening
        self.maximumRequestSize = maximumRequestSize
    }
}

/// Why the station refused a request from its page: one message, and the field it concerns.
enum StationProblem: Error, Sendable {
    case invalid(field: String, String)
    case notFound(String)
    case signInNeeded
    case noList

    var status: Int {
        switch self {
        case .invalid: 422
        case .notFound: 404
        case .signInNeeded: 401
        case .noList: 503
        }
    }

    var field: String? {
        if case .invalid(let field, _) = self { return field }
        return nil
    }

    var message: String {
        switch self {
        case .invalid(_, let message), .notFound(let message): message
        case .signInNeeded: "sign in with your pass first"
        case .noList: "no list copy yet: the station screens once its first sync has succeeded"
        }
    }
}

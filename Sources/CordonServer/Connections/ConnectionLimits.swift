import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How long a connection may take over each part of a request, and how many connections the node holds.
///
/// A connection that sends nothing, or half a request, is closed when its time is up; a node that holds
/// as many connections as it may closes the next one at once, so that slow or malicious clients cannot
/// take every file descriptor and leave the checkpoints unanswered.
public struct ConnectionLimits: Sendable, Hashable {
    /// From the connection's start to the end of its first request's head.
    public var headerTimeout: Duration
    /// The longest pause inside a request's body.
    public var bodyTimeout: Duration
    /// Between the end of one answer and the end of the next request's head on the same connection.
    public var idleTimeout: Duration
    /// Connections held at once, from everywhere.
    public var maximumConnections: Int
    /// Connections held at once from one network address.
    public var maximumConnectionsPerAddress: Int

    public init(
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        maximumConnections: Int = ConnectionLimits.defaultMaximumConnections,
        maximumConnectionsPerAddress: Int = 512
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.maximumConnectionsPerAddress = maximumConnectionsPerAddress
    }

    /// The process's limit on open files less 128 kept for the database, logs and keys, and at least 64:
    /// the node refuses a connection before it runs out of descriptors.
    public static var defaultMaximumConnections: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < 1 << 40 else {
            return 10_000
        }
        return max(64, Int(clamping: limit.rlim_cur) - 128)
    }
}

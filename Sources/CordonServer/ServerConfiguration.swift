public import Foundation

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
    /// Login limits.
    public var loginLimits: LoginLimiter.Limits
    /// The clock: what "now" is. Injected so tests can move time.
    public var now: @Sendable () -> Date

    /// Creates a configuration with production defaults.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        tokenLifetime: TimeInterval = 8 * 3600,
        bcryptCost: UInt8 = 11,
        maximumImportSize: Int = 32 << 20,
        loginLimits: LoginLimiter.Limits = .init(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.host = host
        self.port = port
        self.tokenLifetime = tokenLifetime
        self.bcryptCost = bcryptCost
        self.maximumImportSize = maximumImportSize
        self.loginLimits = loginLimits
        self.now = now
    }
}

public import CordonCustody
import HummingbirdBcrypt
import NIOPosix

/// Hashes and checks passwords with bcrypt, off the cooperative thread pool.
public struct PasswordHasher: Sendable {
    /// The bcrypt cost.
    public let cost: UInt8

    public init(cost: UInt8) {
        self.cost = cost
    }

    /// The bcrypt hash of a password.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether a password matches a hash.
    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A dummy hash to verify against when the account does not exist, so timing does not tell.
    static let decoy = "$2b$11$C6UzMDM.H6dfI/f/IKxGhuJ5fJ0VvF8l7sXmX4XK3yT3Y5HrZQwNe"

    /// Checks a password's strength.
    ///
    /// - Returns: a reason it is refused, or nil.
    public static func weakness(of password: String) -> String? {
        if password.count < 12 { return "a password has at least 12 characters" }
        if password.utf8.count > 72 { return "a password has at most 72 bytes" }
        if Set(password).count < 5 { return "a password needs more different characters" }
        return nil
    }
}

extension PasswordHasher: SecretHasher {}

public import CordonCore
public import Foundation

/// A person who may sign in, with their role.
public struct Account: Sendable, Hashable {
    /// 3–64 characters: lower-case letters, digits, `.`, `_`, `-`.
    public let username: String
    public let role: Role
    /// The password hash (bcrypt), never the password.
    public let passwordHash: String
    public let createdAt: Date
    public let isDisabled: Bool
    /// The checkpoints and posts whose alert streams this account may hold (`checkpoints/cp-air-dushanbe`,
    /// `posts/post-ward-gate`), sorted; headquarters' roles (admin, commander) may hold any.
    public let serves: [String]

    public init(
        username: String,
        role: Role,
        passwordHash: String,
        createdAt: Date,
        isDisabled: Bool = false,
        serves: [String] = []
    ) {
        self.username = username
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.isDisabled = isDisabled
        self.serves = Array(Set(serves)).sorted()
    }

    /// Checks the recipients an account serves: `checkpoints/ID` or `posts/ID`, at most 500.
    ///
    /// - Throws: ``ValidationFailure`` at `serves`.
    public static func validate(serves: [String]) throws {
        var issues = IssueCollector()
        issues.check(serves.count <= 500, "serves", .tooLong, "an account serves at most 500 checkpoints and posts")
        for (index, recipient) in serves.enumerated() {
            let parts = recipient.split(separator: "/", omittingEmptySubsequences: false)
            let valid =
                parts.count == 2 && ["checkpoints", "posts"].contains(parts[0])
                && (try? CheckpointID(String(parts[1]))) != nil
            issues.check(valid, "serves[\(index)]", .invalidFormat, "'\(recipient)' is not checkpoints/ID or posts/ID")
        }
        try issues.finish()
    }

    /// The account's recipients as stored: a JSON array of strings.
    public var servesJSON: String {
        let data = (try? JSONEncoder().encode(serves)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the stored JSON array of recipients.
    public static func serves(json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }

    /// Checks a username's shape.
    ///
    /// - Throws: ``ValidationFailure`` at `username`.
    public static func validate(username: String) throws {
        let valid =
            (3...64).contains(username.count)
            && username.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)
            }
        if !valid {
            throw ValidationFailure(
                path: "username",
                reason: .invalidFormat,
                message: "a username is 3-64 lower-case letters, digits, '.', '_' or '-'"
            )
        }
    }
}

/// An issued access token, kept only as its SHA-256.
public struct TokenRecord: Sendable, Hashable {
    /// SHA-256 of the token, hex.
    public let tokenHash: String
    public let username: String
    public let issuedAt: Date
    public let expiresAt: Date
    public let revokedAt: Date?

    public init(tokenHash: String, username: String, issuedAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.username = username
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether the token may be used at `now`.
    public func isValid(at now: Date) -> Bool {
        revokedAt == nil && now < expiresAt
    }
}

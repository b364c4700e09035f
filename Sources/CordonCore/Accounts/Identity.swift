/// Who acts: the account behind a valid token, as the engines see it (they never see a request).
public struct Identity: Sendable, Hashable {
    public let username: String
    public let role: Role
    /// The SHA-256 of the token used, so that the caller can revoke it.
    public let tokenHash: String
    /// The checkpoints and posts the account serves (`checkpoints/cp-air-dushanbe`).
    public let serves: Set<String>

    public init(username: String, role: Role, tokenHash: String, serves: Set<String> = []) {
        self.username = username
        self.role = role
        self.tokenHash = tokenHash
        self.serves = serves
    }

    /// Whether this caller may hold a recipient's alert stream: headquarters (admin, commander) any,
    /// everyone else only those their account serves.
    public func mayHold(_ recipient: String) -> Bool {
        role == .admin || role == .commander || serves.contains(recipient)
    }
}

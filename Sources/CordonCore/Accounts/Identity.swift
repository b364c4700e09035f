/// Who acts: the account behind a valid token, as the engines see it (they never see a request).
public struct Identity: Sendable, Hashable {
    public let username: String
    public let role: Role
    /// The SHA-256 of the token used, so that the caller can revoke it.
    public let tokenHash: String

    public init(username: String, role: Role, tokenHash: String) {
        self.username = username
        self.role = role
        self.tokenHash = tokenHash
    }
}

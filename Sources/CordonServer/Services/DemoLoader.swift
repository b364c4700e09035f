public import CordonCore
public import CordonStore
public import Foundation

/// Loads a scenario into a store and creates one account per role, for the demo.
public enum DemoLoader {
    /// A demo account and its password, shown once.
    public struct Credential: Sendable {
        public let username: String
        public let role: Role
        public let password: String
    }

    /// Writes every entity of the scenario in one transaction (or only `writes`, made from it), then
    /// creates `demo-<role>` accounts.
    ///
    /// - Returns: the accounts and their generated passwords.
    /// - Throws: ``StoreError`` `conflict` when the store already holds demo accounts.
    public static func load(
        _ scenario: Scenario,
        into store: some Store,
        hasher: PasswordHasher,
        now: Date,
        writes: [DocumentWrite]? = nil
    ) async throws -> [Credential] {
        let writes = try writes ?? scenario.documentWrites(for: type(of: store))
        _ = try await store.apply(
            writes,
            audit: .init(
                actor: "system",
                action: "demo.load",
                target: "scenario",
                details: .object(["title": .string(scenario.title), "entities": .number(Double(writes.count))])
            )
        )
        var credentials: [Credential] = []
        // The demo's checkpoint officer serves every checkpoint, its custody officer every post.
        let served: [Role: [String]] = [
            .checkpointOfficer: scenario.checkpoints.map { "checkpoints/" + $0.id.rawValue },
            .custodyOfficer: scenario.facilities.flatMap { $0.posts.map { "posts/" + $0.id.rawValue } },
        ]
        for role in Role.allCases {
            let username = "demo-" + role.rawValue.replacingOccurrences(of: "_", with: "-")
            let password = makePassword()
            try await store.createAccount(
                Account(
                    username: username,
                    role: role,
                    passwordHash: try await hasher.hash(password),
                    createdAt: now,
                    serves: served[role] ?? []
                ),
                audit: .init(actor: "system", action: "accounts.create", target: "accounts/\(username)")
            )
            credentials.append(Credential(username: username, role: role, password: password))
        }
        return credentials
    }

    /// A random password of 20 characters from an alphabet without look-alikes.
    public static func makePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

import CordonCore
import CordonStore
import Foundation
import Testing

extension StoreContract {
    /// Accounts and tokens.
    static var accountCases: [StoreContractCase] {
        [
            StoreContractCase("usernamesAreUnique") { (store, clock) async throws in
                let duty = Account(
                    username: "duty.officer",
                    role: .commander,
                    passwordHash: "$2b$12$a",
                    createdAt: clock.now()
                )
                try await store.createAccount(duty, audit: draft("account.create", target: "accounts/duty.officer"))
                #expect(try await store.account(username: "duty.officer") == duty)
                let other = Account(
                    username: "duty.officer",
                    role: .auditor,
                    passwordHash: "$2b$12$b",
                    createdAt: clock.now()
                )
                await expectStoreError(.conflict) {
                    try await store.createAccount(other, audit: draft("account.create"))
                }
                #expect(try await store.account(username: "duty.officer") == duty)
                #expect(try await store.account(username: "nobody") == nil)
                #expect(try await store.accounts() == [duty])
            },
            StoreContractCase("everyRoleIsKept") { (store, clock) async throws in
                var expected: [Account] = []
                for (index, role) in Role.allCases.enumerated() {
                    clock.advance(by: 1)
                    let account = Account(
                        username: "user-\(role.rawValue)",
                        role: role,
                        passwordHash: "$2b$12$\(index)",
                        createdAt: clock.now(),
                        isDisabled: index % 2 == 1
                    )
                    try await store.createAccount(account, audit: draft("account.create"))
                    expected.append(account)
                }
                #expect(try await store.accounts() == expected.sorted { $0.username < $1.username })
                for account in expected {
                    #expect(try await store.account(username: account.username) == account)
                }
            },
            StoreContractCase("anUpdateChangesRoleHashAndFlagButNotTheCreationTime") { (store, clock) async throws in
                let created = clock.now()
                let account = Account(username: "analyst", role: .analyst, passwordHash: "$2b$12$a", createdAt: created)
                try await store.createAccount(account, audit: draft("account.create"))
                clock.advance(by: 86_400)
                let changed = Account(
                    username: "analyst",
                    role: .auditor,
                    passwordHash: "$2b$12$b",
                    createdAt: clock.now(),
                    isDisabled: true
                )
                try await store.updateAccount(changed, audit: draft("account.update"))
                let read = try #require(try await store.account(username: "analyst"))
                #expect(read.role == .auditor)
                #expect(read.passwordHash == "$2b$12$b")
                #expect(read.isDisabled)
                #expect(read.createdAt == created)
                let enabled = Account(username: "analyst", role: .auditor, passwordHash: "$2b$12$b", createdAt: created)
                try await store.updateAccount(enabled, audit: draft("account.update"))
                #expect(try await store.account(username: "analyst") == enabled)
            },
            StoreContractCase("anAccountKeepsTheRecipientsItServes") { (store, clock) async throws in
                let officer = Account(
                    username: "airport.desk",
                    role: .checkpointOfficer,
                    passwordHash: "h",
                    createdAt: clock.now(),
                    serves: ["posts/post-ward-gate", "checkpoints/cp-air-dushanbe", "posts/post-ward-gate"]
                )
                #expect(officer.serves == ["checkpoints/cp-air-dushanbe", "posts/post-ward-gate"])
                try await store.createAccount(officer, audit: draft("account.create"))
                #expect(try await store.account(username: "airport.desk")?.serves == officer.serves)
                let moved = Account(
                    username: "airport.desk",
                    role: .checkpointOfficer,
                    passwordHash: "h",
                    createdAt: officer.createdAt,
                    serves: ["checkpoints/cp-rail-dushanbe-1"]
                )
                try await store.updateAccount(moved, audit: draft("account.update"))
                #expect(try await store.accounts().first { $0.username == "airport.desk" }?.serves == moved.serves)
                let none = Account(
                    username: "hq.commander",
                    role: .commander,
                    passwordHash: "h",
                    createdAt: clock.now()
                )
                try await store.createAccount(none, audit: draft("account.create"))
                #expect(try await store.account(username: "hq.commander")?.serves == [])
            },
            StoreContractCase("tokensAreFoundAndRevoked") { (store, clock) async throws in
                for name in ["alice", "bob"] {
                    let account = Account(username: name, role: .analyst, passwordHash: "h", createdAt: clock.now())
                    try await store.createAccount(account, audit: draft("account.create"))
                }
                let issued = clock.now()
                func token(_ name: String, _ number: Int) -> TokenRecord {
                    TokenRecord(
                        tokenHash: AuditChain.digest("\(name)-\(number)"),
                        username: name,
                        issuedAt: issued,
                        expiresAt: issued.addingTimeInterval(3600)
                    )
                }
                let alice = (1...3).map { token("alice", $0) }
                let bob = token("bob", 1)
                for token in alice + [bob] { try await store.insertToken(token, audit: draft("auth.login")) }
                for token in alice + [bob] { #expect(try await store.token(hash: token.tokenHash) == token) }
                #expect(try await store.token(hash: AuditChain.digest("nothing")) == nil)
                await expectStoreError(.conflict) { try await store.insertToken(bob, audit: draft("auth.login")) }

                clock.advance(by: 60)
                let revoked = clock.now()
                try await store.revokeToken(hash: alice[0].tokenHash, at: revoked, audit: draft("auth.logout"))
                let first = try #require(try await store.token(hash: alice[0].tokenHash))
                #expect(first.revokedAt == revoked)
                #expect(!first.isValid(at: revoked))
                #expect(try await store.token(hash: alice[1].tokenHash)?.revokedAt == nil)
                // Revoking twice is not an error.
                try await store.revokeToken(
                    hash: alice[0].tokenHash,
                    at: revoked.addingTimeInterval(1),
                    audit: draft("x")
                )
                #expect(try await store.token(hash: alice[0].tokenHash)?.revokedAt != nil)

                clock.advance(by: 60)
                try await store.revokeTokens(username: "alice", at: clock.now(), audit: draft("account.revoke"))
                for token in alice {
                    #expect(try await store.token(hash: token.tokenHash)?.revokedAt != nil)
                }
                #expect(try await store.token(hash: alice[1].tokenHash)?.revokedAt == clock.now())
                let untouched = try #require(try await store.token(hash: bob.tokenHash))
                #expect(untouched == bob)
                #expect(untouched.isValid(at: clock.now()))
                #expect(try await verifiedAuditLog(store).count == 2 + 4 + 3)
            },
            StoreContractCase("aTokenNeedsAnAccount") { (store, clock) async throws in
                let orphan = TokenRecord(
                    tokenHash: AuditChain.digest("orphan"),
                    username: "nobody",
                    issuedAt: clock.now(),
                    expiresAt: clock.now().addingTimeInterval(60)
                )
                await expectStoreError(.constraint) { try await store.insertToken(orphan, audit: draft("auth.login")) }
                #expect(try await store.token(hash: orphan.tokenHash) == nil)
                #expect(try await store.auditHead() == nil)
            },
        ]
    }
}

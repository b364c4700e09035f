import CordonCore
package import CordonStore
import Crypto
import Foundation
import Hummingbird

/// Sign-in, sign-out and accounts.
package struct AuthController<S: Store>: Sendable {
    let store: S
    let hasher: PasswordHasher
    let limiter: LoginLimiter
    let tokenLifetime: TimeInterval
    let now: @Sendable () -> Date

    func register(on router: inout SecuredRouter) {
        let everyone = router.group(Roles.everyone)
        let admins = router.group(Roles.admin)
        router.onPublic(.post, "/v1/auth/token") { request, context in
            try await signIn(request, context: context)
        }
        everyone.on(.post, "/v1/auth/revoke") { _, context, identity in
            try await store.revokeToken(
                hash: identity.tokenHash,
                at: now(),
                audit: .init(
                    actor: identity.username,
                    role: identity.role,
                    action: "auth.revoke",
                    address: context.remoteAddress
                )
            )
            return HTTPSupport.empty()
        }
        everyone.on(.get, "/v1/auth/me") { _, _, identity in
            let token = try await store.token(hash: identity.tokenHash)
            return try HTTPSupport.json(
                Me(username: identity.username, role: identity.role, expiresAt: token?.expiresAt ?? now())
            )
        }
        admins.on(.get, "/v1/accounts") { _, _, _ in
            try HTTPSupport.json(try await store.accounts().map(AccountView.init))
        }
        admins.on(.post, "/v1/accounts") { request, context, identity in
            try await createAccount(request, context: context, identity: identity)
        }
        admins.on(.put, "/v1/accounts/{username}/serves") { request, context, identity in
            try await changeServes(request, context: context, identity: identity)
        }
        admins.on(.post, "/v1/accounts/{username}/revoke-tokens") { _, context, identity in
            let username = try context.parameters.require("username")
            guard try await store.account(username: username) != nil else {
                throw Problem.notFound("no account '\(username)'")
            }
            try await store.revokeTokens(
                username: username,
                at: now(),
                audit: .init(
                    actor: identity.username,
                    role: identity.role,
                    action: "accounts.revoke-tokens",
                    target: "accounts/\(username)",
                    address: context.remoteAddress
                )
            )
            return HTTPSupport.empty()
        }
    }

    struct Credentials: Decodable {
        let username: String
        let password: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case username, password
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let username = object.required(.username, as: String.self)
            let password = object.required(.password, as: String.self)
            if let username, username.isEmpty || username.count > 64 {
                object.add("username", .invalidFormat, "a username has 1-64 characters")
            }
            if let password, password.isEmpty || password.utf8.count > 200 {
                object.add("password", .invalidFormat, "a password has 1-200 bytes")
            }
            try object.finish()
            self.username = username!
            self.password = password!
        }
    }

    /// `PUT /v1/accounts/{username}/serves`: the checkpoints and posts an account serves, replaced.
    struct Serves: Decodable {
        let serves: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case serves
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let serves = object.required(.serves, as: [String].self)
            if let serves {
                do { try Account.validate(serves: serves) } catch let failure as ValidationFailure {
                    object.collector.record(failure)
                }
            }
            try object.finish()
            self.serves = serves!
        }
    }

    struct Token: Encodable {
        let token: String
        let expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case token
            case expiresAt = "expires_at"
        }
    }

    struct Me: Encodable {
        let username: String
        let role: Role
        let expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case username, role
            case expiresAt = "expires_at"
        }
    }

    struct AccountView: Encodable {
        let username: String
        let role: Role
        let createdAt: Date
        let disabled: Bool
        let serves: [String]

        init(_ account: Account) {
            username = account.username
            role = account.role
            createdAt = account.createdAt
            disabled = account.isDisabled
            serves = account.serves
        }

        enum CodingKeys: String, CodingKey {
            case username, role
            case createdAt = "created_at"
            case disabled, serves
        }
    }

    struct NewAccount: Decodable {
        let username: String
        let role: Role
        let password: String
        let serves: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case username, role, password, serves
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let username = object.required(.username, as: String.self)
            let role = object.required(.role, as: Role.self)
            let password = object.required(.password, as: String.self)
            let serves = object.optional(.serves, as: [String].self) ?? []
            do { try Account.validate(serves: serves) } catch let failure as ValidationFailure {
                object.collector.record(failure)
            }
            if let username {
                do { try Account.validate(username: username) } catch let failure as ValidationFailure {
                    object.collector.record(failure)
                }
            }
            if let password, let weakness = PasswordHasher.weakness(of: password) {
                object.add("password", .invalidFormat, weakness)
            }
            try object.finish()
            self.username = username!
            self.role = role!
            self.password = password!
            self.serves = serves
        }
    }

    func signIn(_ request: Request, context: CordonRequestContext) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let credentials = try await HTTPSupport.decode(Credentials.self, from: request, context: context, now: now())
        let (token, record) = try await issueToken(
            username: credentials.username,
            password: credentials.password,
            address: context.remoteAddress
        )
        return try HTTPSupport.json(Token(token: token, expiresAt: record.expiresAt), status: .created)
    }

    /// Checks a username and password and issues a new token: the one sign-in both the API and the
    /// dashboard use, with the same limits and audit.
    ///
    /// - Throws: ``Problem`` 429 when the account or address made too many attempts, 401 for a wrong
    ///   username or password.
    package func issueToken(username: String, password: String, address: String?) async throws -> (String, TokenRecord)
    {
        let from = address ?? "unknown"
        let ticket: LoginLimiter.Ticket
        switch limiter.admit(account: username, address: from, at: now()) {
        case .success(let admitted):
            ticket = admitted
        case .failure(let refusal):
            // Refused before the password is looked at, and recorded: a flood of guesses shows in the log.
            _ = try await store.appendAudit(
                .init(
                    actor: username,
                    action: "auth.throttled",
                    address: address,
                    details: .object([
                        "reason": .string(refusal.reason.rawValue), "wait_s": .number(Double(refusal.wait)),
                    ])
                )
            )
            throw Problem(
                .tooManyRequests,
                type: "too-many-attempts",
                title: "Too many sign-in attempts",
                detail: "wait \(refusal.wait) seconds",
                retryAfter: refusal.wait
            )
        }
        let account = try await store.account(username: username)
        let matches = try await hasher.verify(password, hash: account?.passwordHash ?? PasswordHasher.decoy)
        guard let account, matches, !account.isDisabled else {
            _ = try await store.appendAudit(.init(actor: username, action: "auth.failed", address: address))
            throw Problem(.unauthorized, type: "unauthorized", title: "Wrong username or password")
        }
        limiter.succeeded(ticket)
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        // Base64url after a fixed prefix: a token never starts with "-", which command lines would
        // take for an option.
        let token =
            "cdn_"
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let issued = now()
        let record = TokenRecord(
            tokenHash: AuditChain.digest(token),
            username: account.username,
            issuedAt: issued,
            expiresAt: issued.addingTimeInterval(tokenLifetime)
        )
        try await store.insertToken(
            record,
            audit: .init(actor: account.username, role: account.role, action: "auth.token", address: address)
        )
        return (token, record)
    }

    func createAccount(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let new = try await HTTPSupport.decode(NewAccount.self, from: request, context: context, now: now())
        try await checkRecipients(new.serves)
        let account = Account(
            username: new.username,
            role: new.role,
            passwordHash: try await hasher.hash(new.password),
            createdAt: now(),
            serves: new.serves
        )
        try await store.createAccount(
            account,
            audit: .init(
                actor: identity.username,
                role: identity.role,
                action: "accounts.create",
                target: "accounts/\(account.username)",
                address: context.remoteAddress,
                details: .object([
                    "role": .string(account.role.rawValue), "serves": .array(account.serves.map(JSONValue.string)),
                ])
            )
        )
        return try HTTPSupport.json(
            AccountView(account),
            status: .created,
            headers: [.location: "/v1/accounts/\(account.username)"]
        )
    }

    /// Replaces what an account serves; its open streams for anything else are refused from its next connection.
    func changeServes(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let username = try context.parameters.require("username")
        let body = try await HTTPSupport.decode(Serves.self, from: request, context: context, now: now())
        guard let account = try await store.account(username: username) else {
            throw Problem.notFound("no account '\(username)'")
        }
        try await checkRecipients(body.serves)
        let changed = Account(
            username: account.username,
            role: account.role,
            passwordHash: account.passwordHash,
            createdAt: account.createdAt,
            isDisabled: account.isDisabled,
            serves: body.serves
        )
        try await store.updateAccount(
            changed,
            audit: .init(
                actor: identity.username,
                role: identity.role,
                action: "accounts.serves",
                target: "accounts/\(username)",
                address: context.remoteAddress,
                details: .object([
                    "before": .array(account.serves.map(JSONValue.string)),
                    "after": .array(changed.serves.map(JSONValue.string)),
                ])
            )
        )
        return try HTTPSupport.json(AccountView(changed))
    }

    /// Every recipient named must exist: a checkpoint, or a post of a facility.
    func checkRecipients(_ serves: [String]) async throws {
        var issues = IssueCollector()
        var posts: Set<String>?
        for (index, recipient) in serves.enumerated() {
            let id = String(recipient.drop { $0 != "/" }.dropFirst())
            let exists: Bool
            if recipient.hasPrefix("checkpoints/") {
                exists = try await store.entity(Checkpoint.self, id: id) != nil
            } else {
                if posts == nil {
                    posts = Set(try await store.allEntities(Facility.self).flatMap { $0.posts.map(\.id.rawValue) })
                }
                exists = posts?.contains(id) == true
            }
            issues.check(exists, "serves[\(index)]", .unknownReference, "no \(recipient)")
        }
        do { try issues.finish() } catch let failure as ValidationFailure { throw Problem.validation(failure) }
    }
}

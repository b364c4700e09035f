public import CordonCore
public import HTTPTypes
import Hummingbird

/// One route of the API and the roles it allows.
public struct RouteSpec: Sendable, Hashable {
    public let method: HTTPRequest.Method
    /// The path with `{name}` parameters (`/v1/persons/{id}`).
    public let path: String
    /// The roles allowed, or nil for a public route.
    public let roles: Set<Role>?
}

/// Registers routes with their allowed roles, and keeps the list for tests and documentation.
///
/// Every handler runs behind the role check: no identity gives 401, a role not allowed gives 403.
public struct SecuredRouter {
    let router: Router<CordonRequestContext>
    public private(set) var routes: [RouteSpec] = []

    init(router: Router<CordonRequestContext>) {
        self.router = router
    }

    /// A handler given the caller's identity (nil only on public routes).
    typealias Handler = @Sendable (Request, CordonRequestContext, Identity?) async throws -> Response

    mutating func on(_ method: HTTPRequest.Method, _ path: String, roles: Set<Role>?, _ handler: @escaping Handler) {
        routes.append(RouteSpec(method: method, path: path, roles: roles))
        router.on(RouterPath(path), method: method) { request, context in
            if let roles {
                guard let identity = context.identity else { throw Problem.unauthorized }
                guard roles.contains(identity.role) else { throw Problem.forbidden(identity.role) }
                return try await handler(request, context, identity)
            }
            return try await handler(request, context, context.identity)
        }
    }
}

/// Role sets used by the routes.
enum Roles {
    static let everyone: Set<Role> = Set(Role.allCases)
    static let command: Set<Role> = [.admin, .commander]
    static let caseReaders: Set<Role> = [.admin, .commander, .custodyOfficer, .analyst]
    static let analysts: Set<Role> = [.admin, .commander, .analyst]
    static let screeners: Set<Role> = [.admin, .commander, .custodyOfficer, .checkpointOfficer, .analyst]
    static let custody: Set<Role> = [.admin, .commander, .custodyOfficer]
    static let alertReaders: Set<Role> = [.admin, .commander, .custodyOfficer, .checkpointOfficer, .analyst]
    static let checkpointReaders: Set<Role> = [.admin, .commander, .checkpointOfficer, .analyst]
    static let checkpointReporters: Set<Role> = [.admin, .commander, .checkpointOfficer]
    static let sightingReporters: Set<Role> = [.admin, .commander, .checkpointOfficer, .analyst, .custodyOfficer]
    static let auditors: Set<Role> = [.admin, .auditor]
    static let admin: Set<Role> = [.admin]
}

public import CordonCore
public import HTTPTypes
package import Hummingbird

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
/// Roles are declared once per group of routes (``group(_:)``); every handler of a group runs behind its
/// role check (no identity gives 401, a role not allowed gives 403) and is handed the caller's identity.
/// Public routes (``onPublic(_:_:_:)``) get none.
package final class SecuredRouter {
    package let router: Router<CordonRequestContext>
    package private(set) var routes: [RouteSpec] = []

    package init(router: Router<CordonRequestContext>) {
        self.router = router
    }

    /// A handler given the caller's identity.
    package typealias Handler = @Sendable (Request, CordonRequestContext, Identity) async throws -> Response

    /// The routes that `roles` may use.
    package func group(_ roles: Set<Role>) -> RouteGroup {
        RouteGroup(router: self, roles: roles)
    }

    /// A route open to everyone, signed in or not.
    package func onPublic(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ handler: @escaping @Sendable (Request, CordonRequestContext) async throws -> Response
    ) {
        routes.append(RouteSpec(method: method, path: path, roles: nil))
        router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
    }

    fileprivate func add(_ method: HTTPRequest.Method, _ path: String, roles: Set<Role>, _ handler: @escaping Handler) {
        routes.append(RouteSpec(method: method, path: path, roles: roles))
        router.on(RouterPath(path), method: method) { request, context in
            guard let identity = context.identity else { throw Problem.unauthorized }
            guard roles.contains(identity.role) else { throw Problem.forbidden(identity.role) }
            return try await handler(request, context, identity)
        }
    }
}

/// Routes sharing one set of roles.
package struct RouteGroup {
    let router: SecuredRouter
    package let roles: Set<Role>

    /// Adds a route of the group.
    package func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping SecuredRouter.Handler) {
        router.add(method, path, roles: roles, handler)
    }
}

/// Role sets used by the routes.
package enum Roles {
    package static let everyone: Set<Role> = Set(Role.allCases)
    package static let command: Set<Role> = [.admin, .commander]
    package static let caseReaders: Set<Role> = [.admin, .commander, .custodyOfficer, .analyst]
    package static let analysts: Set<Role> = [.admin, .commander, .analyst]
    package static let screeners: Set<Role> = [.admin, .commander, .custodyOfficer, .checkpointOfficer, .analyst]
    package static let custody: Set<Role> = [.admin, .commander, .custodyOfficer]
    package static let alertReaders: Set<Role> = [.admin, .commander, .custodyOfficer, .checkpointOfficer, .analyst]
    package static let checkpointReaders: Set<Role> = [.admin, .commander, .checkpointOfficer, .analyst]
    package static let checkpointReporters: Set<Role> = [.admin, .commander, .checkpointOfficer]
    package static let sightingReporters: Set<Role> = [
        .admin, .commander, .checkpointOfficer, .analyst, .custodyOfficer,
    ]
    package static let auditors: Set<Role> = [.admin, .auditor]
    package static let admin: Set<Role> = [.admin]
}

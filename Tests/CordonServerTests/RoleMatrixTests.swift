import CordonCore
import CordonServer
import Foundation
import HTTPTypes
import Testing

/// Every route answers 401 without a token, 403 for each role it does not allow, and serves the
/// roles it allows.
@Suite(.timeLimit(.minutes(5))) struct RoleMatrixTests {
    /// A concrete URI for a route pattern, with ids that exist in the demo.
    static func uri(for path: String) -> String {
        path.replacingOccurrences(of: "/v1/persons/{id}", with: "/v1/persons/p-mirzoyev-abdurasul")
            .replacingOccurrences(of: "/v1/accounts/{username}", with: "/v1/accounts/no-such-account")
            .replacingOccurrences(of: "{id}", with: "no-such-id")
            .replacingOccurrences(of: "{cell}", with: "no-such-cell")
            .replacingOccurrences(of: "{file}", with: "no-such-file.json")
    }

    @Test func everyRouteEnforcesItsRoles() async throws {
        try await withDemoServer { server in
            let routes = server.parts.routes
            #expect(routes.count > 40)
            var checked = 0
            for route in routes {
                let uri = Self.uri(for: route.path)
                guard let allowed = route.roles else {
                    // Public routes answer without a token (sign-in answers 422 to an empty body).
                    let response = try await server.api.call(route.method, uri, json: [:])
                    #expect(response.status != .unauthorized && response.status != .forbidden, "\(route.method) \(uri)")
                    continue
                }
                let anonymous = try await server.api.call(route.method, uri, json: [:])
                #expect(anonymous.status == .unauthorized, "\(route.method) \(uri) without a token")
                #expect(anonymous.headers[.contentType] == "application/problem+json")
                for role in Role.allCases {
                    // Revoking one's own token would sign the role out for the rest of the matrix.
                    if route.path == "/v1/auth/revoke" { continue }
                    let response = try await server.api.call(route.method, uri, token: server.tokens[role], json: [:])
                    if allowed.contains(role) {
                        #expect(
                            response.status != .unauthorized && response.status != .forbidden,
                            "\(route.method) \(uri) as \(role): \(response.status)"
                        )
                        #expect(response.status.code < 500, "\(route.method) \(uri) as \(role): \(response.text)")
                    } else {
                        #expect(response.status == .forbidden, "\(route.method) \(uri) as \(role): \(response.status)")
                    }
                    checked += 1
                }
            }
            #expect(checked > 200)
        }
    }

    @Test func needToKnowHoldsForTheNamedCases() async throws {
        try await withDemoServer { server in
            let checkpoint = server.tokens[.checkpointOfficer]
            #expect(
                try await server.api.call(.get, "/v1/persons/p-mirzoyev-abdurasul", token: checkpoint).status
                    == .forbidden
            )
            #expect(try await server.api.call(.get, "/v1/accounts", token: checkpoint).status == .forbidden)
            #expect(try await server.api.call(.get, "/v1/lists/export", token: checkpoint).status == .forbidden)
            let screen = try await server.api.call(.post, "/v1/screen", token: checkpoint, json: ["name": "Mirzoyev"])
            #expect(screen.status == .ok)
            // A checkpoint checks officers' credentials but neither issues nor revokes them.
            #expect(try await server.api.call(.get, "/v1/credentials/keys", token: checkpoint).status == .ok)
            #expect(try await server.api.call(.get, "/v1/credentials/revocations", token: checkpoint).status == .ok)
            let issue = try await server.api.call(
                .post,
                "/v1/credentials",
                token: checkpoint,
                json: ["staff": "st-ward-qodirov-sorbon"]
            )
            #expect(issue.status == .forbidden)
            let revokeAll = try await server.api.call(
                .post,
                "/v1/facilities/fac-gknb-ward/credentials/revoke",
                token: server.tokens[.custodyOfficer],
                json: ["reason": "x"]
            )
            #expect(revokeAll.status == .forbidden)
            let auditor = server.tokens[.auditor]
            #expect(try await server.api.call(.get, "/v1/audit", token: auditor).status == .ok)
            #expect(
                try await server.api.call(.post, "/v1/screen", token: auditor, json: ["name": "x"]).status == .forbidden
            )
            #expect(try await server.api.call(.get, "/v1/persons", token: auditor).status == .forbidden)
            #expect(try await server.api.call(.get, "/v1/audit", token: server.tokens[.commander]).status == .forbidden)
        }
    }
}

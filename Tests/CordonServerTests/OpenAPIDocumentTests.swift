import CordonCore
import CordonServer
import Foundation
import HTTPTypes
import Testing

/// The OpenAPI document served at `/openapi.json` describes exactly the routes the server registers,
/// with the roles each allows.
@Suite(.timeLimit(.minutes(5))) struct OpenAPIDocumentTests {
    /// The operations of a document by method and path (`GET /v1/persons/{id}`).
    static func operations(of document: [String: Any]) -> [String: [String: Any]] {
        var operations: [String: [String: Any]] = [:]
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            for (method, operation) in item as? [String: Any] ?? [:] where methods.contains(method) {
                operations["\(method.uppercased()) \(path)"] = operation as? [String: Any] ?? [:]
            }
        }
        return operations
    }

    @Test func servesTheBundledDocument() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(.get, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.body == (try OpenAPIDocument.data()))
            let document = try #require(response.json as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
        }
    }

    @Test func describesEveryRouteWithItsRoles() async throws {
        try await withDemoServer { server in
            let document = try #require(
                try JSONSerialization.jsonObject(with: OpenAPIDocument.data()) as? [String: Any]
            )
            let operations = Self.operations(of: document)
            let globalSecurity = document["security"] as? [Any]
            #expect(globalSecurity?.isEmpty == false, "the document requires bearerAuth by default")
            for route in server.parts.routes {
                let key = "\(route.method.rawValue) \(route.path)"
                guard let operation = operations[key] else {
                    Issue.record("\(key) is not in openapi.json")
                    continue
                }
                let documented = try #require(operation["x-cordon-roles"] as? [String], "\(key) has no x-cordon-roles")
                #expect(documented.count == Set(documented).count, "\(key) lists a role twice")
                let roles = Set(documented.compactMap(Role.init(rawValue:)))
                #expect(roles.count == documented.count, "\(key) names an unknown role: \(documented)")
                let security = operation["security"] as? [Any]
                if let allowed = route.roles {
                    #expect(roles == allowed, "\(key): x-cordon-roles \(documented) but the route allows \(allowed)")
                    #expect(security == nil || security?.isEmpty == false, "\(key) is secured but documented public")
                } else {
                    #expect(documented.isEmpty, "\(key) is public but lists roles \(documented)")
                    #expect(security?.isEmpty == true, "\(key) is public but not documented with security: []")
                }
            }
        }
    }

    @Test func documentsOnlyRegisteredRoutes() async throws {
        try await withDemoServer { server in
            let document = try #require(
                try JSONSerialization.jsonObject(with: OpenAPIDocument.data()) as? [String: Any]
            )
            let registered = Set(server.parts.routes.map { "\($0.method.rawValue) \($0.path)" })
            #expect(registered.count == server.parts.routes.count, "a route is registered twice")
            for key in Self.operations(of: document).keys.sorted() {
                #expect(registered.contains(key), "openapi.json documents \(key), which the server does not register")
            }
        }
    }
}

/// Every 4xx is an RFC 9457 problem, including the import that rejects every row.
@Suite(.timeLimit(.minutes(5))) struct ProblemAnswerTests {
    @Test func anImportThatRejectsEveryRowIsAProblemWithTheReport() async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/lists/import?format=csv",
                token: server.tokens[.commander],
                raw: "a,b\n1,2\n",
                headers: [.contentType: "text/csv"]
            )
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.object["type"] as? String == "https://cordon.example/problems/list-rejected")
            #expect(response.object["status"] as? Int == 422)
            #expect(response.object["instance"] as? String == "/v1/lists/import")
            #expect(response.object["imported"] as? Int == 0)
            #expect((response.object["rejected"] as? [[String: Any]])?.isEmpty == false)
        }
    }
}

/// Values the document allows but answers could not carry are refused, not stored.
@Suite(.timeLimit(.minutes(5))) struct UnrenderableValueTests {
    @Test(arguments: ["9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59.9999999999Z", "0000-01-01T00:00:00+14:00"])
    func refusesInstantsOutsideTheRenderableYears(_ instant: String) async throws {
        try await withDemoServer { server in
            let token = server.tokens[.commander]
            let incident: [String: Any] = [
                "id": "i-edge-of-time", "kind": "escape", "raised_at": instant, "summary": "edge of time",
            ]
            let created = try await server.api.call(.post, "/v1/incidents", token: token, json: incident)
            #expect(created.status == .unprocessableContent, "\(instant): \(created.text)")
            let errors = created.object["errors"] as? [[String: Any]] ?? []
            #expect(
                errors.contains {
                    $0["pointer"] as? String == "/raised_at" && $0["reason"] as? String == "out_of_range"
                }
            )
            let read = try await server.api.call(.get, "/v1/incidents/i-edge-of-time", token: token)
            #expect(read.status == .notFound)
        }
    }
}

import CordonCore
import CordonDocuments
import CordonEvents
import CordonPublishing
import CordonServer
import Foundation
import HTTPTypes
import Testing

/// Officers' credentials over HTTP: issued from staff records or explicit fields, verified online,
/// revoked one by one or for a whole facility, and the revocations sent to checkpoints with the next
/// alert.
@Suite(.timeLimit(.minutes(5))) struct CredentialAPITests {
    /// A guard of the ward whose uniforms were taken in the attack.
    static let wardGuard = "st-ward-qodirov-sorbon"

    static func issue(_ server: DemoServer, _ body: [String: Any]) async throws -> APIResponse {
        try await server.api.call(.post, "/v1/credentials", token: server.tokens[.commander], json: body)
    }

    static func verify(
        _ server: DemoServer,
        _ token: String,
        role: Role = .checkpointOfficer
    ) async throws
        -> [String: Any]
    {
        let response = try await server.api.call(
            .post,
            "/v1/credentials/verify",
            token: server.tokens[role],
            json: ["token": token]
        )
        #expect(response.status == .ok, "\(response.text)")
        return response.object
    }

    static func pointers(_ response: APIResponse) -> Set<String> {
        Set((response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
    }

    @Test func aGuardsCredentialVerifiesUntilItIsRevoked() async throws {
        try await withDemoServer { server in
            let issued = try await Self.issue(server, ["staff": Self.wardGuard, "valid_until": "2027-11-25T10:00:00Z"])
            #expect(issued.status == .created, "\(issued.text)")
            let token = try #require(issued.object["token"] as? String)
            let credential = try #require(issued.object["credential"] as? [String: Any])
            let id = try #require(credential["id"] as? String)
            #expect(token.hasPrefix("CDC1."))
            #expect(token.utf8.count < 300)
            #expect(credential["token"] as? String == token)
            #expect(credential["name"] as? String == "Қодиров Сорбон Аминович")
            #expect(credential["service_number"] as? String == "GK-08154")
            #expect(credential["unit"] as? String == "fac-gknb-ward")
            #expect(credential["role"] as? String == "guard")
            #expect(credential["staff"] as? String == Self.wardGuard)
            #expect(credential["issued_by"] as? String == "demo-commander")
            #expect(issued.headers[.location] == "/v1/credentials/\(id)")

            let keys = try await server.api.call(.get, "/v1/credentials/keys", token: server.tokens[.checkpointOfficer])
            let key = try #require((keys.object["keys"] as? [[String: Any]])?.first)
            #expect(key["id"] as? String == credential["key_id"] as? String)
            #expect((key["public_key"] as? String)?.count == 64)
            let material = try await server.parts.credentials.trustMaterial()
            #expect(material.keys.map(\.id.description) == [key["id"] as? String])

            let valid = try await Self.verify(server, token)
            #expect(valid["status"] as? String == "valid")
            #expect(valid["valid"] as? Bool == true)
            #expect((valid["credential"] as? [String: Any])?["service_number"] as? String == "GK-08154")

            let revoke = try await server.api.call(
                .post,
                "/v1/credentials/\(id)/revoke",
                token: server.tokens[.commander],
                json: ["reason": "uniform taken in the attack"]
            )
            #expect(revoke.status == .ok, "\(revoke.text)")
            #expect(revoke.object["changed"] as? Bool == true)
            let again = try await server.api.call(
                .post,
                "/v1/credentials/\(id)/revoke",
                token: server.tokens[.admin],
                json: ["reason": "a second time"]
            )
            #expect(again.status == .ok)
            #expect(again.object["changed"] as? Bool == false)
            let revocation = (again.object["credential"] as? [String: Any])?["revocation"] as? [String: Any]
            #expect(revocation?["reason"] as? String == "uniform taken in the attack")

            let revoked = try await Self.verify(server, token)
            #expect(revoked["status"] as? String == "revoked")
            #expect(revoked["valid"] as? Bool == false)
            #expect(revoked["revocation_reason"] as? String == "uniform taken in the attack")

            let list = try await server.api.call(
                .get,
                "/v1/credentials/revocations",
                token: server.tokens[.checkpointOfficer]
            )
            let items = try #require(list.object["revocations"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [id])
            #expect(items.first?["reason"] as? String == "uniform taken in the attack")
            #expect(try await server.parts.credentials.trustMaterial().revocations.map(\.id) == [id])

            let unknown = try await server.api.call(
                .post,
                "/v1/credentials/cr-nosuch/revoke",
                token: server.tokens[.commander],
                json: ["reason": "x"]
            )
            #expect(unknown.status == .notFound)

            let audit = try await server.api.call(.get, "/v1/audit?limit=1000", token: server.tokens[.auditor])
            let actions = (audit.object["records"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "credentials.issue" }.count == 1)
            #expect(actions.filter { $0 == "credentials.revoke" }.count == 1)
            #expect(actions.filter { $0 == "credentials.verify" }.count == 2)
        }
    }

    @Test func expiredNotYetValidAndForeignTokensAreRefused() async throws {
        // Sign-ins that outlast the month the clock is moved on.
        try await withDemoServer(tokenLifetime: 40 * 86400) { server in
            let later = try await Self.issue(
                server,
                ["staff": Self.wardGuard, "valid_from": "2026-12-01T00:00:00Z", "valid_until": "2026-12-02T00:00:00Z"]
            )
            let token = try #require(later.object["token"] as? String)
            #expect(try await Self.verify(server, token)["status"] as? String == "not_yet_valid")
            server.clock.advance(by: 30 * 86400)
            #expect(try await Self.verify(server, token)["status"] as? String == "expired")
            let garbage = try await Self.verify(server, "CDC1.AAAA")
            #expect(garbage["status"] as? String == "malformed")
            #expect(garbage["credential"] == nil)
            let notOurs = try await Self.verify(server, "hello")
            #expect((notOurs["message"] as? String)?.contains("not a Cordon credential") == true)
        }
    }

    @Test func explicitFieldsAndAFacilityWideRevocation() async throws {
        try await withDemoServer { server in
            var ids: [String] = []
            for staff in ["st-ward-qodirov-sorbon", "st-ward-hakimov-ilhom"] {
                let issued = try await Self.issue(server, ["staff": staff])
                #expect(issued.status == .created, "\(issued.text)")
                ids.append(try #require((issued.object["credential"] as? [String: Any])?["id"] as? String))
            }
            let officer = try await Self.issue(
                server,
                [
                    "name": "Rahimov Jamshed", "service_number": "MVD-1201", "unit": "Dushanbe east road post",
                    "role": "checkpoint_officer", "photo_sha256": String(repeating: "ab", count: 32),
                ]
            )
            #expect(officer.status == .created, "\(officer.text)")
            let officerToken = try #require(officer.object["token"] as? String)
            let fields = try await Self.verify(server, officerToken)
            #expect(fields["status"] as? String == "valid")
            #expect(
                (fields["credential"] as? [String: Any])?["photo_sha256"] as? String
                    == String(repeating: "ab", count: 32)
            )

            let revoke = try await server.api.call(
                .post,
                "/v1/facilities/fac-gknb-ward/credentials/revoke",
                token: server.tokens[.commander],
                json: ["reason": "uniforms and passes taken in the attack"]
            )
            #expect(revoke.status == .ok, "\(revoke.text)")
            let revoked = (revoke.object["revoked"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(Set(revoked) == Set(ids))
            #expect(try await Self.verify(server, officerToken)["status"] as? String == "valid")
            let again = try await server.api.call(
                .post,
                "/v1/facilities/fac-gknb-ward/credentials/revoke",
                token: server.tokens[.commander],
                json: ["reason": "again"]
            )
            #expect((again.object["revoked"] as? [Any])?.isEmpty == true)
            let unknown = try await server.api.call(
                .post,
                "/v1/facilities/fac-nowhere/credentials/revoke",
                token: server.tokens[.commander],
                json: ["reason": "x"]
            )
            #expect(unknown.status == .notFound)
        }
    }

    @Test func badRequestsNameTheirFields() async throws {
        try await withDemoServer { server in
            let empty = try await Self.issue(server, [:])
            #expect(empty.status == .unprocessableContent)
            #expect(Self.pointers(empty) == ["/name", "/service_number", "/unit", "/role"])
            let both = try await Self.issue(server, ["staff": Self.wardGuard, "name": "Someone"])
            #expect(Self.pointers(both) == ["/name"])
            let bad = try await Self.issue(
                server,
                [
                    "staff": Self.wardGuard, "photo_sha256": "zz", "valid_from": "2027-01-01T00:00:00Z",
                    "valid_until": "2026-01-01T00:00:00Z", "colour": "green",
                ]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(Self.pointers(bad) == ["/photo_sha256", "/valid_until", "/colour"])
            let badFields = try await Self.issue(
                server,
                ["name": " ", "service_number": "GK 1", "unit": "u", "role": "janitor"]
            )
            #expect(Self.pointers(badFields) == ["/name", "/service_number", "/role"])
            let nobody = try await Self.issue(server, ["staff": "st-nobody"])
            #expect(nobody.status == .notFound)
            let noReason = try await server.api.call(
                .post,
                "/v1/credentials/cr-x/revoke",
                token: server.tokens[.commander],
                json: ["reason": ""]
            )
            #expect(noReason.status == .unprocessableContent)
            #expect(Self.pointers(noReason) == ["/reason"])
            let noToken = try await server.api.call(
                .post,
                "/v1/credentials/verify",
                token: server.tokens[.checkpointOfficer],
                json: [:]
            )
            #expect(Self.pointers(noToken) == ["/token"])
        }
    }

    @Test func rolesIssueRevokeAndVerify() async throws {
        try await withDemoServer { server in
            let body: [String: Any] = ["staff": Self.wardGuard]
            for role in [Role.checkpointOfficer, .custodyOfficer, .analyst, .auditor] {
                let response = try await server.api.call(
                    .post,
                    "/v1/credentials",
                    token: server.tokens[role],
                    json: body
                )
                #expect(response.status == .forbidden, "\(role)")
            }
            let issued = try await server.api.call(.post, "/v1/credentials", token: server.tokens[.admin], json: body)
            let token = try #require(issued.object["token"] as? String)
            for role in [Role.admin, .commander, .custodyOfficer, .checkpointOfficer, .analyst] {
                #expect(try await Self.verify(server, token, role: role)["status"] as? String == "valid")
            }
            let auditor = try await server.api.call(
                .post,
                "/v1/credentials/verify",
                token: server.tokens[.auditor],
                json: ["token": token]
            )
            #expect(auditor.status == .forbidden)
            #expect(
                try await server.api.call(.get, "/v1/credentials/keys", token: server.tokens[.auditor]).status
                    == .forbidden
            )
        }
    }

    @Test func aCheckpointReceivesRevocationsWithTheNextAlert() async throws {
        try await withDemoServer { server in
            let socket = AlertDeliveryTests.socket(server, "cp-air-dushanbe")
            socket.send(.hello(lastSequence: 0))
            _ = try await socket.next(type: "welcome")
            let issued = try await Self.issue(server, ["staff": Self.wardGuard])
            let id = try #require((issued.object["credential"] as? [String: Any])?["id"] as? String)
            let first = try await AlertDeliveryTests.compose(server, checkpoints: ["cp-air-dushanbe"])
            #expect(first.status == .created, "\(first.text)")
            let before = try await socket.next(type: "alert")
            #expect(before["revoked_credentials"] == .array([]))
            #expect(before["alert"]?["id"]?.stringValue != nil)
            socket.send(.received(sequence: 1))

            let revoke = try await server.api.call(
                .post,
                "/v1/credentials/\(id)/revoke",
                token: server.tokens[.commander],
                json: ["reason": "uniform taken in the attack"]
            )
            #expect(revoke.status == .ok)
            let second = try await AlertDeliveryTests.compose(server, checkpoints: ["cp-air-dushanbe"])
            #expect(second.status == .created)
            let after = try await socket.next(type: "alert")
            #expect(after["sequence"]?.intValue == 2)
            #expect(after["revoked_credentials"]?.arrayValue.compactMap(\.stringValue) == [id])
            await socket.close()
        }
    }
}

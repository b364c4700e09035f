import CordonCore
import CordonStore
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Testing

@Suite struct PlateScreeningTests {
    private func hits(_ response: APIResponse) -> [[String: Any]] {
        response.object["hits"] as? [[String: Any]] ?? []
    }

    private func explanation(_ hit: [String: Any]?) -> [String: Any] {
        hit?["explanation"] as? [String: Any] ?? [:]
    }

    @Test func screensADemoVehicleWrittenInCyrillicWithoutRegionOrMisread() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.checkpointOfficer]
            let cyrillic = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                json: ["plate": " 4519  аа-01 "]
            )
            #expect(cyrillic.status == .ok, "\(cyrillic.text)")
            let first = hits(cyrillic).first
            #expect(first?["id"] as? String == "veh-vaz2107-white")
            #expect(first?["kind"] as? String == "vehicle")
            #expect(first?["make"] as? String == "VAZ (Lada)")
            #expect(first?["colour"] as? String == "white")
            #expect(first?["score"] as? Double == 1)
            #expect(first?["alert"] as? Bool == true)
            #expect(explanation(first)["rule"] as? String == "exact")
            #expect(cyrillic.object["threshold"] as? Double == 0.8)
            #expect(cyrillic.object["list_version"] is Int)

            let latin = try await server.api.call(
                .post,
                "/v1/screen",
                token: token,
                json: ["plate": "4519 AA", "plate_country": "TJ"]
            )
            let withoutRegion = hits(latin).first
            #expect(withoutRegion?["id"] as? String == "veh-vaz2107-white")
            #expect(explanation(withoutRegion)["rule"] as? String == "without_region")
            #expect((explanation(withoutRegion)["summary"] as? String)?.contains("region 01 not written") == true)
            #expect(withoutRegion?["alert"] as? Bool == true)

            let misread = try await server.api.call(.post, "/v1/screen", token: token, json: ["plate": "0731 ДА 0I"])
            let camry = hits(misread).first
            #expect(camry?["id"] as? String == "veh-toyota-camry-green")
            #expect(explanation(camry)["rule"] as? String == "misread")
            #expect(explanation(camry)["position"] as? Int == 8)
            #expect(explanation(camry)["listed_character"] as? String == "1")
            #expect(explanation(camry)["read_character"] as? String == "I")
            #expect(camry?["alert"] as? Bool == true)

            let nothing = try await server.api.call(.post, "/v1/screen", token: token, json: ["plate": "9999 XX 09"])
            #expect(nothing.status == .ok)
            #expect(hits(nothing).isEmpty)

            let audit = try await server.store.auditRecords(after: 0, limit: 10_000)
            #expect(audit.filter { $0.action == "screen.plate" }.count == 4)
        }
    }

    @Test(arguments: [
        (#"{"plate": "45#19"}"#, "/plate"),
        (#"{"plate": ""}"#, "/plate"),
        (#"{"plate": 4519}"#, "/plate"),
        (#"{"plate_country": "TJ"}"#, "/plate"),
        (#"{"plate": "4519 AA 01", "plate_country": "ZZ"}"#, "/plate_country"),
        (#"{"plate": "4519 AA 01", "name": "Mirzoev"}"#, "/name"),
        (#"{"plate": "4519 AA 01", "limit": 0}"#, "/limit"),
        (#"{"plate": "4519 AA 01", "colour": "white"}"#, "/colour"),
    ])
    func refusesBadPlateQueriesNamingTheField(body: String, pointer: String) async throws {
        try await withDemoServer { server in
            let response = try await server.api.call(
                .post,
                "/v1/screen",
                token: server.tokens[.checkpointOfficer],
                raw: body
            )
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let pointers = (response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            #expect(pointers.contains(pointer), "\(response.text)")
        }
    }

    @Test func keepsThePlateIndexInStepWithVehicleWritesAndDeletes() async throws {
        try await withDemoServer { server in
            let token = server.tokens[.commander]
            let vehicle: [String: Any] = [
                "id": "veh-test-niva", "plate": "А777ВС 77", "country": "RU", "make": "Lada", "model": "Niva",
                "colour": "red", "stolen": true,
            ]
            let created = try await server.api.call(.post, "/v1/vehicles", token: token, json: vehicle)
            #expect(created.status == .created, "\(created.text)")
            let found = try await server.api.call(.post, "/v1/screen", token: token, json: ["plate": "A777BC"])
            #expect(hits(found).first?["id"] as? String == "veh-test-niva")
            #expect(hits(found).first?["model"] as? String == "Niva")

            var replaced = vehicle
            replaced["plate"] = "В555ОР 799"
            let put = try await server.api.call(.put, "/v1/vehicles/veh-test-niva", token: token, json: replaced)
            #expect(put.status == .ok, "\(put.text)")
            let old = try await server.api.call(.post, "/v1/screen", token: token, json: ["plate": "A777BC 77"])
            #expect(hits(old).allSatisfy { $0["id"] as? String != "veh-test-niva" })
            let new = try await server.api.call(.post, "/v1/screen", token: token, json: ["plate": "B555OP 799"])
            #expect(hits(new).first?["id"] as? String == "veh-test-niva")

            let deleted = try await server.api.call(.delete, "/v1/vehicles/veh-test-niva", token: token)
            #expect(deleted.status == .noContent)
            let gone = try await server.api.call(.post, "/v1/screen", token: token, json: ["plate": "B555OP 799"])
            #expect(gone.status == .ok)
            #expect(hits(gone).allSatisfy { $0["id"] as? String != "veh-test-niva" })
        }
    }
}

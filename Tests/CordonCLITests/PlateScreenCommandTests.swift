import Foundation
import Testing

/// `cordon screen --plate` screens a plate against the vehicles of interest.
@Suite(.timeLimit(.minutes(5))) struct PlateScreenCommandTests {
    @Test func findsADemoVehicleByAPlateWithoutRegionAndExplains() throws {
        let run = try CordonProcess.runBlocking(["screen", "--plate", "4519 аа"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("[veh-vaz2107-white]"))
        #expect(run.standardOutput.contains("VAZ (Lada) 2107, white, stolen"))
        #expect(run.standardOutput.contains("without_region: the same plate; region 01 not written"))
        #expect(run.standardOutput.contains("ALERT"))
    }

    @Test func printsJSONWithTheMisreadExplained() throws {
        let run = try CordonProcess.runBlocking(["screen", "--plate", "0731 ДА 0I", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let hits = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [[String: Any]]
        )
        let first = try #require(hits.first)
        #expect(first["id"] as? String == "veh-toyota-camry-green")
        #expect(first["kind"] as? String == "vehicle")
        let explanation = try #require(first["explanation"] as? [String: Any])
        #expect(explanation["rule"] as? String == "misread")
        #expect(explanation["position"] as? Int == 8)
    }

    @Test func readsVehiclesFromJSONLines() throws {
        let folder = try TemporaryFolder()
        let file = folder.path("vehicles.jsonl")
        let lines = [
            #"{"id": "veh-kbl", "plate": "KBL 12345", "country": "AF", "make": "Toyota", "model": "Corolla", "colour": "white"}"#,
            #"{"id": "veh-bad", "plate": "@@@", "country": "AF", "make": "X", "model": "Y", "colour": "Z"}"#,
        ]
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let run = try CordonProcess.runBlocking(["screen", "--plate", "کابل ۱۲۳۴۵", "--vehicles", file])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("[veh-kbl]"))
        #expect(run.standardError.contains("vehicles.jsonl:2"))
    }

    @Test func refusesABadPlateWithAClearMessage() throws {
        let run = try CordonProcess.runBlocking(["screen", "--plate", "45#19"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("'#' cannot appear on a plate"))
        let both = try CordonProcess.runBlocking(["screen", "Mirzoev", "--plate", "4519 AA"])
        #expect(both.status != 0)
        #expect(both.standardError.contains("not both"))
    }
}

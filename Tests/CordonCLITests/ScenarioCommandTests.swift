import CordonDemo
import Foundation
import Testing

@Suite(.timeLimit(.minutes(5))) struct ScenarioCommandTests {
    @Test func helpListsTheCommands() throws {
        let result = try CordonProcess.runBlocking(["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("scenario"))
        let scenario = try CordonProcess.runBlocking(["scenario", "--help"])
        #expect(scenario.standardOutput.contains("show"))
        #expect(scenario.standardOutput.contains("check"))
    }

    @Test func showSummarisesTheDemo() throws {
        let result = try CordonProcess.runBlocking(["scenario", "show"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Wanted: 25"))
        #expect(result.standardOutput.contains("Asia/Dushanbe"))
        #expect(result.standardOutput.contains("01:10 +05:00"))
    }

    @Test func showWritesJSON() throws {
        let result = try CordonProcess.runBlocking(["scenario", "show", "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        )
        #expect(object["wanted"] as? Int == 25)
        #expect(object["vehicles"] as? Int == 4)
    }

    @Test func checkAcceptsTheDemo() throws {
        let folder = try TemporaryFolder()
        let file = try folder.file("demo.json", contents: try DemoScenario.data())
        let result = try CordonProcess.runBlocking(["scenario", "check", file])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("valid"))
        let piped = try CordonProcess.runBlocking(["scenario", "check", "-"], input: try DemoScenario.data())
        #expect(piped.status == 0)
    }

    @Test func checkListsEveryBadFieldWithItsPath() throws {
        var json = try #require(try JSONSerialization.jsonObject(with: DemoScenario.data()) as? [String: Any])
        var persons = try #require(json["persons"] as? [[String: Any]])
        persons[0]["birth_date"] = "2999-01"
        persons[1]["nationalities"] = ["XX"]
        json["persons"] = persons
        var checkpoints = try #require(json["checkpoints"] as? [[String: Any]])
        checkpoints[2]["location"] = ["lat": 95.0, "lon": 68.0]
        json["checkpoints"] = checkpoints
        let folder = try TemporaryFolder()
        let file = try folder.file("bad.json", contents: try JSONSerialization.data(withJSONObject: json))
        let result = try CordonProcess.runBlocking(["scenario", "check", file])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("persons[0].birth_date"))
        #expect(result.standardOutput.contains("persons[1].nationalities[0]"))
        #expect(result.standardOutput.contains("checkpoints[2].location.lat"))
        #expect(result.standardError.contains("3 problems"))

        let asJSON = try CordonProcess.runBlocking(["scenario", "check", "--format", "json", file])
        #expect(asJSON.status == 1)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(asJSON.standardOutput.utf8)) as? [String: Any]
        )
        let issues = try #require(report["issues"] as? [[String: Any]])
        #expect(issues.compactMap { $0["path"] as? String }.contains("persons[0].birth_date"))
    }

    @Test func checkExplainsAnUnreadableFile() throws {
        let result = try CordonProcess.runBlocking(["scenario", "check", "/nonexistent/scenario.json"])
        #expect(result.status == 2)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains("no such file"))
        let notJSON = try CordonProcess.runBlocking(["scenario", "check", "-"], input: Data("not json".utf8))
        #expect(notJSON.status == 1)
        #expect(notJSON.standardOutput.contains("not a valid JSON document"))
    }

    @Test func unknownCommandsFail() throws {
        let result = try CordonProcess.runBlocking(["no-such-command"])
        #expect(result.status != 0)
    }
}

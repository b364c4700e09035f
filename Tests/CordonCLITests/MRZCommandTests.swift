import Foundation
import Testing

/// `cordon mrz check` and `cordon screen --mrz`, run as a user would.
@Suite(.timeLimit(.minutes(5))) struct MRZCommandTests {
    static let td3 = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    static let dzhuraev = [
        "P<TJKDZHURAEV<<UMED<<<<<<<<<<<<<<<<<<<<<<<<<",
        "A4409127<9TJK8507125M1703010<<<<<<<<<<<<<<08",
    ]

    @Test func checksAZoneAndPrintsEveryField() throws {
        let run = try CordonProcess.runBlocking(["mrz", "check", "--today", "2010-08-23"] + Self.td3)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("TD3 document L898902C3: all checks pass"))
        #expect(run.standardOutput.contains("birth_date      1974-08-12"))
    }

    @Test func exitsWithOneOnAFailedCheckDigit() throws {
        let run = try CordonProcess.runBlocking([
            "mrz", "check", "--json", "--today", "2010-08-23", Self.td3[0],
            "L898902C37UTO7408122F1204159ZE184226B<<<<<10",
        ])
        #expect(run.status == 1)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        )
        #expect(report["valid"] as? Bool == false)
        let checks = report["checks"] as? [[String: Any]] ?? []
        #expect(checks.first { $0["name"] as? String == "document_number" }?["passed"] as? Bool == false)
    }

    @Test func checksABatchOfDocuments() throws {
        let folder = try TemporaryFolder()
        let lines = [
            #"{"id": "a", "lines": ["\#(Self.td3[0])", "\#(Self.td3[1])"]}"#,
            #"{"id": 2, "lines": ["\#(Self.td3[0])", "L898902C3"]}"#,
        ]
        let path = try folder.file("docs.jsonl", contents: Data(lines.joined(separator: "\n").utf8))
        let run = try CordonProcess.runBlocking(["mrz", "check", "--batch", path, "--today", "2010-08-23"])
        #expect(run.status == 1)
        let answers = run.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(answers.count == 2)
        #expect(answers[0]["valid"] as? Bool == true)
        #expect(answers[1]["id"] as? Int == 2)
        let issues = answers[1]["issues"] as? [[String: Any]] ?? []
        #expect(issues.first?["path"] as? String == "[1]")
    }

    @Test func screensByDocument() throws {
        let run = try CordonProcess.runBlocking(["screen", "--today", "2010-08-23", "--mrz"] + Self.dzhuraev)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("TD3 document A4409127: all checks pass"))
        #expect(run.standardOutput.contains("[p-juraev-umed]"))
        #expect(run.standardOutput.contains("ALERT"))

        let json = try CordonProcess.runBlocking(["screen", "--json", "--mrz"] + Self.dzhuraev)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        )
        #expect((object["document"] as? [String: Any])?["format"] as? String == "td3")
        #expect(((object["hits"] as? [[String: Any]])?.first)?["id"] as? String == "p-juraev-umed")
    }
}

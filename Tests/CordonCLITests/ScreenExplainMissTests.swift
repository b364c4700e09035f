import Foundation
import Testing

/// `cordon screen --explain-miss ID` says why a name did or did not alert on one entry; `--list` may be
/// repeated, each file a named list, and `--list-threshold NAME=T` gives a list its own threshold.
@Suite(.timeLimit(.minutes(5))) struct ScreenExplainMissTests {
    static let fugitive = "p-mirzoyev-abdurasul"

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func explainsASilentVariantWithTheCostOfEachFactor() throws {
        let run = try CordonProcess.runBlocking([
            "screen", "Mirzoev Abdurasul", "--born", "1930", "--explain-miss", Self.fugitive,
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("[\(Self.fugitive)]") == true, "\(run.standardOutput)")
        #expect(lines.count > 2 && lines[1].hasPrefix("silent: score "), "\(run.standardOutput)")
        #expect(lines[1].contains("threshold 0.95"))
        #expect(lines.count > 2 && lines[2].contains("birth_date:"), "the birth date costs most: \(run.standardOutput)")
    }

    @Test func printsTheSameAnswerAsJSON() throws {
        let run = try CordonProcess.runBlocking([
            "screen", "Mirzoev Abdurasul", "--born", "1930", "--explain-miss", Self.fugitive, "--json",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try Self.json(run.standardOutput)
        #expect(object["entity"] as? String == Self.fugitive)
        #expect(object["alert"] as? Bool == false)
        #expect(object["candidate"] as? Bool == true)
        #expect(object["threshold"] as? Double == 0.95)
        let score = try #require(object["score"] as? Double)
        let gap = try #require(object["gap"] as? Double)
        #expect(abs(gap - (0.95 - score)) < 0.0002)
        let costs = try #require(object["costs"] as? [[String: Any]])
        #expect(costs.first?["factor"] as? String == "birth_date")
        #expect((costs.first?["points"] as? Double ?? 0) > gap, "without the date the name alone alerts")
        let points = costs.compactMap { $0["points"] as? Double }
        #expect(points == points.sorted(by: >))
        #expect((object["explanation"] as? [String: Any])?["matched_name"] is String)
    }

    @Test func saysSoWhenTheEntryDidAlert() throws {
        let run = try CordonProcess.runBlocking(["screen", "Abdurasul Mirzoev", "--explain-miss", Self.fugitive])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("\nalerts: score "), "\(run.standardOutput)")
    }

    @Test func anUnknownEntryIsOneLineAndAFailure() throws {
        let run = try CordonProcess.runBlocking(["screen", "Abdurasul Mirzoev", "--explain-miss", "p-nobody"])
        #expect(run.status != 0)
        #expect(run.standardOutput.isEmpty)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("no entry \"p-nobody\""), "\(run.standardError)")
    }

    /// Two lists naming the same person: tonight's alerts at its own lower threshold, the other does not.
    @Test func eachListAlertsAtItsOwnThresholdAndHitsSayWhich() throws {
        let folder = try TemporaryFolder()
        let tonight = try folder.file(
            "tonight.jsonl",
            contents: Data(#"{"id": "t-1", "name": "Zafar Kholiqnazarov"}"#.utf8)
        )
        let sanctions = try folder.file(
            "general.jsonl",
            contents: Data(#"{"id": "s-1", "name": "Zafar Kholiqnazarov"}"#.utf8)
        )
        let run = try CordonProcess.runBlocking([
            "screen", "Kholiqnazarov", "--list", tonight, "--list", "sanctions=\(sanctions)",
            "--list-threshold", "tonight=0.6", "--json",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let hits = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [[String: Any]]
        )
        let fromTonight = try #require(hits.first { $0["id"] as? String == "t-1" }, "\(run.standardOutput)")
        let fromSanctions = try #require(hits.first { $0["id"] as? String == "s-1" }, "\(run.standardOutput)")
        let score = try #require(fromTonight["score"] as? Double)
        #expect(score >= 0.6 && score < 0.95, "\(run.standardOutput)")
        #expect(fromTonight["list"] as? String == "tonight")
        #expect(fromTonight["threshold"] as? Double == 0.6)
        #expect(fromTonight["alert"] as? Bool == true)
        #expect(fromSanctions["list"] as? String == "sanctions")
        #expect(fromSanctions["threshold"] as? Double == 0.95)
        #expect(fromSanctions["alert"] as? Bool == false)

        let explained = try CordonProcess.runBlocking([
            "screen", "Kholiqnazarov", "--list", tonight, "--list-threshold", "tonight=0.99", "--explain-miss", "t-1",
        ])
        #expect(explained.status == 0, "\(explained.standardError)")
        #expect(explained.standardOutput.contains("on list tonight"))
        #expect(explained.standardOutput.contains("threshold 0.99"), "\(explained.standardOutput)")
    }

    @Test(arguments: [
        (["--list-threshold", "elsewhere=0.9"], "no list named elsewhere"),
        (["--list-threshold", "tonight=1.5"], "more than 0 and at most 1"),
        (["--list-threshold", "tonight=0"], "more than 0 and at most 1"),
        (["--list-threshold", "tonight"], "NAME=T"),
    ])
    func refusesABadListThresholdInOneLine(arguments: [String], message: String) throws {
        let folder = try TemporaryFolder()
        let tonight = try folder.file(
            "tonight.jsonl",
            contents: Data(#"{"id": "t-1", "name": "Zafar Kholiqnazarov"}"#.utf8)
        )
        let run = try CordonProcess.runBlocking(["screen", "Kholiqnazarov", "--list", tonight] + arguments)
        #expect(run.status != 0)
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }
}

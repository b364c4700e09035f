import Foundation
import Testing

/// `cordon read` reads reports for the demo's wanted list: JSON per input, bad inputs named on one line.
@Suite(.timeLimit(.minutes(5))) struct ReadCommandTests {
    @Test func printsOneJSONObjectPerInputWithMentionsAndEntities() throws {
        let folder = try TemporaryFolder()
        let wire = folder.path("wire.txt")
        try "Пограничники ищут Мирзоевым Абдурасулом. Позже Мирзоев был замечен в Вахдате.\n"
            .write(toFile: wire, atomically: true, encoding: .utf8)
        let page = folder.path("page.html")
        try "<html><body><script>Hikmatullo Davlatov</script><p>No one listed here.</p></body></html>"
            .write(toFile: page, atomically: true, encoding: .utf8)
        let run = try CordonProcess.runBlocking(["read", "--json", wire, page])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n")
        try #require(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["source"] as? String == wire)
        let mentions = try #require(first["mentions"] as? [[String: Any]])
        #expect(mentions.map { $0["entity"] as? String } == ["p-mirzoyev-abdurasul", "p-mirzoyev-abdurasul"])
        #expect(mentions.map { $0["text"] as? String } == ["Мирзоевым Абдурасулом", "Мирзоев"])
        #expect(mentions.map { $0["start"] as? Int } == [18, 47])
        #expect(mentions.allSatisfy { $0["alert"] as? Bool == true && $0["explanation"] is String })
        #expect(mentions.last?["basis"] as? String == "earlier_mention")
        let entities = try #require(first["entities"] as? [[String: Any]])
        #expect(entities.first?["entity"] as? String == "p-mirzoyev-abdurasul")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["format"] as? String == "html")
        #expect((second["mentions"] as? [Any])?.isEmpty == true)
    }

    @Test func namesBadInputsOnOneLineEach() throws {
        let folder = try TemporaryFolder()
        let binary = folder.path("photo.jpg")
        try Data([0xFF, 0xD8, 0x00, 0x10]).write(to: URL(fileURLWithPath: binary))
        let feed = folder.path("feed.xml")
        try "<rss><channel><item><title>x</titel></item></channel></rss>".write(
            toFile: feed,
            atomically: true,
            encoding: .utf8
        )
        let empty = folder.path("empty.txt")
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        let run = try CordonProcess.runBlocking(["read", binary, feed, empty])
        #expect(run.status == 1)
        let errors = run.standardError.split(separator: "\n")
        #expect(errors.count == 3, "\(run.standardError)")
        #expect(errors.contains { $0.contains("photo.jpg") && $0.contains("binary") })
        #expect(errors.contains { $0.contains("feed.xml") && $0.contains("not well-formed") })
        #expect(errors.contains { $0.contains("empty.txt") && $0.contains("empty") })
    }

    @Test func readsStandardInput() throws {
        let run = try CordonProcess.runBlocking(["read", "--json"], input: Data("Members of the IMU fled.".utf8))
        #expect(run.status == 0, "\(run.standardError)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        )
        #expect(report["source"] as? String == "-")
        #expect((report["mentions"] as? [[String: Any]])?.first?["entity"] as? String == "org-imu")
    }
}

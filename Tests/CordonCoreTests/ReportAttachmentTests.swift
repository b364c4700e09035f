import CordonCore
import Foundation
import Testing

/// A report on a person's timeline: only a `report` event carries one, and every field is checked.
@Suite struct ReportAttachmentTests {
    static let digest = String(repeating: "ab", count: 32)

    static func attachment(sha256: String = digest, mentions: Int = 1) throws -> ReportAttachment {
        try ReportAttachment(
            source: "Wire, 24 August",
            format: "text",
            sha256: sha256,
            bytes: 120,
            attachedBy: "demo-analyst",
            mentions: try (0..<mentions).map {
                try .init(text: "Мирзоева", start: 10 * $0, end: 10 * $0 + 8, alert: true, basis: "name")
            }
        )
    }

    static func paths(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch let failure as ValidationFailure {
            return failure.issues.map(\.path)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func aReportEventCarriesItsReportAndRoundTrips() throws {
        let event = try TimelineEvent(
            id: EventID("report-1"),
            at: Instant.parse("2010-08-24T09:00:00+05:00")!,
            kind: .report,
            summary: "Report “Wire, 24 August” names Mirzoyev Abdurasul",
            persons: [PersonID("p-mirzoyev-abdurasul")],
            report: try Self.attachment()
        )
        let data = try JSONEncoder.cordon().encode(event)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["kind"] as? String == "report")
        #expect((object["report"] as? [String: Any])?["attached_by"] as? String == "demo-analyst")
        #expect(try JSONDecoder.cordon().decode(TimelineEvent.self, from: data) == event)
    }

    @Test func onlyAReportEventCarriesAReport() throws {
        let at = Instant.parse("2010-08-24T09:00:00+05:00")!
        #expect(
            Self.paths { _ = try TimelineEvent(id: EventID("e-1"), at: at, kind: .report, summary: "x") } == ["report"]
        )
        #expect(
            Self.paths {
                _ = try TimelineEvent(id: EventID("e-1"), at: at, kind: .other, summary: "x", report: Self.attachment())
            } == ["report"]
        )
    }

    @Test func refusesABadHashAnEmptyListAndMentionsOutOfOrder() {
        #expect(Self.paths { _ = try Self.attachment(sha256: "AB" + Self.digest.dropFirst(2)) } == ["sha256"])
        #expect(Self.paths { _ = try Self.attachment(sha256: "abc") } == ["sha256"])
        #expect(Self.paths { _ = try Self.attachment(mentions: 0) } == ["mentions"])
        #expect(
            Self.paths { _ = try ReportAttachment.Mention(text: " ", start: 5, end: 5, alert: true, basis: "guess") }
                == ["text", "end", "basis"]
        )
        #expect(
            Self.paths {
                _ = try ReportAttachment(
                    source: "",
                    format: "pdf",
                    sha256: Self.digest,
                    bytes: 0,
                    attachedBy: "demo-analyst",
                    mentions: [try .init(text: "Мирзоев", start: 0, end: 7, alert: false, basis: "earlier_mention")]
                )
            } == ["source", "format", "bytes"]
        )
    }
}

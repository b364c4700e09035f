import Testing

@testable import CordonReading

/// A plain text read part by part finds what reading it whole finds, at the same offsets.
@Suite struct ReadingStreamTests {
    static func longText() -> String {
        var paragraphs: [String] = ["\u{FEFF}Начало сводки. Пограничники ищут Мирзоевым Абдурасулом."]
        for n in 0..<3000 {
            paragraphs.append("Абзац \(n): в районе спокойно, дороги открыты, машины проверяют на постах.")
        }
        paragraphs.append("В конце дня Мирзоев был замечен у моста, рядом с ним Hikmatullo Davlatov.")
        return paragraphs.joined(separator: "\n\n")
    }

    @Test func readsInPartsAsItReadsWhole() throws {
        let text = Self.longText()
        let bytes = Array(text.utf8)
        #expect(bytes.count > 200_000)
        let whole = try reader.read(ReportDocument(bytes: bytes)).mentions
        var stream = ReadingStream(reader: reader)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 7_777)
            try stream.feed(bytes[offset..<end])
            offset = end
        }
        let parts = try stream.finish().mentions
        #expect(parts.map(\.entity) == whole.map(\.entity))
        #expect(parts.map(\.start) == whole.map(\.start))
        #expect(parts.map(\.basis) == [.name, .earlierMention, .name])
        let scalars = Array(text.unicodeScalars)
        let words = parts.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
        #expect(words == ["Мирзоевым Абдурасулом", "Мирзоев", "Hikmatullo Davlatov"])
    }

    @Test func refusesWhatIsNotTextInAnyPart() {
        var stream = ReadingStream(reader: reader)
        #expect(throws: ReportDocument.Failure.self) {
            try stream.feed(Array(repeating: UInt8(ascii: "a"), count: 70_000) + [0x0A, 0x0A, 0x00, 0x0A])
            _ = try stream.finish()
        }
        var empty = ReadingStream(reader: reader)
        #expect(throws: ReportDocument.Failure.self) {
            try empty.feed(Array("\n  \n".utf8))
            _ = try empty.finish()
        }
    }
}

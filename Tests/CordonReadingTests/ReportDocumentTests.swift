import Testing

@testable import CordonReading

@Suite struct ReportDocumentTests {
    @Test func htmlLosesScriptsAndStylesAndKeepsSourceOffsets() throws {
        let html = """
            <html><head><title>Wire</title><style>.Mirzoyev { }</style>
            <script>var fugitive = "Abdurasul Mirzoyev";</script></head>
            <body><p>Police say <b>Abdurasul</b> Mirz&shy;oyev &amp; others fled.</p></body></html>
            """
        let document = try ReportDocument(bytes: Array(html.utf8))
        #expect(document.format == .html)
        let mentions = reader.read(document).mentions.filter(\.alert)
        #expect(mentions.count == 1)
        let mention = try #require(mentions.first)
        let scalars = Array(html.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[mention.start..<mention.end])) == "Abdurasul</b> Mirz&shy;oyev")
    }

    @Test func feedsGiveTheirItemsAndEscapedHTML() throws {
        let rss = """
            <?xml version="1.0"?>
            <rss version="2.0"><channel><title>News</title>
            <item><title>Escape in Dushanbe</title><guid>n-1</guid>
            <description>&lt;p&gt;Witnesses named &lt;b&gt;Hikmatullo Davlatov&lt;/b&gt;.&lt;/p&gt;</description></item>
            <item><title>IMU statement</title><link>https://example.org/2</link>
            <description><![CDATA[<p>The <i>IMU</i> denied it.</p>]]></description></item>
            </channel></rss>
            """
        let document = try ReportDocument(bytes: Array(rss.utf8))
        #expect(document.format == .feed)
        #expect(document.items.map(\.id) == ["n-1", "https://example.org/2"])
        let mentions = reader.read(document).mentions.filter(\.alert)
        #expect(mentions.map(\.entity) == ["p-davlatov", "org-imu", "org-imu"])
        let scalars = Array(rss.unicodeScalars)
        let words = mentions.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
        #expect(words == ["Hikmatullo Davlatov", "IMU", "IMU"])
    }

    @Test func atomEntriesAreItems() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Tips</title>
            <entry><id>tag:tips,1</id><title type="text">Tip</title><link href="https://example.org/t/1"/>
            <summary type="html">&lt;p&gt;Мирзоева Абдурасула видели в Вахдате&lt;/p&gt;</summary></entry></feed>
            """
        let document = try ReportDocument(bytes: Array(atom.utf8))
        #expect(document.items.first?.link == "https://example.org/t/1")
        #expect(reader.read(document).mentions.filter(\.alert).map(\.entity) == ["p-mirzoev"])
    }

    @Test(
        arguments: [
            ([], "empty"),
            (Array("  \n ".utf8), "empty"),
            ([0x4D, 0x00, 0x5A], "binary"),
            ([0x4D, 0xC3, 0x28], "not UTF-8"),
        ] as [([UInt8], String)]
    )
    func refusesWhatIsNotText(_ bytes: [UInt8], _ reason: String) {
        #expect(throws: ReportDocument.Failure.self) { try ReportDocument(bytes: bytes) }
        do {
            _ = try ReportDocument(bytes: bytes)
        } catch {
            #expect(error.message.contains(reason))
        }
    }

    @Test func refusesAMalformedFeedNamingTheLine() {
        let feed = "<rss><channel>\n<item><title>x</titel></item></channel></rss>"
        do {
            _ = try ReportDocument(bytes: Array(feed.utf8))
            Issue.record("read a malformed feed")
        } catch {
            #expect(error.message.contains("not well-formed"))
            #expect(error.message.contains("line 2"))
        }
    }
}

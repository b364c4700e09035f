import CordonCore
import Foundation
import Testing

@testable import CordonDocuments

private func tokens(_ text: String, _ dialect: MarkupScanner.Dialect) throws -> [MarkupScanner.Token] {
    var scanner = MarkupScanner(Array(text.utf8), dialect: dialect)
    var found: [MarkupScanner.Token] = []
    while let token = try scanner.next() { found.append(token) }
    return found
}

private func texts(_ text: String, _ dialect: MarkupScanner.Dialect) throws -> [String] {
    let bytes = Array(text.utf8)
    return try tokens(text, dialect).compactMap { token in
        guard case .text(let range) = token else { return nil }
        return try MarkupText.decode(bytes[range], dialect: dialect)
    }
}

@Suite struct MarkupScannerTests {
    @Test func readsXMLTagsAttributesTextAndReferences() throws {
        let xml = "<a:alert xmlns:a='urn:x' id=\"1 &amp; 2\"><b>Мирзоев &#1040;&#x0411; &lt;x&gt;</b><c/></a:alert>"
        let found = try tokens(xml, .xml)
        #expect(
            found.first
                == .start(
                    name: "a:alert",
                    attributes: [.init(name: "xmlns:a", value: "urn:x"), .init(name: "id", value: "1 & 2")],
                    selfClosing: false
                )
        )
        #expect(found.contains(.start(name: "c", attributes: [], selfClosing: true)))
        #expect(try texts(xml, .xml) == ["Мирзоев АБ <x>"])
    }

    @Test(arguments: [
        ("<a>1 & 2</a>", "an '&' starts no reference"),
        ("<a>&nbsp;</a>", "not one of XML's five"),
        ("<a>&#0;</a>", "names no character"),
        ("<a b=1/>", "is not quoted"),
        ("<a b='1' b='2'/>", "twice"),
        ("<a b='<'/>", "holds a '<'"),
        ("<a><!-- open", "comment is not closed"),
        ("<a>< b</a>", "does not open a tag"),
        ("<a b/>", "has no value"),
    ])
    func refusesMalformedXMLNamingTheFault(_ xml: String, _ fault: String) {
        do {
            var scanner = MarkupScanner(Array(xml.utf8), dialect: .xml)
            while let token = try scanner.next() {
                if case .text(let range) = token { _ = try MarkupText.decode(scanner.bytes[range], dialect: .xml) }
            }
            Issue.record("read \(xml)")
        } catch let failure as MarkupFailure {
            #expect(failure.message.contains(fault), "\(xml): \(failure)")
        } catch let failure as MarkupText.Failure {
            #expect(failure.message.contains(fault), "\(xml): \(failure)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func namesTheLineOfAFault() {
        let xml = "<a>\n<b>\n<c d=x/></b></a>"
        var scanner = MarkupScanner(Array(xml.utf8), dialect: .xml)
        #expect(throws: MarkupFailure(message: "the value of 'd' in 'c' is not quoted", line: 3)) {
            while try scanner.next() != nil {}
        }
    }

    @Test func readsHTMLAsBrowsersWriteIt() throws {
        let html = """
            <!DOCTYPE html><HTML><Body class=news data-x>
            <p>Tom &amp; Jerry &hellip; &unknown; 3 < 4</p>
            <script>var name = "Мирзоев"; if (a < b) {}</script><style>p { color: red }</STYLE>
            <p>after</p>
            """
        let found = try tokens(html, .html)
        #expect(found.contains(.declaration))
        #expect(
            found.contains(
                .start(
                    name: "body",
                    attributes: [.init(name: "class", value: "news"), .init(name: "data-x", value: "")],
                    selfClosing: false
                )
            )
        )
        let raw = found.compactMap { token -> String? in
            guard case .rawText(let element, _) = token else { return nil }
            return element
        }
        #expect(raw == ["script", "style"])
        let words = try texts(html, .html).joined()
        #expect(words.contains("Tom & Jerry … &unknown; 3 < 4"))
        #expect(!words.contains("Мирзоев"))
        #expect(!words.contains("color"))
        #expect(words.contains("after"))
    }

    @Test func mapsDecodedReferencesBackToTheSource() throws {
        let bytes = Array("a&amp;b&#1052;c".utf8)
        var pieces: [MarkupText.Piece] = []
        try MarkupText.pieces(of: bytes[...], dialect: .html) { pieces.append($0) }
        #expect(
            pieces == [
                .literal(0..<1), .reference(source: 1..<6, scalar: "&"), .literal(6..<7),
                .reference(source: 7..<14, scalar: "М"), .literal(14..<15),
            ]
        )
    }

    /// A CAP document is read by the scanner: well-formed ones as before, malformed ones refused with the
    /// line, as many times as they are sent (the platform parser kept every error it reported alive,
    /// and a fuzzer ran out of memory sending malformed documents).
    @Test func capDocumentsReadThroughTheScanner() throws {
        let message = try CAPMessage(xml: validAckSpecimen)
        #expect(message.identifier == "cp-dushanbe-rail-ack-0001")
        let broken = validAckSpecimen.replacingOccurrences(of: "</note>", with: "</not>")
        for _ in 0..<3 {
            do {
                _ = try CAPMessage(xml: broken)
                Issue.record("read a document whose note is closed by another tag")
            } catch let failure as ValidationFailure {
                #expect(failure.issues.first?.message.contains("line 9") == true, "\(failure.issues)")
                #expect(failure.issues.first?.message.contains("'note' is closed by 'not'") == true)
            }
        }
        let prefixed = """
            <cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2"><cap:identifier>x</cap:identifier></cap:alert>
            """
        do {
            _ = try CAPMessage(xml: prefixed)
            Issue.record("read an alert without its required elements")
        } catch let failure as ValidationFailure {
            // The prefix resolves to CAP's namespace: the failures are about CAP's content, not the XML.
            #expect(failure.issues.contains { $0.path == "sender" })
        }
    }
}

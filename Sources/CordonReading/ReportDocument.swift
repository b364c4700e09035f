public import CordonDocuments

/// A report as given: plain text, an HTML page or an Atom/RSS feed, and the text read from it.
///
/// HTML loses its tags, scripts, styles and comments; block elements become paragraph breaks, inline
/// ones join their words (`Mir<b>zoev</b>` is one word), references are decoded. A feed gives each
/// item's title and content (content that is HTML, escaped or in CDATA, is read as HTML). Offsets of
/// what is found are given in scalars of the document as given, whatever its format.
public struct ReportDocument: Sendable {
    /// The three kinds of document read.
    public enum Format: String, Sendable, CaseIterable {
        case text, html, feed
    }

    /// An item of a feed: its identifier, title and link, and where its text is.
    public struct FeedItem: Sendable, Hashable {
        public var id: String
        public var title: String
        public var link: String?
        /// The item's stretch of the text read, in scalars.
        public var textRange: Range<Int>
        /// The item's stretch of the document as given (from its opening tag to its closing one), in scalars.
        public var sourceRange: Range<Int>
    }

    /// Why a document cannot be read.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }

        /// A failure saying `message`.
        public init(message: String) { self.message = message }
    }

    public let format: Format
    /// The text read, UTF-8.
    let text: [UInt8]
    let map: TextMap?
    /// A feed's items, in document order.
    public let items: [FeedItem]

    /// Reads a document, of the format given or the one its first bytes show.
    ///
    /// - Throws: ``Failure`` for an empty document, bytes that are not UTF-8 text (a NUL, or invalid
    ///   UTF-8), or a feed that is not well-formed XML.
    public init(bytes: [UInt8], format: Format? = nil) throws(Failure) {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw Failure(message: "the document is empty")
        }
        guard !bytes.contains(0) else {
            throw Failure(message: "the document is binary, not text (it holds a NUL byte)")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Failure(message: "the document is not UTF-8 text")
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        let offset = body.count == bytes.count ? 0 : 1
        self.format = format ?? Self.detect(body)
        switch self.format {
        case .text:
            text = body
            map = offset == 0 ? nil : Self.shifted(body, by: offset)
            items = []
        case .html:
            var builder = TextBuilder()
            var counter = ScalarCounter(body)
            HTMLText.extract(body, base: offset, counter: &counter, into: &builder)
            text = builder.bytes
            map = builder.map
            items = []
        case .feed:
            let feed = try FeedText(body, base: offset)
            text = feed.builder.bytes
            map = feed.builder.map
            items = feed.items
        }
    }

    /// The format the first bytes show: a feed (`<rss`, `<feed`, `<rdf:RDF`), an HTML page (a doctype, or
    /// `<html`, `<body`, `<p`, `<div` before any text), or plain text.
    public static func detect(_ bytes: [UInt8]) -> Format {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        let trimmed = head.drop { $0.isWhitespace }
        guard trimmed.hasPrefix("<") else { return .text }
        if head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf") { return .feed }
        return .html
    }

    private static func shifted(_ text: [UInt8], by offset: Int) -> TextMap {
        var map = TextMap()
        let count = text.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        map.append(text: 0, source: offset, textLength: count, sourceLength: count)
        return map
    }

    /// A mention's offsets in the document as given.
    func sourceRange(_ start: Int, _ end: Int) -> (Int, Int) {
        guard let map else { return (start, end) }
        return (map.source(ofStart: start), map.source(ofEnd: end))
    }
}

extension TextReader {
    /// Reads a document: its text, with every mention's offsets and words given in the document as given.
    ///
    /// - Parameter threshold: the score a mention alerts at (default: the list's).
    public func read(_ document: ReportDocument, threshold: Double? = nil) -> ReadingResult {
        var result = read(utf8: document.text, threshold: threshold)
        guard document.map != nil else { return result }
        for index in result.mentions.indices {
            let (start, end) = document.sourceRange(result.mentions[index].start, result.mentions[index].end)
            result.mentions[index].start = start
            result.mentions[index].end = end
            if let refersTo = result.mentions[index].refersTo {
                result.mentions[index].refersTo = document.sourceRange(refersTo, refersTo + 1).0
            }
        }
        return result
    }
}

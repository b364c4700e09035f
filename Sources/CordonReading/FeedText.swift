import CordonCore
import CordonDocuments

/// The text of an Atom or RSS feed: each item's title and content, items apart, and the items found.
struct FeedText {
    var builder = TextBuilder()
    var items: [ReportDocument.FeedItem] = []

    /// Elements whose text is read, and whether it is HTML.
    private static let titles: Set<String> = ["title"]
    private static let contents: Set<String> = ["description", "summary", "content", "content:encoded", "encoded"]
    private static let items: Set<String> = ["item", "entry"]

    init(_ bytes: [UInt8], base: Int) throws(ReportDocument.Failure) {
        var scanner = MarkupScanner(bytes, dialect: .xml)
        var counter = ScalarCounter(bytes)
        var path: [String] = []
        var item: (id: String?, title: String, link: String?, start: Int, source: Int)?
        var field = ""
        do {
            while let token = try scanner.next() {
                switch token {
                case .start(let name, let attributes, let selfClosing):
                    let local = Self.local(name)
                    if Self.items.contains(local) {
                        let source = base + counter.scalar(at: scanner.tokenStart)
                        builder.paragraph(at: source)
                        item = (nil, "", nil, builder.scalars, source)
                    }
                    if local == "link", let href = attributes.first(where: { $0.name == "href" })?.value,
                        item?.link == nil
                    {
                        item?.link = href
                    }
                    if !selfClosing { path.append(name) }
                    field = ""
                case .end(let name):
                    guard path.last == name else {
                        throw MarkupFailure(
                            message: "'\(path.last ?? "")' is closed by '\(name)'",
                            line: scanner.tokenLine()
                        )
                    }
                    path.removeLast()
                    let local = Self.local(name)
                    if item != nil {
                        switch local {
                        case "guid", "id": item?.id = field.trimmingSpaces()
                        case "link" where item?.link == nil && !field.isEmpty: item?.link = field.trimmingSpaces()
                        case "title": item?.title = field.trimmingSpaces()
                        default: break
                        }
                    }
                    if Self.titles.contains(local) || Self.contents.contains(local) {
                        builder.paragraph(at: base + counter.scalar(at: scanner.tokenStart))
                    }
                    if Self.items.contains(local), let open = item {
                        let range = open.start..<builder.scalars
                        items.append(
                            ReportDocument.FeedItem(
                                id: open.id ?? open.link ?? open.title,
                                title: open.title,
                                link: open.link,
                                textRange: range,
                                sourceRange: open.source..<(base + counter.scalar(at: scanner.position))
                            )
                        )
                        item = nil
                    }
                    field = ""
                case .text(let range), .cdata(let range):
                    let isCDATA: Bool
                    if case .cdata = token { isCDATA = true } else { isCDATA = false }
                    let local = path.last.map(Self.local) ?? ""
                    let text: String
                    do {
                        text =
                            isCDATA
                            ? String(decoding: bytes[range], as: UTF8.self)
                            : try MarkupText.decode(bytes[range], dialect: .xml)
                    } catch {
                        throw MarkupFailure(message: error.message, line: scanner.tokenLine())
                    }
                    field += text
                    if Self.titles.contains(local) && path.count >= 2 {
                        read(range, of: bytes, base: base, counter: &counter, html: false, cdata: isCDATA)
                    } else if Self.contents.contains(local) {
                        read(range, of: bytes, base: base, counter: &counter, html: true, cdata: isCDATA)
                    }
                case .comment, .processingInstruction, .declaration, .rawText:
                    continue
                }
            }
            guard path.isEmpty else {
                throw MarkupFailure(message: "'\(path.last!)' is not closed", line: scanner.tokenLine())
            }
        } catch {
            throw ReportDocument.Failure(message: "the feed is not well-formed XML: \(error)")
        }
        guard !items.isEmpty || builder.scalars > 0 else {
            throw ReportDocument.Failure(message: "the feed has no item or entry with a title or content")
        }
    }

    private static func local(_ name: String) -> String {
        name == "content:encoded" ? name : String(name.split(separator: ":").last ?? Substring(name))
    }

    /// Appends character data of the feed: plain (titles) or HTML (contents, escaped or in CDATA).
    private mutating func read(
        _ range: Range<Int>,
        of bytes: [UInt8],
        base: Int,
        counter: inout ScalarCounter,
        html: Bool,
        cdata: Bool
    ) {
        let start = base + counter.scalar(at: range.lowerBound)
        if cdata {
            let slice = Array(bytes[range])
            var inner = ScalarCounter(slice)
            if html {
                HTMLText.extract(slice, base: start, counter: &inner, into: &builder)
            } else {
                builder.literal(bytes[range], source: start)
            }
            return
        }
        // Escaped text: references decoded first (mapped to the feed), then read as HTML.
        var decoded = TextBuilder()
        var pieces: [MarkupText.Piece] = []
        try? MarkupText.pieces(of: bytes[range], dialect: .xml) { pieces.append($0) }
        for piece in pieces {
            switch piece {
            case .literal(let run): decoded.literal(bytes[run], source: base + counter.scalar(at: run.lowerBound))
            case .reference(let source, let scalar):
                let from = counter.scalar(at: source.lowerBound)
                let to = counter.scalar(at: source.upperBound)
                decoded.scalar(scalar, source: base + from, sourceLength: to - from)
            }
        }
        guard html else {
            append(decoded, through: nil)
            return
        }
        var page = TextBuilder()
        var inner = ScalarCounter(decoded.bytes)
        HTMLText.extract(decoded.bytes, base: 0, counter: &inner, into: &page)
        append(page, through: decoded.map)
    }

    /// Appends text built elsewhere, its map composed with `outer` (text → decoded → feed).
    private mutating func append(_ part: TextBuilder, through outer: TextMap?) {
        var offset = 0
        for scalar in String(decoding: part.bytes, as: UTF8.self).unicodeScalars {
            let from = part.map.source(ofStart: offset)
            let to = part.map.source(ofEnd: offset + 1)
            let source = outer.map { ($0.source(ofStart: from), $0.source(ofEnd: to)) } ?? (from, to)
            if source.1 > source.0 {
                builder.scalar(scalar, source: source.0, sourceLength: source.1 - source.0)
            } else {
                builder.lineBreak(at: source.0)
            }
            offset += 1
        }
    }
}

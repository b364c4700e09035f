import CordonDocuments

/// The words of an HTML page: text and references, blocks as paragraphs, nothing of scripts or styles.
enum HTMLText {
    /// Elements that end a paragraph.
    static let blocks: Set<String> = [
        "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "article",
        "section", "header", "footer", "blockquote", "title", "dd", "dt", "dl", "main", "aside", "figure",
        "figcaption", "pre", "nav", "form", "body", "head", "html", "hr", "address", "caption",
    ]

    /// Appends the text of `bytes` (HTML) to `builder`; `base` is added to every source offset.
    static func extract(_ bytes: [UInt8], base: Int, counter: inout ScalarCounter, into builder: inout TextBuilder) {
        var scanner = MarkupScanner(bytes, dialect: .html)
        while true {
            let token: MarkupScanner.Token?
            do {
                token = try scanner.next()
            } catch {
                break  // HTML is read as far as it goes
            }
            guard let token else { break }
            let here = base + counter.scalar(at: scanner.tokenStart)
            switch token {
            case .start(let name, _, _), .end(let name):
                if name == "br" {
                    builder.lineBreak(at: here)
                } else if blocks.contains(name) {
                    builder.paragraph(at: here)
                }
            case .text(let range):
                append(range, of: bytes, base: base, counter: &counter, into: &builder)
            case .cdata(let range):
                builder.literal(bytes[range], source: base + counter.scalar(at: range.lowerBound))
            case .comment, .processingInstruction, .declaration, .rawText:
                continue
            }
        }
    }

    /// Appends character data, its references decoded and mapped.
    static func append(
        _ range: Range<Int>,
        of bytes: [UInt8],
        base: Int,
        counter: inout ScalarCounter,
        into builder: inout TextBuilder
    ) {
        var pieces: [MarkupText.Piece] = []
        try? MarkupText.pieces(of: bytes[range], dialect: .html) { pieces.append($0) }
        for piece in pieces {
            switch piece {
            case .literal(let run):
                builder.literal(bytes[run], source: base + counter.scalar(at: run.lowerBound))
            case .reference(let source, let scalar):
                let start = counter.scalar(at: source.lowerBound)
                let end = counter.scalar(at: source.upperBound)
                builder.scalar(scalar == "\u{A0}" ? " " : scalar, source: base + start, sourceLength: end - start)
            }
        }
    }
}

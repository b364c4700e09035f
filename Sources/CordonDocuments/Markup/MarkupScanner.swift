/// Splits XML or HTML into tags, text, comments and declarations, over the document's UTF-8 bytes.
///
/// One scanner serves two readers: CAP's strict XML (``Dialect/xml``: names checked, attribute values
/// quoted, references well formed, anything else a ``MarkupFailure`` with its line) and the reader of
/// reports, which takes HTML as browsers write it (``Dialect/html``: names lower-cased, attributes
/// unquoted or bare, `<script>` and `<style>` skipped whole, a `<` that opens no tag read as text).
/// Text is not decoded here: a text token is the byte range it covers, which ``MarkupText`` decodes
/// and maps back to the source. The scanner never builds a tree and never resolves an entity it was
/// not told of, so no document can make it reach outside or expand.
public struct MarkupScanner: Sendable {
    /// Which rules the document follows.
    public enum Dialect: Sendable { case xml, html }

    /// An attribute as written, its value decoded.
    public struct Attribute: Sendable, Hashable {
        /// The name, as written (HTML: lower-cased).
        public var name: String
        /// The value with its references decoded (an HTML attribute without a value: empty).
        public var value: String
    }

    /// One piece of the document.
    public enum Token: Sendable, Equatable {
        /// An opening tag (`selfClosing` for `<a/>`).
        case start(name: String, attributes: [Attribute], selfClosing: Bool)
        /// A closing tag.
        case end(name: String)
        /// Character data, undecoded: a range of the document's bytes.
        case text(Range<Int>)
        /// A CDATA section's content: a range of the document's bytes, taken literally.
        case cdata(Range<Int>)
        /// A comment.
        case comment
        /// `<?target …?>` (the XML declaration has the target `xml`).
        case processingInstruction(target: String)
        /// `<!DOCTYPE …>` or another `<!` declaration.
        case declaration
        /// The content of an HTML `<script>` or `<style>` element: skipped, never text.
        case rawText(element: String, Range<Int>)
    }

    /// The document's bytes.
    public let bytes: [UInt8]
    /// The rules followed.
    public let dialect: Dialect
    /// Where the next token starts.
    public private(set) var position = 0
    /// Where the last token returned started.
    public private(set) var tokenStart = 0
    private var lineCounted = 0
    private var lineAtCounted = 1
    private var pendingRawText: String?

    /// A scanner at the start of `bytes`.
    public init(_ bytes: [UInt8], dialect: Dialect) {
        self.bytes = bytes
        self.dialect = dialect
    }

    /// The 1-based line of a byte offset at or after the last one asked for.
    public mutating func line(at offset: Int) -> Int {
        let end = min(offset, bytes.count)
        if end < lineCounted {
            lineCounted = 0
            lineAtCounted = 1
        }
        var index = lineCounted
        while index < end {
            if bytes[index] == 0x0A { lineAtCounted += 1 }
            index += 1
        }
        lineCounted = end
        return lineAtCounted
    }

    /// The line of the last token returned.
    public mutating func tokenLine() -> Int { line(at: tokenStart) }

    /// The next token, or `nil` at the end.
    ///
    /// - Throws: ``MarkupFailure`` (XML only; HTML is read as far as it goes).
    public mutating func next() throws(MarkupFailure) -> Token? {
        tokenStart = position
        if let element = pendingRawText {
            pendingRawText = nil
            return rawText(element)
        }
        guard position < bytes.count else { return nil }
        if bytes[position] != Byte.lessThan { return text() }
        let after = position + 1
        guard after < bytes.count else { return try strayLessThan() }
        switch bytes[after] {
        case Byte.slash: return try endTag()
        case Byte.bang: return try bang()
        case Byte.question: return try processingInstruction()
        default:
            guard Self.isNameStart(bytes[after]) else { return try strayLessThan() }
            return try startTag()
        }
    }

    // MARK: Pieces

    private mutating func text() -> Token {
        let start = position
        while position < bytes.count && bytes[position] != Byte.lessThan { position += 1 }
        return .text(start..<position)
    }

    private mutating func strayLessThan() throws(MarkupFailure) -> Token {
        guard dialect == .html else { throw failure("'<' does not open a tag") }
        let start = position
        position += 1
        while position < bytes.count && bytes[position] != Byte.lessThan { position += 1 }
        return .text(start..<position)
    }

    private mutating func endTag() throws(MarkupFailure) -> Token {
        position += 2
        let name = try self.name()
        skipSpace()
        guard position < bytes.count, bytes[position] == Byte.greaterThan else {
            guard dialect == .html else { throw failure("the closing tag '\(name)' is not closed with '>'") }
            skip(past: Byte.greaterThan)
            return .end(name: name)
        }
        position += 1
        return .end(name: name)
    }

    private mutating func startTag() throws(MarkupFailure) -> Token {
        position += 1
        let name = try self.name()
        var attributes: [Attribute] = []
        while true {
            let spaced = skipSpace()
            guard position < bytes.count else { throw failure("the tag '\(name)' is not closed") }
            switch bytes[position] {
            case Byte.greaterThan:
                position += 1
                return opened(name, attributes, selfClosing: false)
            case Byte.slash where position + 1 < bytes.count && bytes[position + 1] == Byte.greaterThan:
                position += 2
                return opened(name, attributes, selfClosing: true)
            default:
                guard spaced || dialect == .html else {
                    throw failure("the tag '\(name)' needs a space before an attribute")
                }
                guard let attribute = try self.attribute(in: name) else { continue }
                if dialect == .xml && attributes.contains(where: { $0.name == attribute.name }) {
                    throw failure("the tag '\(name)' has the attribute '\(attribute.name)' twice")
                }
                attributes.append(attribute)
            }
        }
    }

    private mutating func opened(_ name: String, _ attributes: [Attribute], selfClosing: Bool) -> Token {
        if dialect == .html && !selfClosing && Self.rawTextElements.contains(name) { pendingRawText = name }
        return .start(name: name, attributes: attributes, selfClosing: selfClosing)
    }

    private mutating func attribute(in tag: String) throws(MarkupFailure) -> Attribute? {
        guard Self.isNameStart(bytes[position]) else {
            guard dialect == .html else { throw failure("the tag '\(tag)' has a malformed attribute") }
            position += 1
            return nil
        }
        let name = try self.name()
        skipSpace()
        guard position < bytes.count, bytes[position] == Byte.equals else {
            guard dialect == .html else { throw failure("the attribute '\(name)' of '\(tag)' has no value") }
            return Attribute(name: name, value: "")
        }
        position += 1
        skipSpace()
        guard position < bytes.count else { throw failure("the tag '\(tag)' is not closed") }
        let quote = bytes[position]
        let range: Range<Int>
        if quote == Byte.doubleQuote || quote == Byte.singleQuote {
            let start = position + 1
            guard let end = bytes[start...].firstIndex(of: quote) else {
                throw failure("the value of '\(name)' in '\(tag)' is not closed")
            }
            range = start..<end
            position = end + 1
        } else {
            guard dialect == .html else { throw failure("the value of '\(name)' in '\(tag)' is not quoted") }
            let start = position
            while position < bytes.count && !Self.isSpace(bytes[position]) && bytes[position] != Byte.greaterThan {
                position += 1
            }
            range = start..<position
        }
        if dialect == .xml && bytes[range].contains(Byte.lessThan) {
            throw failure("the value of '\(name)' in '\(tag)' holds a '<'")
        }
        do {
            return Attribute(name: name, value: try MarkupText.decode(bytes[range], dialect: dialect))
        } catch {
            throw failure(error.message)
        }
    }

    private mutating func bang() throws(MarkupFailure) -> Token {
        if starts(with: "<!--") {
            guard let end = find("-->", from: position + 4) else { throw failure("a comment is not closed") }
            position = end + 3
            return .comment
        }
        if starts(with: "<![CDATA[") {
            let start = position + 9
            guard let end = find("]]>", from: start) else { throw failure("a CDATA section is not closed") }
            position = end + 3
            return .cdata(start..<end)
        }
        guard dialect == .html || starts(with: "<!DOCTYPE") else {
            throw failure("'<!' opens no comment, CDATA or DOCTYPE")
        }
        skip(past: Byte.greaterThan)
        return .declaration
    }

    private mutating func processingInstruction() throws(MarkupFailure) -> Token {
        position += 2
        let target = (try? name()) ?? ""
        guard let end = find("?>", from: position) else {
            guard dialect == .html else { throw failure("a processing instruction is not closed") }
            skip(past: Byte.greaterThan)
            return .processingInstruction(target: target)
        }
        position = end + 2
        return .processingInstruction(target: target)
    }

    private mutating func rawText(_ element: String) -> Token {
        let start = position
        let closing = Array("</\(element)".utf8)
        var index = start
        while index < bytes.count {
            if bytes[index] == Byte.lessThan, Self.matchesIgnoringCase(bytes, at: index, closing) {
                position = index
                return .rawText(element: element, start..<index)
            }
            index += 1
        }
        position = bytes.count
        return .rawText(element: element, start..<bytes.count)
    }

    // MARK: Lexing

    private mutating func name() throws(MarkupFailure) -> String {
        let start = position
        guard position < bytes.count, Self.isNameStart(bytes[position]) else { throw failure("a name is expected") }
        while position < bytes.count && Self.isNameByte(bytes[position]) { position += 1 }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        return dialect == .html ? name.lowercased() : name
    }

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = position
        while position < bytes.count && Self.isSpace(bytes[position]) { position += 1 }
        return position > start
    }

    private mutating func skip(past byte: UInt8) {
        while position < bytes.count && bytes[position] != byte { position += 1 }
        position = min(position + 1, bytes.count)
    }

    private func starts(with literal: StaticString) -> Bool {
        let pattern = literal.withUTF8Buffer { Array($0) }
        return Self.matchesIgnoringCase(bytes, at: position, pattern)
    }

    private func find(_ literal: StaticString, from start: Int) -> Int? {
        let pattern = literal.withUTF8Buffer { Array($0) }
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0] && bytes[index..<index + pattern.count].elementsEqual(pattern) {
                return index
            }
            index += 1
        }
        return nil
    }

    private mutating func failure(_ message: String) -> MarkupFailure {
        MarkupFailure(message: message, line: line(at: tokenStart))
    }

    /// Elements whose content HTML takes as raw text, never markup or words of the page.
    static let rawTextElements: Set<String> = ["script", "style", "template", "noscript"]

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte == 0x5F || byte == 0x3A || byte >= 0x80
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2E
    }

    static func matchesIgnoringCase(_ bytes: [UInt8], at index: Int, _ pattern: [UInt8]) -> Bool {
        guard index + pattern.count <= bytes.count else { return false }
        for offset in 0..<pattern.count {
            let byte = bytes[index + offset]
            let wanted = pattern[offset]
            let folded = wanted | 0x20
            let isLetter = folded >= 0x61 && folded <= 0x7A
            guard byte == wanted || (isLetter && byte | 0x20 == folded) else { return false }
        }
        return true
    }
}

/// Markup that breaks the rules of its dialect, and the line where.
public struct MarkupFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The 1-based line of the piece at fault.
    public var line: Int

    /// Creates a failure.
    public init(message: String, line: Int) {
        self.message = message
        self.line = line
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}

enum Byte {
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let slash = UInt8(ascii: "/")
    static let bang = UInt8(ascii: "!")
    static let question = UInt8(ascii: "?")
    static let equals = UInt8(ascii: "=")
    static let doubleQuote = UInt8(ascii: "\"")
    static let singleQuote = UInt8(ascii: "'")
    static let ampersand = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";")
    static let hash = UInt8(ascii: "#")
}

import CordonCore
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element read from an XML document: its name, namespace, attributes, text and children.
struct ParsedElement: Sendable {
    var name: String
    var namespace: String?
    var attributes: [String: String]
    var text = ""
    var children: [ParsedElement] = []
    var line: Int

    /// The largest document read, in bytes.
    static let maxDocumentSize = 1 << 20
    /// The deepest nesting allowed.
    static let maxDepth = 16
    /// The most elements allowed.
    static let maxElements = 20_000

    /// Parses a document into its root element, refusing DTDs, entity declarations, processing
    /// instructions, bytes that are not UTF-8 and oversized input.
    ///
    /// - Throws: ``ValidationFailure`` with an empty path for input that is not well-formed XML or breaks
    ///   a limit.
    static func parse(_ data: Data) throws -> ParsedElement {
        func failure(_ message: String, _ reason: ValidationFailure.Reason = .invalidFormat) -> ValidationFailure {
            ValidationFailure(path: "", reason: reason, message: message)
        }
        guard data.count <= maxDocumentSize else {
            throw failure("the document has \(data.count) bytes; at most \(maxDocumentSize) are read", .tooLong)
        }
        // FoundationXML traps on an element or attribute name that is not UTF-8 (a byte 0xFF after `<`):
        // bytes that are not UTF-8 never reach it. CAP messages are UTF-8, as this module writes them.
        guard String(validating: data, as: UTF8.self) != nil else {
            throw failure("the document is not UTF-8 text")
        }
        // FoundationXML crashes on a processing instruction without data (`<?x?>`). CAP uses none: any
        // `<?` but the one that opens the XML declaration at the start is refused before the parser
        // sees it.
        var body = data[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let spaces: [UInt8?] = [0x20, 0x09, 0x0A, 0x0D]
        if body.starts(with: Array("<?xml".utf8)) && spaces.contains(body.dropFirst(5).first) {
            body = body.dropFirst(5)
        }
        if body.range(of: Data("<?".utf8)) != nil {
            throw failure("the document has a processing instruction, which CAP does not use", .notAllowed)
        }
        // Refuse a DTD before the parser sees it: no entity can then expand or reach outside.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw failure("the document has a DTD or entity declaration, which CAP does not use", .notAllowed)
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let parsed = parser.parse()
        if let problem = builder.problem { throw failure(problem) }
        guard parsed, let root = builder.root else {
            let line = parser.lineNumber
            let detail = parser.parserError.map { String(describing: $0) } ?? "unknown error"
            throw failure("not well-formed XML (line \(line)): \(detail)")
        }
        return root
    }
}

/// Builds the element tree from the parser's callbacks.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [ParsedElement] = []
    var root: ParsedElement?
    var problem: String?
    var count = 0

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        count += 1
        guard stack.count < ParsedElement.maxDepth, count <= ParsedElement.maxElements else {
            stop(parser, "the document nests deeper than \(ParsedElement.maxDepth) or has too many elements")
            return
        }
        let attributes = attributeDict.filter { !$0.key.hasPrefix("xmlns") }
        stack.append(
            ParsedElement(
                name: elementName,
                namespace: namespaceURI.flatMap { $0.isEmpty ? nil : $0 },
                attributes: attributes,
                line: parser.lineNumber
            )
        )
    }

    func parser(
        _ parser: XMLParser,
        didEndElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        guard let element = stack.popLast() else { return }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        guard let string = String(data: CDATABlock, encoding: .utf8) else {
            stop(parser, "a CDATA section is not UTF-8")
            return
        }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        stop(parser, "the document declares an entity, which CAP does not use")
    }

    func parser(
        _ parser: XMLParser,
        foundExternalEntityDeclarationWithName name: String,
        publicID: String?,
        systemID: String?
    ) {
        stop(parser, "the document declares an entity, which CAP does not use")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        stop(parser, "the document refers to an external entity")
        return nil
    }

    private func stop(_ parser: XMLParser, _ message: String) {
        if problem == nil { problem = message }
        parser.abortParsing()
    }
}

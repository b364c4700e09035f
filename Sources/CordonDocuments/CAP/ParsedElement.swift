import CordonCore
import Foundation

/// An element read from an XML document (read by ``MarkupScanner``, not a platform XML parser: Foundation's
/// on Linux keeps every error it reports alive, so malformed documents sent again and again would fill
/// the memory): its name, namespace, attributes, text and children.
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
        // CAP messages are UTF-8, as this module writes them.
        guard String(validating: data, as: UTF8.self) != nil else {
            throw failure("the document is not UTF-8 text")
        }
        // CAP uses no processing instruction: any `<?` but the one that opens the XML declaration at the
        // start is refused with its own reason.
        var body = data[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let spaces: [UInt8?] = [0x20, 0x09, 0x0A, 0x0D]
        if body.starts(with: Array("<?xml".utf8)) && spaces.contains(body.dropFirst(5).first) {
            body = body.dropFirst(5)
        }
        if body.range(of: Data("<?".utf8)) != nil {
            throw failure("the document has a processing instruction, which CAP does not use", .notAllowed)
        }
        // A DTD is refused with its own reason (the scanner knows no entity but XML's five, so none could
        // expand or reach outside anyway).
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw failure("the document has a DTD or entity declaration, which CAP does not use", .notAllowed)
        }
        let bytes = data.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(data.dropFirst(3)) : Array(data)
        var builder = TreeBuilder(bytes: bytes)
        do {
            return try builder.build()
        } catch {
            throw failure("not well-formed XML (line \(error.line)): \(error.message)")
        }
    }
}

/// Builds the element tree from the scanner's tokens (a byte-order mark already dropped), resolving namespaces as XML's namespace rules say.
private struct TreeBuilder {
    var scanner: MarkupScanner
    var stack: [(element: ParsedElement, qualifiedName: String, namespaces: [String: String])] = []
    var count = 0

    init(bytes: [UInt8]) {
        scanner = MarkupScanner(bytes, dialect: .xml)
    }

    mutating func build() throws(MarkupFailure) -> ParsedElement {
        if let control = scanner.bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            throw MarkupFailure(message: "a control character is not allowed in XML", line: scanner.line(at: control))
        }
        var root: ParsedElement?
        while let token = try scanner.next() {
            switch token {
            case .start(let name, let attributes, let selfClosing):
                guard root == nil else { throw fail("a second root element '\(name)'") }
                try open(name, attributes)
                if selfClosing, let element = try close(name) { root = element }
            case .end(let name):
                if let element = try close(name) { root = element }
            case .text(let range):
                let text: String
                do {
                    text = try MarkupText.decode(scanner.bytes[range], dialect: .xml)
                } catch {
                    throw fail(error.message)
                }
                try append(text)
            case .cdata(let range):
                guard let text = String(validating: scanner.bytes[range], as: UTF8.self) else {
                    throw fail("a CDATA section is not UTF-8")
                }
                try append(text)
            case .comment:
                continue
            case .processingInstruction(let target):
                guard target == "xml", scanner.tokenStart == 0 else {
                    throw fail("a processing instruction, which CAP does not use")
                }
            case .declaration, .rawText:
                throw fail("a DTD or declaration, which CAP does not use")
            }
        }
        guard stack.isEmpty else { throw fail("the element '\(stack[stack.count - 1].qualifiedName)' is not closed") }
        guard let root else { throw fail("the document has no root element") }
        return root
    }

    private mutating func open(_ name: String, _ attributes: [MarkupScanner.Attribute]) throws(MarkupFailure) {
        count += 1
        guard stack.count < ParsedElement.maxDepth, count <= ParsedElement.maxElements else {
            throw fail("the document nests deeper than \(ParsedElement.maxDepth) or has too many elements")
        }
        var namespaces = stack.last?.namespaces ?? [:]
        var kept: [String: String] = [:]
        for attribute in attributes {
            if attribute.name == "xmlns" {
                namespaces[""] = attribute.value
            } else if attribute.name.hasPrefix("xmlns:") {
                namespaces[String(attribute.name.dropFirst(6))] = attribute.value
            } else {
                kept[attribute.name] = attribute.value
            }
        }
        let (prefix, local) = Self.split(name)
        guard let namespace = namespaces[prefix] ?? (prefix.isEmpty ? "" : nil) else {
            throw fail("the prefix '\(prefix)' of '\(name)' is not declared")
        }
        let element = ParsedElement(
            name: local,
            namespace: namespace.isEmpty ? nil : namespace,
            attributes: kept,
            line: scanner.tokenLine()
        )
        stack.append((element, name, namespaces))
    }

    /// Closes the open element; returns it when it was the root.
    private mutating func close(_ name: String) throws(MarkupFailure) -> ParsedElement? {
        guard let open = stack.popLast() else { throw fail("'\(name)' is closed but was never opened") }
        guard open.qualifiedName == name else {
            throw fail("'\(open.qualifiedName)' is closed by '\(name)'")
        }
        guard !stack.isEmpty else { return open.element }
        stack[stack.count - 1].element.children.append(open.element)
        return nil
    }

    private mutating func append(_ text: String) throws(MarkupFailure) {
        guard !stack.isEmpty else {
            guard text.unicodeScalars.allSatisfy({ " \t\n\r".unicodeScalars.contains($0) }) else {
                throw fail("text outside the root element")
            }
            return
        }
        stack[stack.count - 1].element.text += text
    }

    private mutating func fail(_ message: String) -> MarkupFailure {
        MarkupFailure(message: message, line: scanner.tokenLine())
    }

    private static func split(_ name: String) -> (prefix: String, local: String) {
        guard let colon = name.firstIndex(of: ":") else { return ("", name) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }
}

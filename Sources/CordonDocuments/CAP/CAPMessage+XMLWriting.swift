extension CAPMessage {
    /// The message as a CAP 1.2 XML document: UTF-8, the CAP namespace on `alert`, elements in the
    /// schema's order, text escaped, two-space indentation.
    public func xmlDocument() -> String {
        var writer = XMLWriter()
        writer.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        writer.open("alert xmlns=\"\(Self.namespace)\"", closing: "alert") { writer in
            writer.element("identifier", identifier)
            writer.element("sender", sender)
            writer.element("sent", sent.text)
            writer.element("status", status.rawValue)
            writer.element("msgType", messageType.rawValue)
            writer.element("source", source)
            writer.element("scope", scope.rawValue)
            writer.element("restriction", restriction)
            writer.element("addresses", addresses.isEmpty ? nil : CAPText.joinList(addresses))
            for code in codes { writer.element("code", code) }
            writer.element("note", note)
            writer.element("references", references.isEmpty ? nil : references.map(\.text).joined(separator: " "))
            writer.element("incidents", incidents.isEmpty ? nil : CAPText.joinList(incidents))
            for info in infos { info.write(to: &writer) }
        }
        return writer.text
    }
}

extension CAPMessage.Info {
    fileprivate func write(to writer: inout XMLWriter) {
        writer.open("info", closing: "info") { writer in
            writer.element("language", language)
            for category in categories { writer.element("category", category.rawValue) }
            writer.element("event", event)
            for responseType in responseTypes { writer.element("responseType", responseType.rawValue) }
            writer.element("urgency", urgency.rawValue)
            writer.element("severity", severity.rawValue)
            writer.element("certainty", certainty.rawValue)
            writer.element("audience", audience)
            for code in eventCodes { code.write("eventCode", to: &writer) }
            writer.element("effective", effective?.text)
            writer.element("onset", onset?.text)
            writer.element("expires", expires?.text)
            writer.element("senderName", senderName)
            writer.element("headline", headline)
            writer.element("description", description)
            writer.element("instruction", instruction)
            writer.element("web", web)
            writer.element("contact", contact)
            for parameter in parameters { parameter.write("parameter", to: &writer) }
            for area in areas { area.write(to: &writer) }
        }
    }
}

extension CAPMessage.Area {
    fileprivate func write(to writer: inout XMLWriter) {
        writer.open("area", closing: "area") { writer in
            writer.element("areaDesc", description)
            for polygon in polygons { writer.element("polygon", polygon.text) }
            for circle in circles { writer.element("circle", circle.text) }
            for geocode in geocodes { geocode.write("geocode", to: &writer) }
            writer.element("altitude", altitude.map(CAPText.decimal))
            writer.element("ceiling", ceiling.map(CAPText.decimal))
        }
    }
}

extension CAPMessage.NamedValue {
    fileprivate func write(_ element: String, to writer: inout XMLWriter) {
        writer.open(element, closing: element) { writer in
            writer.element("valueName", name)
            writer.element("value", value)
        }
    }
}

/// Builds an indented XML document line by line.
private struct XMLWriter {
    var text = ""
    var depth = 0

    mutating func line(_ content: String) {
        text += String(repeating: "  ", count: depth) + content + "\n"
    }

    mutating func open(_ start: String, closing name: String, _ body: (inout XMLWriter) -> Void) {
        line("<\(start)>")
        depth += 1
        body(&self)
        depth -= 1
        line("</\(name)>")
    }

    mutating func element(_ name: String, _ value: String?) {
        guard let value else { return }
        line("<\(name)>\(Self.escape(value))</\(name)>")
    }

    /// Escapes text content: `&`, `<`, `>`, and carriage returns, which XML parsers would otherwise fold
    /// into line feeds.
    static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\r": escaped += "&#13;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

import CordonCore
public import Foundation

extension CAPMessage {
    /// Reads a CAP 1.2 message from XML text, strictly.
    ///
    /// - Throws: ``ValidationFailure`` listing every problem found; see ``init(xml:)-(Data)``.
    public init(xml text: String) throws {
        try self.init(xml: Data(text.utf8))
    }

    /// Reads a CAP 1.2 message from an XML document, strictly.
    ///
    /// The root must be `alert` in the CAP 1.2 namespace; every element must be a CAP element in that
    /// namespace, in the schema's order, as often as the schema allows, without attributes; values
    /// must follow CAP's rules (a `sent` with `Z` or the status `exercise` are refused). DTDs, entity
    /// declarations and processing instructions are refused, and so are documents over 1 MiB or not in
    /// UTF-8. CAP's `resource` element is not supported and is refused too.
    ///
    /// - Throws: ``ValidationFailure`` listing every problem, each with the path of its element
    ///   (`sent`, `info[0].area[0].circle[0]`) and a reason: `invalid_format` for malformed XML, a bad
    ///   value or an element out of order, `unknown_key` for an element CAP does not define,
    ///   `unknown_code` for a value outside its code list, `missing`, `duplicate`, `not_allowed`.
    public init(xml data: Data) throws {
        let root = try ParsedElement.parse(data)
        var reader = CAPReader()
        guard root.name == "alert", root.namespace == Self.namespace else {
            throw ValidationFailure(
                path: "",
                reason: .invalidFormat,
                message:
                    "the root element is '\(root.name)' in namespace '\(root.namespace ?? "")', not 'alert' in '\(Self.namespace)'"
            )
        }
        let message = reader.readAlert(root)
        try reader.issues.finish()
        self = message!
    }
}

/// The reader behind ``CAPMessage/init(xml:)-(Data)``: checks structure, reads values, collects issues.
private struct CAPReader {
    struct Slot {
        let name: String
        let isRequired: Bool
        let isRepeated: Bool

        static func one(_ name: String) -> Slot { Slot(name: name, isRequired: true, isRepeated: false) }
        static func optional(_ name: String) -> Slot { Slot(name: name, isRequired: false, isRepeated: false) }
        static func many(_ name: String, required: Bool = false) -> Slot {
            Slot(name: name, isRequired: required, isRepeated: true)
        }
    }

    /// The children of one element, grouped by name once their order was checked.
    struct Children {
        var groups: [String: [ParsedElement]] = [:]
        subscript(_ name: String) -> [ParsedElement] { groups[name] ?? [] }
    }

    static let alertSlots: [Slot] = [
        .one("identifier"), .one("sender"), .one("sent"), .one("status"), .one("msgType"), .optional("source"),
        .one("scope"), .optional("restriction"), .optional("addresses"), .many("code"), .optional("note"),
        .optional("references"), .optional("incidents"), .many("info"),
    ]
    static let infoSlots: [Slot] = [
        .optional("language"), .many("category", required: true), .one("event"), .many("responseType"),
        .one("urgency"), .one("severity"), .one("certainty"), .optional("audience"), .many("eventCode"),
        .optional("effective"), .optional("onset"), .optional("expires"), .optional("senderName"),
        .optional("headline"), .optional("description"), .optional("instruction"), .optional("web"),
        .optional("contact"), .many("parameter"), .many("resource"), .many("area"),
    ]
    static let areaSlots: [Slot] = [
        .one("areaDesc"), .many("polygon"), .many("circle"), .many("geocode"), .optional("altitude"),
        .optional("ceiling"),
    ]
    static let namedValueSlots: [Slot] = [.one("valueName"), .one("value")]
    /// Elements with children; every other CAP element holds text only.
    static let containers: Set<String> = ["alert", "info", "area", "parameter", "eventCode", "geocode", "resource"]

    var issues = IssueCollector()

    static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// Checks the children of `element` against `slots` and groups them by name.
    mutating func children(of element: ParsedElement, at path: String, slots: [Slot]) -> Children {
        var result = Children()
        var position = 0
        if !element.attributes.isEmpty {
            let names = element.attributes.keys.sorted().joined(separator: ", ")
            issues.add(path, .notAllowed, "CAP elements have no attributes; found \(names)")
        }
        if !element.text.allSatisfy(\.isWhitespace) {
            issues.add(path, .invalidFormat, "'\(element.name)' holds text outside its child elements")
        }
        for child in element.children {
            let childPath = Self.join(path, "\(child.name)")
            guard child.namespace == CAPMessage.namespace else {
                issues.add(
                    childPath,
                    .unknownKey,
                    "'\(child.name)' (line \(child.line)) is not in the CAP 1.2 namespace"
                )
                continue
            }
            guard let index = slots.firstIndex(where: { $0.name == child.name }) else {
                issues.add(childPath, .unknownKey, "'\(child.name)' (line \(child.line)) is not a CAP element here")
                continue
            }
            if index < position {
                issues.add(
                    childPath,
                    .invalidFormat,
                    "'\(child.name)' (line \(child.line)) is out of order: it must come before '\(slots[position].name)'"
                )
                continue
            }
            let slot = slots[index]
            if !slot.isRepeated, !result[child.name].isEmpty {
                issues.add(childPath, .duplicate, "'\(child.name)' (line \(child.line)) may appear only once")
                continue
            }
            if child.name == "resource" {
                issues.add(childPath, .notAllowed, "CAP's 'resource' is not supported by Cordon")
                continue
            }
            if !Self.containers.contains(child.name) {
                if !child.children.isEmpty {
                    issues.add(childPath, .invalidFormat, "'\(child.name)' holds text only, not elements")
                }
                if !child.attributes.isEmpty {
                    issues.add(childPath, .notAllowed, "CAP elements have no attributes")
                }
            }
            position = index
            result.groups[child.name, default: []].append(child)
        }
        for slot in slots where slot.isRequired && result[slot.name].isEmpty {
            issues.add(Self.join(path, slot.name), .missing, "'\(slot.name)' is required")
        }
        return result
    }

    /// The text of an optional single element.
    static func text(_ children: Children, _ name: String) -> String? {
        children[name].first?.text
    }

    /// Reads a code from its list, recording an issue for any other value (the lists are case-sensitive).
    mutating func code<Code: RawRepresentable & CaseIterable>(
        _ type: Code.Type,
        _ text: String?,
        at path: String
    ) -> Code? where Code.RawValue == String {
        guard let text else { return nil }
        if let code = Code(rawValue: text) { return code }
        let allowed = Code.allCases.map(\.rawValue).joined(separator: ", ")
        issues.add(path, .unknownCode, "'\(text)' is not one of \(allowed) (case matters)")
        return nil
    }

    mutating func time(_ text: String?, at path: String) -> CAPMessage.Time? {
        guard let text else { return nil }
        return issues.capture(path) { try CAPMessage.Time(text) }
    }

    mutating func number(_ text: String?, at path: String) -> Double? {
        guard let text else { return nil }
        guard let value = CAPText.decimal(Substring(text)) else {
            issues.add(path, .invalidFormat, "'\(text)' is not a decimal number")
            return nil
        }
        return value
    }

    mutating func list(_ text: String?, at path: String) -> [String] {
        guard let text else { return [] }
        guard let items = CAPText.splitList(text) else {
            issues.add(path, .invalidFormat, "a double quote is left open")
            return []
        }
        if items.isEmpty { issues.add(path, .empty, "must not be empty") }
        return items
    }

    mutating func readAlert(_ element: ParsedElement) -> CAPMessage? {
        let children = children(of: element, at: "", slots: Self.alertSlots)
        let status = code(CAPMessage.Status.self, Self.text(children, "status"), at: "status")
        let messageType = code(CAPMessage.MessageType.self, Self.text(children, "msgType"), at: "msgType")
        let scope = code(CAPMessage.Scope.self, Self.text(children, "scope"), at: "scope")
        let sent = time(Self.text(children, "sent"), at: "sent")
        var references: [CAPMessage.Reference] = []
        if let text = Self.text(children, "references") {
            let items = text.split(whereSeparator: \.isWhitespace)
            if items.isEmpty { issues.add("references", .empty, "must not be empty") }
            for (index, item) in items.enumerated() {
                if let reference = issues.capture("references[\(index)]", { try CAPMessage.Reference(String(item)) }) {
                    references.append(reference)
                }
            }
        }
        let addresses = list(Self.text(children, "addresses"), at: "addresses")
        let incidents = list(Self.text(children, "incidents"), at: "incidents")
        var infos: [CAPMessage.Info] = []
        for (index, info) in children["info"].enumerated() {
            if let read = readInfo(info, at: "info[\(index)]") { infos.append(read) }
        }
        guard issues.isEmpty, let identifier = Self.text(children, "identifier"),
            let sender = Self.text(children, "sender"),
            let sent, let status, let messageType, let scope
        else { return nil }
        return issues.capture("") {
            try CAPMessage(
                identifier: identifier,
                sender: sender,
                sent: sent,
                status: status,
                messageType: messageType,
                source: Self.text(children, "source"),
                scope: scope,
                restriction: Self.text(children, "restriction"),
                addresses: addresses,
                codes: children["code"].map(\.text),
                note: Self.text(children, "note"),
                references: references,
                incidents: incidents,
                infos: infos
            )
        }
    }

    mutating func readInfo(_ element: ParsedElement, at path: String) -> CAPMessage.Info? {
        let before = issues.issues.count
        let children = children(of: element, at: path, slots: Self.infoSlots)
        var categories: [CAPMessage.Category] = []
        for (index, category) in children["category"].enumerated() {
            if let read = code(CAPMessage.Category.self, category.text, at: "\(path).category[\(index)]") {
                categories.append(read)
            }
        }
        var responseTypes: [CAPMessage.ResponseType] = []
        for (index, responseType) in children["responseType"].enumerated() {
            if let read = code(CAPMessage.ResponseType.self, responseType.text, at: "\(path).responseType[\(index)]") {
                responseTypes.append(read)
            }
        }
        let urgency = code(CAPMessage.Urgency.self, Self.text(children, "urgency"), at: "\(path).urgency")
        let severity = code(CAPMessage.Severity.self, Self.text(children, "severity"), at: "\(path).severity")
        let certainty = code(CAPMessage.Certainty.self, Self.text(children, "certainty"), at: "\(path).certainty")
        let effective = time(Self.text(children, "effective"), at: "\(path).effective")
        let onset = time(Self.text(children, "onset"), at: "\(path).onset")
        let expires = time(Self.text(children, "expires"), at: "\(path).expires")
        let eventCodes = namedValues(children["eventCode"], at: "\(path).eventCode")
        let parameters = namedValues(children["parameter"], at: "\(path).parameter")
        var areas: [CAPMessage.Area] = []
        for (index, area) in children["area"].enumerated() {
            if let read = readArea(area, at: "\(path).area[\(index)]") { areas.append(read) }
        }
        guard issues.issues.count == before, let event = Self.text(children, "event"), let urgency, let severity,
            let certainty
        else { return nil }
        return issues.capture(path) {
            try CAPMessage.Info(
                language: Self.text(children, "language"),
                categories: categories,
                event: event,
                responseTypes: responseTypes,
                urgency: urgency,
                severity: severity,
                certainty: certainty,
                audience: Self.text(children, "audience"),
                eventCodes: eventCodes,
                effective: effective,
                onset: onset,
                expires: expires,
                senderName: Self.text(children, "senderName"),
                headline: Self.text(children, "headline"),
                description: Self.text(children, "description"),
                instruction: Self.text(children, "instruction"),
                web: Self.text(children, "web"),
                contact: Self.text(children, "contact"),
                parameters: parameters,
                areas: areas
            )
        }
    }

    mutating func readArea(_ element: ParsedElement, at path: String) -> CAPMessage.Area? {
        let before = issues.issues.count
        let children = children(of: element, at: path, slots: Self.areaSlots)
        var polygons: [CAPMessage.Polygon] = []
        for (index, polygon) in children["polygon"].enumerated() {
            if let read = issues.capture("\(path).polygon[\(index)]", { try CAPMessage.Polygon(polygon.text) }) {
                polygons.append(read)
            }
        }
        var circles: [CAPMessage.Circle] = []
        for (index, circle) in children["circle"].enumerated() {
            if let read = issues.capture("\(path).circle[\(index)]", { try CAPMessage.Circle(circle.text) }) {
                circles.append(read)
            }
        }
        let geocodes = namedValues(children["geocode"], at: "\(path).geocode")
        let altitude = number(Self.text(children, "altitude"), at: "\(path).altitude")
        let ceiling = number(Self.text(children, "ceiling"), at: "\(path).ceiling")
        guard issues.issues.count == before, let description = Self.text(children, "areaDesc") else { return nil }
        return issues.capture(path) {
            try CAPMessage.Area(
                description: description,
                polygons: polygons,
                circles: circles,
                geocodes: geocodes,
                altitude: altitude,
                ceiling: ceiling
            )
        }
    }

    mutating func namedValues(_ elements: [ParsedElement], at path: String) -> [CAPMessage.NamedValue] {
        var values: [CAPMessage.NamedValue] = []
        for (index, element) in elements.enumerated() {
            let itemPath = "\(path)[\(index)]"
            let children = children(of: element, at: itemPath, slots: Self.namedValueSlots)
            guard let name = Self.text(children, "valueName"), let value = Self.text(children, "value") else {
                continue
            }
            if let read = issues.capture(itemPath, { try CAPMessage.NamedValue(name: name, value: value) }) {
                values.append(read)
            }
        }
        return values
    }
}

/// Renders coding paths in the JSON shape used by validation messages.
package enum CodingPath {
    /// Renders `[persons, 3, birth_date]` as `persons[3].birth_date`.
    package static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else if text.isEmpty {
                text = key.stringValue
            } else {
                text += "." + key.stringValue
            }
        }
        return text
    }
}

/// A coding key for any string or index.
package struct AnyCodingKey: CodingKey, Sendable {
    package var stringValue: String
    package var intValue: Int?

    package init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    package init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

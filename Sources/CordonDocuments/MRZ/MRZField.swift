/// One field of a machine-readable zone: its stable name, the characters read and what they mean.
public struct MRZField: Sendable, Hashable, Codable {
    /// The field's stable snake_case name (`document_number`, `birth_date`, `name`).
    public var name: String
    /// The characters as they stand in the zone (before any correction).
    public var raw: String
    /// The value: fillers removed, dates as ISO 8601 (`1974-08-12`), names with spaces.
    public var value: String
    /// The line the field is on, counted from 0.
    public var line: Int
    /// The field's first position on its line, counted from 1 as in Doc 9303.
    public var position: Int

    /// Creates a field.
    public init(name: String, raw: String, value: String, line: Int, position: Int) {
        self.name = name
        self.raw = raw
        self.value = value
        self.line = line
        self.position = position
    }
}

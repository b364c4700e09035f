/// A character misread by OCR and put right, where the field's kind or its check digit decided.
public struct MRZCorrection: Sendable, Hashable, Codable {
    /// The field's stable name.
    public var field: String
    /// The characters as read.
    public var read: String
    /// The characters after correction.
    public var corrected: String
    /// Why the correction was made, for people.
    public var reason: String

    /// Creates a correction.
    public init(field: String, read: String, corrected: String, reason: String) {
        self.field = field
        self.read = read
        self.corrected = corrected
        self.reason = reason
    }
}

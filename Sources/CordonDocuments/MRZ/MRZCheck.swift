/// The result of one check digit: the digit printed in the zone against the one computed.
public struct MRZCheck: Sendable, Hashable, Codable {
    /// The name of the field the digit protects (`document_number`, `birth_date`, `composite`).
    public var name: String
    /// Whether the printed digit equals the computed one.
    public var passed: Bool
    /// The check character printed in the zone (after correction of a letter read for a digit).
    public var expected: String
    /// The check digit computed from the field.
    public var computed: String

    /// Creates a check result.
    public init(name: String, passed: Bool, expected: String, computed: String) {
        self.name = name
        self.passed = passed
        self.expected = expected
        self.computed = computed
    }
}

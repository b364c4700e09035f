/// How a plate as read matches a listed plate, with a score in [0, 1] and an explanation.
public struct PlateMatch: Sendable, Hashable {
    /// The rule that matched.
    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable {
            case exact
            case lookAlike = "look_alike"
            case transliterated
            case withoutRegion = "without_region"
            case otherRegion = "other_region"
            case misread
            case transposed
            case dropped
            case extra
        }

        private let code: Code

        private init(_ code: Code) { self.code = code }

        /// The same characters.
        public static let exact = Rule(.exact)
        /// The same plate once Cyrillic and Latin look-alike letters are taken as one.
        public static let lookAlike = Rule(.lookAlike)
        /// The same plate with its Cyrillic letters written by sound in Latin on one side (В as V).
        public static let transliterated = Rule(.transliterated)
        /// The same plate, with the region code written on one side only.
        public static let withoutRegion = Rule(.withoutRegion)
        /// The same serial with another region code: likely another vehicle.
        public static let otherRegion = Rule(.otherRegion)
        /// One character read as another.
        public static let misread = Rule(.misread)
        /// Two neighbouring characters read in the wrong order.
        public static let transposed = Rule(.transposed)
        /// One character of the listed plate missing from the reading.
        public static let dropped = Rule(.dropped)
        /// One character in the reading that the listed plate does not have.
        public static let extra = Rule(.extra)

        /// The stable machine-readable name (`without_region`).
        public var rawValue: String { code.rawValue }
        public var description: String { code.rawValue }
    }

    /// The rule.
    public let rule: Rule
    /// The score: 1 for the same plate, less the weaker the rule.
    public let score: Double
    /// The form of the reading that was compared (canonical, or the serial without region).
    public let comparedReading: String
    /// The form of the listed plate that was compared.
    public let comparedListed: String
    /// The 1-based position of the differing character in the listed form, for edits.
    public let position: Int?
    /// The listed plate's character at ``position`` (misread, transposed, dropped).
    public let listedCharacter: String?
    /// The reading's character at ``position`` (misread, transposed, extra).
    public let readCharacter: String?
    /// For a misread, how typical the confusion is: 1 typical (0/O, 8/B), 0 arbitrary.
    public let confusion: Double?
    /// Whether the region was left out of the comparison because one side did not write it.
    public let isRegionIgnored: Bool
    /// Whether look-alike Cyrillic and Latin letters were taken as one.
    public let isLookAlikeFolded: Bool
    /// One or two sentences for people.
    public let summary: String
}

/// The machine-readable zone layouts of ICAO Doc 9303.
public enum MRZFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// TD1 identity card: three lines of 30 characters.
    case td1
    /// TD2 official travel document: two lines of 36 characters.
    case td2
    /// TD3 passport: two lines of 44 characters.
    case td3
    /// MRV-A visa: two lines of 44 characters, document code starting with `V`.
    case mrvA = "mrv_a"
    /// MRV-B visa: two lines of 36 characters, document code starting with `V`.
    case mrvB = "mrv_b"

    /// The number of lines.
    public var lineCount: Int { self == .td1 ? 3 : 2 }

    /// The number of characters on each line.
    public var lineLength: Int {
        switch self {
        case .td1: 30
        case .td2, .mrvB: 36
        case .td3, .mrvA: 44
        }
    }

    /// Whether the layout has a composite check digit (visas have none).
    public var hasComposite: Bool { self != .mrvA && self != .mrvB }

    /// The name people use (`TD3`, `MRV-A`).
    public var displayName: String {
        switch self {
        case .td1: "TD1"
        case .td2: "TD2"
        case .td3: "TD3"
        case .mrvA: "MRV-A"
        case .mrvB: "MRV-B"
        }
    }

    /// The layout for lines of the given count and length, telling visas by a first letter `V`.
    ///
    /// - Parameters:
    ///   - lineCount: how many lines were read.
    ///   - lineLength: the length of the first line.
    ///   - firstLetter: the first character of the document code.
    /// - Returns: the layout, or `nil` when no layout has that shape.
    static func detect(lineCount: Int, lineLength: Int, firstLetter: UInt8?) -> MRZFormat? {
        let isVisa = firstLetter == UInt8(ascii: "V")
        switch (lineCount, lineLength) {
        case (3, 30): return .td1
        case (2, 36): return isVisa ? .mrvB : .td2
        case (2, 44): return isVisa ? .mrvA : .td3
        default: return nil
        }
    }
}

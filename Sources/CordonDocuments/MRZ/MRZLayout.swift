/// Where each field of a Doc 9303 layout stands, what kind of characters it holds and which check
/// digit protects it.
struct MRZLayout: Sendable {
    /// The kind of characters a field holds, which decides the OCR corrections allowed.
    enum Kind: Sendable {
        /// Letters only (codes): digits read there are corrected.
        case alphabetic
        /// The name field: letters and fillers.
        case name
        /// Digits (dates): letters read there are corrected.
        case date
        /// `M`, `F`, `X` or `<`.
        case sex
        /// Letters and digits (document number, optional data): substitutions only where the
        /// check digit decides.
        case alphanumeric
    }

    struct Slot: Sendable {
        let name: String
        let line: Int
        let range: Range<Int>
        let kind: Kind
        /// The position of the field's check digit on the same line.
        let check: Int?
    }

    struct Span: Sendable {
        let line: Int
        let range: Range<Int>
    }

    let format: MRZFormat
    let slots: [Slot]
    /// The composite check digit's line and position, and the spans it covers.
    let composite: (line: Int, position: Int, spans: [Span])?

    static func layout(for format: MRZFormat) -> MRZLayout {
        switch format {
        case .td1: td1
        case .td2: td2
        case .td3: td3
        case .mrvA: mrvA
        case .mrvB: mrvB
        }
    }

    static func twoLine(_ format: MRZFormat, optional: Range<Int>, optionalCheck: Int?) -> [Slot] {
        let length = format.lineLength
        return [
            Slot(name: "document_code", line: 0, range: 0..<2, kind: .alphabetic, check: nil),
            Slot(name: "issuing_state", line: 0, range: 2..<5, kind: .alphabetic, check: nil),
            Slot(name: "name", line: 0, range: 5..<length, kind: .name, check: nil),
            Slot(name: "document_number", line: 1, range: 0..<9, kind: .alphanumeric, check: 9),
            Slot(name: "nationality", line: 1, range: 10..<13, kind: .alphabetic, check: nil),
            Slot(name: "birth_date", line: 1, range: 13..<19, kind: .date, check: 19),
            Slot(name: "sex", line: 1, range: 20..<21, kind: .sex, check: nil),
            Slot(name: "expiry_date", line: 1, range: 21..<27, kind: .date, check: 27),
            Slot(name: "optional_data", line: 1, range: optional, kind: .alphanumeric, check: optionalCheck),
        ]
    }

    static let td3 = MRZLayout(
        format: .td3,
        slots: twoLine(.td3, optional: 28..<42, optionalCheck: 42),
        composite: (
            1, 43, [Span(line: 1, range: 0..<10), Span(line: 1, range: 13..<20), Span(line: 1, range: 21..<43)]
        )
    )

    static let mrvA = MRZLayout(
        format: .mrvA,
        slots: twoLine(.mrvA, optional: 28..<44, optionalCheck: nil),
        composite: nil
    )

    static let td2 = MRZLayout(
        format: .td2,
        slots: twoLine(.td2, optional: 28..<35, optionalCheck: nil),
        composite: (
            1, 35, [Span(line: 1, range: 0..<10), Span(line: 1, range: 13..<20), Span(line: 1, range: 21..<35)]
        )
    )

    static let mrvB = MRZLayout(
        format: .mrvB,
        slots: twoLine(.mrvB, optional: 28..<36, optionalCheck: nil),
        composite: nil
    )

    static let td1 = MRZLayout(
        format: .td1,
        slots: [
            Slot(name: "document_code", line: 0, range: 0..<2, kind: .alphabetic, check: nil),
            Slot(name: "issuing_state", line: 0, range: 2..<5, kind: .alphabetic, check: nil),
            Slot(name: "document_number", line: 0, range: 5..<14, kind: .alphanumeric, check: 14),
            Slot(name: "optional_data", line: 0, range: 15..<30, kind: .alphanumeric, check: nil),
            Slot(name: "birth_date", line: 1, range: 0..<6, kind: .date, check: 6),
            Slot(name: "sex", line: 1, range: 7..<8, kind: .sex, check: nil),
            Slot(name: "expiry_date", line: 1, range: 8..<14, kind: .date, check: 14),
            Slot(name: "nationality", line: 1, range: 15..<18, kind: .alphabetic, check: nil),
            Slot(name: "optional_data_2", line: 1, range: 18..<29, kind: .alphanumeric, check: nil),
            Slot(name: "name", line: 2, range: 0..<30, kind: .name, check: nil),
        ],
        composite: (
            1, 29,
            [
                Span(line: 0, range: 5..<30), Span(line: 1, range: 0..<7), Span(line: 1, range: 8..<15),
                Span(line: 1, range: 18..<29),
            ]
        )
    )
}

import CordonCore

/// The state of reading one zone: lines being corrected, and the fields, checks and problems found.
struct MRZReading {
    let layout: MRZLayout
    let original: [[UInt8]]
    var lines: [[UInt8]]
    let today: (year: Int, month: Int, day: Int)
    var fields: [MRZField] = []
    var checks: [MRZCheck] = []
    var corrections: [MRZCorrection] = []
    var problems: [ValidationFailure.Issue] = []

    init(layout: MRZLayout, lines: [[UInt8]], today: (year: Int, month: Int, day: Int)) {
        self.layout = layout
        self.original = lines
        self.lines = lines
        self.today = today
    }

    /// The letter a digit is confused with (`0`→`O`, `1`→`I`, `8`→`B`, `5`→`S`).
    @inline(__always)
    static func digitToLetter(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0"): UInt8(ascii: "O")
        case UInt8(ascii: "1"): UInt8(ascii: "I")
        case UInt8(ascii: "8"): UInt8(ascii: "B")
        case UInt8(ascii: "5"): UInt8(ascii: "S")
        default: nil
        }
    }

    /// The digit a letter is confused with (`O`→`0`, `I`→`1`, `B`→`8`, `S`→`5`).
    @inline(__always)
    static func letterToDigit(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "O"): UInt8(ascii: "0")
        case UInt8(ascii: "I"): UInt8(ascii: "1")
        case UInt8(ascii: "B"): UInt8(ascii: "8")
        case UInt8(ascii: "S"): UInt8(ascii: "5")
        default: nil
        }
    }
    static let filler = UInt8(ascii: "<")

    static func string(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
    static func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) }

    func text(_ line: Int, _ range: Range<Int>) -> String { Self.string(lines[line][range]) }

    // MARK: - Steps

    mutating func run() -> MRZDocument {
        // 1. Corrections the kind of a field decides.
        for slot in layout.slots {
            switch slot.kind {
            case .alphabetic, .name:
                substitute(
                    slot.name,
                    line: slot.line,
                    range: slot.range,
                    Self.digitToLetter,
                    "digit read in a field of letters"
                )
            case .date:
                substitute(slot.name, line: slot.line, range: slot.range, Self.letterToDigit, "letter read in a date")
            case .sex, .alphanumeric:
                break
            }
            if let check = slot.check {
                substitute(
                    slot.name,
                    line: slot.line,
                    range: check..<check + 1,
                    Self.letterToDigit,
                    "letter read for a check digit"
                )
            }
        }
        if let composite = layout.composite {
            let range = composite.position..<composite.position + 1
            substitute(
                "composite",
                line: composite.line,
                range: range,
                Self.letterToDigit,
                "letter read for a check digit"
            )
        }
        // 2. Long TD1 document numbers continue in the optional data.
        let extended = extendedTD1Number()
        // 3. Substitutions the check digit decides.
        for slot in layout.slots where slot.kind == .alphanumeric && slot.check != nil {
            if extended != nil, slot.name == "document_number" { continue }
            resolveByCheckDigit(slot)
        }
        // 4. Check digits.
        for slot in layout.slots {
            guard let position = slot.check else { continue }
            if let extended, slot.name == "document_number" {
                checks.append(Self.check("document_number", Array(extended.number.utf8), extended.checkByte))
            } else {
                checks.append(Self.check(slot.name, Array(lines[slot.line][slot.range]), lines[slot.line][position]))
            }
        }
        if let composite = layout.composite {
            checks.append(Self.check("composite", compositeBytes(), lines[composite.line][composite.position]))
        }
        // 5. Values.
        return document(extended: extended)
    }

    /// Replaces characters found in `map` within a range, reporting one correction.
    mutating func substitute(
        _ name: String,
        line: Int,
        range: Range<Int>,
        _ map: (UInt8) -> UInt8?,
        _ reason: String
    ) {
        var changed = false
        for i in range {
            if let to = map(lines[line][i]) {
                lines[line][i] = to
                changed = true
            }
        }
        if changed {
            corrections.append(
                MRZCorrection(
                    field: name,
                    read: Self.string(original[line][range]),
                    corrected: text(line, range),
                    reason: reason
                )
            )
        }
    }

    /// The TD1 document number longer than nine characters: positions 6–14, a filler at 15, the
    /// rest in the optional data up to its check digit.
    func extendedTD1Number() -> (number: String, checkByte: UInt8, optionalStart: Int)? {
        guard layout.format == .td1, lines[0][14] == Self.filler, lines[0][15] != Self.filler else { return nil }
        let line = lines[0]
        var end = 15
        while end < 30, line[end] != Self.filler { end += 1 }
        guard end - 15 >= 2 else { return nil }
        let number = Self.string(line[5..<14]) + Self.string(line[15..<end - 1])
        return (number, line[end - 1], end)
    }

    static func check(_ name: String, _ field: [UInt8], _ checkByte: UInt8) -> MRZCheck {
        let computed = MRZCheckDigit.compute(field)
        let expected = String(UnicodeScalar(checkByte))
        let passed: Bool
        if isDigit(checkByte) {
            passed = Int(checkByte - 0x30) == computed
        } else {
            // A filler check digit is allowed only over a field of fillers.
            passed = checkByte == filler && field.allSatisfy { $0 == filler }
        }
        return MRZCheck(name: name, passed: passed, expected: expected, computed: String(computed))
    }

    func compositeBytes() -> [UInt8] {
        guard let composite = layout.composite else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for span in composite.spans { bytes += lines[span.line][span.range] }
        return bytes
    }

    /// Tries single `O/0`, `I/1`, `B/8`, `S/5` substitutions in a field that fails its check digit.
    ///
    /// Only where a composite check digit confirms the reading: with one check digit alone (visas) a
    /// wrong check digit would be "put right" by a wrong number one time in ten, so the field fails.
    mutating func resolveByCheckDigit(_ slot: MRZLayout.Slot) {
        guard let position = slot.check, layout.composite != nil else { return }
        let checkByte = lines[slot.line][position]
        guard Self.isDigit(checkByte) else { return }
        let expected = Int(checkByte - 0x30)
        let field = Array(lines[slot.line][slot.range])
        if MRZCheckDigit.compute(field) == expected { return }
        var candidates: [[UInt8]] = []
        for (i, byte) in field.enumerated() {
            guard let swap = Self.letterToDigit(byte) ?? Self.digitToLetter(byte) else { continue }
            var candidate = field
            candidate[i] = swap
            if MRZCheckDigit.compute(candidate) == expected { candidates.append(candidate) }
        }
        // Where there is a composite, a correction must pass it too.
        if let composite = layout.composite {
            let compositeByte = lines[composite.line][composite.position]
            if Self.isDigit(compositeByte) {
                candidates = candidates.filter { candidate in
                    var copy = self
                    copy.lines[slot.line].replaceSubrange(slot.range, with: candidate)
                    return MRZCheckDigit.compute(copy.compositeBytes()) == Int(compositeByte - 0x30)
                }
            }
        }
        guard candidates.count == 1 else { return }
        lines[slot.line].replaceSubrange(slot.range, with: candidates[0])
        corrections.append(
            MRZCorrection(
                field: slot.name,
                read: Self.string(field),
                corrected: Self.string(candidates[0]),
                reason: "only this reading passes the check digit"
            )
        )
    }
}

public import CordonDocuments
public import CordonMatch

/// Reads running text for the names on a list: persons and organisations in any script and in their
/// inflected forms, and vehicle plates.
///
/// Reading is a scan: words are split once, and only a word that may be a listed name part (found in
/// the ``NameLexicon`` by key, stem, acronym or skeleton) stops the scan. Neighbouring such words form a
/// group; each run of words in it that leads to one entry is scored by the list's own matcher, so a
/// mention's score and explanation are those `cordon screen` would give the words. Letter case is
/// evidence where the script has it: a word written in lower case is not taken for a person's name.
public struct TextReader: Sendable {
    /// The lowest score a mention is reported at (below the alert threshold it is reported, not alerted).
    public static let reportingFloor = 0.8

    let index: ScreeningIndex
    let lexicon: NameLexicon
    let plates: PlateIndex<String>

    /// A reader of text against a list and, optionally, vehicles of interest.
    public init(index: ScreeningIndex, vehicles: [(id: String, plate: PlateReading)] = []) {
        self.init(index: index, plates: PlateIndex(vehicles.map { (id: $0.id, plate: $0.plate) }))
    }

    /// A reader of text against a list and a plate index built already.
    public init(index: ScreeningIndex, plates: PlateIndex<String>) {
        self.index = index
        self.plates = plates
        lexicon = NameLexicon(index: index)
    }

    /// The default alert threshold (the index's; an entry on a named list alerts at that list's).
    public var threshold: Double { index.options.threshold }

    /// Reads plain text.
    public func read(_ text: String, threshold: Double? = nil) -> ReadingResult {
        var pass = ReadingPass(reader: self, text: Array(text.utf8), threshold: threshold)
        pass.run()
        return pass.result()
    }

    /// Reads plain text given as UTF-8 bytes (valid UTF-8: see ``ReportDocument``).
    public func read(utf8 bytes: [UInt8], threshold: Double? = nil) -> ReadingResult {
        var pass = ReadingPass(reader: self, text: bytes, threshold: threshold)
        pass.run()
        return pass.result()
    }
}

/// An entity's name on the list, for the report.
extension TextReader {
    func name(of entity: String) -> String {
        index.entry(id: entity)?.name ?? plates.plate(id: entity)?.written ?? entity
    }

    func kind(of entity: String) -> Mention.Kind {
        guard let entry = index.entry(id: entity) else { return .vehicle }
        return entry.kind == .organization ? .organization : .person
    }
}

/// A plain text read part by part, as it arrives: what the text named earlier (a full name a surname
/// refers back to) and the words already looked up carry over, and offsets count from the text's start.
public struct ReadingStream {
    private var pass: ReadingPass
    private var scalarBase = 0
    private var pending: [UInt8] = []
    private var started = false
    private var hasText = false

    /// A stream read by `reader` at `threshold` (default: the list's).
    public init(reader: TextReader, threshold: Double? = nil) {
        pass = ReadingPass(reader: reader, text: [], threshold: threshold)
    }

    /// Reads the next bytes of the text (UTF-8, in any cut): whole paragraphs now, the rest with the next.
    ///
    /// - Throws: ``ReportDocument/Failure`` when the text holds a NUL byte or is not UTF-8.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(ReportDocument.Failure) {
        pending.append(contentsOf: bytes)
        if scalarBase == 0, !started, pending.count >= 3 {
            started = true
            if pending.starts(with: [0xEF, 0xBB, 0xBF]) {
                pending.removeFirst(3)
                scalarBase = 1
            }
        }
        guard pending.count >= 1 << 16, let cut = Self.cut(pending) else { return }
        try read(Array(pending[..<cut]))
        pending.removeFirst(cut)
    }

    /// Reads what is left and returns every mention of the text.
    ///
    /// - Throws: ``ReportDocument/Failure`` for what ``feed(_:)`` refuses, and for a text with no words.
    public mutating func finish() throws(ReportDocument.Failure) -> ReadingResult {
        if !pending.isEmpty { try read(pending) }
        pending = []
        guard hasText else { throw ReportDocument.Failure(message: "the document is empty") }
        var result = pass.result()
        result.scalarsRead = scalarBase
        return result
    }

    private mutating func read(_ part: [UInt8]) throws(ReportDocument.Failure) {
        guard !part.contains(0) else {
            throw ReportDocument.Failure(message: "the document is binary, not text (it holds a NUL byte)")
        }
        guard String(validating: part, as: UTF8.self) != nil else {
            throw ReportDocument.Failure(message: "the document is not UTF-8 text")
        }
        hasText = hasText || part.contains { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        pass.text = part
        pass.run(scalarBase: scalarBase)
        scalarBase += part.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    /// Where to cut: after the last blank line, else the last line break, else nowhere yet.
    static func cut(_ bytes: [UInt8]) -> Int? {
        var index = bytes.count - 1
        var lastLine: Int?
        while index > 0 {
            if bytes[index] == 0x0A {
                if bytes[index - 1] == 0x0A { return index + 1 }
                if lastLine == nil { lastLine = index + 1 }
            }
            index -= 1
        }
        return lastLine
    }
}

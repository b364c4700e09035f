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

    /// The alert threshold (the list's).
    public var threshold: Double { index.options.threshold }

    /// Reads plain text.
    public func read(_ text: String, threshold: Double? = nil) -> ReadingResult {
        var pass = ReadingPass(reader: self, text: Array(text.utf8), threshold: threshold ?? self.threshold)
        pass.run()
        return pass.result()
    }

    /// Reads plain text given as UTF-8 bytes (valid UTF-8: see ``ReportDocument``).
    public func read(utf8 bytes: [UInt8], threshold: Double? = nil) -> ReadingResult {
        var pass = ReadingPass(reader: self, text: bytes, threshold: threshold ?? self.threshold)
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

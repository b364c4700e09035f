/// A report attached to a person's timeline as a source: which report (its source and SHA-256), where
/// it names the person, and who attached it.
///
/// The report itself is not kept: its hash identifies it, and the mentions say where in it the person
/// is named, in Unicode scalars of the report as it was sent (for HTML, of the markup).
public struct ReportAttachment: Sendable, Hashable, Codable {
    /// Where the report names the person.
    public struct Mention: Sendable, Hashable, Codable {
        /// The words as the report writes them.
        public let text: String
        /// The first scalar of the mention.
        public let start: Int
        /// The scalar after the mention.
        public let end: Int
        /// Whether the mention alerts at the threshold the report was read at.
        public let alert: Bool
        /// How the mention names the person: `name`, `earlier_mention` (a surname alone referring
        /// back to a full name) or `plate`.
        public let basis: String

        /// Creates a mention.
        ///
        /// - Throws: ``ValidationFailure`` for empty or overlong words, offsets that are negative or
        ///   out of order, or an unknown basis.
        public init(text: String, start: Int, end: Int, alert: Bool, basis: String) throws {
            var issues = IssueCollector()
            TextRules.check(text, at: "text", maxLength: 500, allowNewlines: true, into: &issues)
            issues.check(start >= 0, "start", .outOfRange, "an offset is 0 or more")
            issues.check(end > start, "end", .outOfRange, "a mention ends after it starts")
            issues.check(Self.bases.contains(basis), "basis", .unknownCode, "basis is name, earlier_mention or plate")
            try issues.finish()
            self.text = text
            self.start = start
            self.end = end
            self.alert = alert
            self.basis = basis
        }

        static let bases: Set<String> = ["name", "earlier_mention", "plate"]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case text, start, end, alert, basis
        }

        public init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let text = object.required(.text, as: String.self)
            let start = object.required(.start, as: Int.self)
            let end = object.required(.end, as: Int.self)
            let alert = object.required(.alert, as: Bool.self)
            let basis = object.required(.basis, as: String.self)
            try object.finish()
            self = try object.construct {
                try Mention(text: text!, start: start!, end: end!, alert: alert!, basis: basis!)
            }
        }
    }

    /// What the report is (a file name, an address, an agency and date), when the analyst named it.
    public let source: String?
    /// How it was read: `text`, `html` or `feed`.
    public let format: String
    /// The SHA-256 of the report's UTF-8 bytes, in lower-case hexadecimal.
    public let sha256: String
    /// The report's size in bytes.
    public let bytes: Int
    /// The account that attached it.
    public let attachedBy: String
    /// Where the report names the person, in the order of the report.
    public let mentions: [Mention]

    /// Creates an attachment.
    ///
    /// - Throws: ``ValidationFailure`` for a source or account name that is empty or too long, an
    ///   unknown format, a hash that is not 64 hexadecimal digits, or no mention.
    public init(
        source: String?,
        format: String,
        sha256: String,
        bytes: Int,
        attachedBy: String,
        mentions: [Mention]
    ) throws {
        var issues = IssueCollector()
        TextRules.check(source, at: "source", maxLength: 300, into: &issues)
        issues.check(["text", "html", "feed"].contains(format), "format", .unknownCode, "format is text, html or feed")
        issues.check(
            sha256.count == 64 && sha256.allSatisfy { $0.isHexDigit && !$0.isUppercase },
            "sha256",
            .invalidFormat,
            "a SHA-256 is 64 lower-case hexadecimal digits"
        )
        issues.check(bytes > 0, "bytes", .outOfRange, "a report has at least one byte")
        TextRules.check(attachedBy, at: "attached_by", maxLength: 200, into: &issues)
        issues.check(!mentions.isEmpty, "mentions", .empty, "an attached report names the person at least once")
        issues.check(mentions.count <= 500, "mentions", .tooLong, "at most 500 mentions are kept")
        try issues.finish()
        self.source = source
        self.format = format
        self.sha256 = sha256
        self.bytes = bytes
        self.attachedBy = attachedBy
        self.mentions = mentions
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case source, format, sha256, bytes, mentions
        case attachedBy = "attached_by"
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let source = object.optional(.source, as: String.self)
        let format = object.required(.format, as: String.self)
        let sha256 = object.required(.sha256, as: String.self)
        let bytes = object.required(.bytes, as: Int.self)
        let attachedBy = object.required(.attachedBy, as: String.self)
        let mentions = object.list(.mentions, as: Mention.self)
        try object.finish()
        self = try object.construct {
            try ReportAttachment(
                source: source,
                format: format!,
                sha256: sha256!,
                bytes: bytes!,
                attachedBy: attachedBy!,
                mentions: mentions
            )
        }
    }
}

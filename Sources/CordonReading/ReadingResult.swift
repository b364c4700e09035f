public import CordonMatch

/// One place in a text where a listed person, organisation or vehicle is named.
///
/// `start` and `end` count Unicode scalars of the text as it was given (for HTML and feeds: of the
/// markup, so a mention can be marked in the source), `end` excluded.
public struct Mention: Sendable, Hashable {
    /// What was named.
    public enum Kind: String, Sendable, Hashable, Codable {
        case person, organization, vehicle
    }

    /// How the mention was recognised.
    public enum Basis: String, Sendable, Hashable, Codable {
        /// The words themselves name the entity.
        case name
        /// A surname alone, referring back to the entity named in full earlier in the same text.
        case earlierMention = "earlier_mention"
        /// A vehicle plate.
        case plate
    }

    /// One word of the mention and the listed name part it was read as.
    public struct Word: Sendable, Hashable {
        /// The word as written.
        public var written: String
        /// The form scored: the word, the word without its ending, or the list's own inflected form.
        public var read: String
        /// The ending taken off, and its grammar (`-ым`, Russian case ending), if any.
        public var ending: String?
        /// The list's part it matched, and by what rule.
        public var listPart: String?
        public var rule: MatchRule?
        public var similarity: Double?
    }

    public var entity: String
    public var kind: Kind
    public var start: Int
    public var end: Int
    /// The words as written.
    public var text: String
    public var score: Double
    public var alert: Bool
    public var basis: Basis
    /// What makes the mention uncertain, when something does (`Зиёева`: a man's genitive or a woman's name).
    public var ambiguity: String?
    /// For a reference to an earlier mention: where that mention starts.
    public var refersTo: Int?
    /// The words and what each matched.
    public var words: [Word]
    /// The whole explanation, in sentences.
    public var explanation: String
    /// The listed name the words matched best.
    public var matchedName: String?
}

/// One entity a text names, with the score of its best mention.
public struct EntityFinding: Sendable, Hashable {
    public var entity: String
    public var kind: Mention.Kind
    /// The entity's name on the list.
    public var name: String
    public var score: Double
    public var alert: Bool
    /// How many times the text names it.
    public var mentions: Int
}

/// What reading one text found.
public struct ReadingResult: Sendable {
    /// Every mention, in text order.
    public var mentions: [Mention]
    /// Every entity named, best first.
    public var entities: [EntityFinding]
    /// Scalars of text read (after markup was taken away).
    public var scalarsRead: Int
}

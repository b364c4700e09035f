import CordonMatch

/// What reading one document found, as `cordon read --json` prints it and `POST /v1/read` answers.
public struct ReadingReport: Encodable, Sendable {
    public struct Word: Encodable, Sendable {
        var written: String
        var read: String
        var ending: String?
        var listPart: String?
        var rule: String?
        var similarity: Double?

        enum CodingKeys: String, CodingKey {
            case written, read, ending, rule, similarity
            case listPart = "list_part"
        }
    }

    public struct MentionReport: Encodable, Sendable {
        var entity: String
        var kind: String
        var start: Int
        var end: Int
        var text: String
        var score: Double
        var alert: Bool
        var basis: String
        var ambiguity: String?
        var refersTo: Int?
        var matchedName: String?
        var explanation: String
        var words: [Word]

        enum CodingKeys: String, CodingKey {
            case entity, kind, start, end, text, score, alert, basis, ambiguity, explanation, words
            case refersTo = "refers_to"
            case matchedName = "matched_name"
        }
    }

    public struct EntityReport: Encodable, Sendable {
        var entity: String
        var kind: String
        var name: String
        var score: Double
        var alert: Bool
        var mentions: Int
    }

    public var source: String
    public var format: String
    public var threshold: Double
    public var mentions: [MentionReport]
    public var entities: [EntityReport]
    /// The version of the list read against (the server's answers; `nil` from a file).
    public var listVersion: Int64?

    enum CodingKeys: String, CodingKey {
        case source, format, threshold, mentions, entities
        case listVersion = "list_version"
    }

    /// The report of a result.
    public init(source: String, format: ReportDocument.Format, threshold: Double, result: ReadingResult) {
        self.source = source
        self.format = format.rawValue
        self.threshold = threshold
        mentions = result.mentions.map { mention in
            MentionReport(
                entity: mention.entity,
                kind: mention.kind.rawValue,
                start: mention.start,
                end: mention.end,
                text: mention.text,
                score: mention.score,
                alert: mention.alert,
                basis: mention.basis.rawValue,
                ambiguity: mention.ambiguity,
                refersTo: mention.refersTo,
                matchedName: mention.matchedName,
                explanation: mention.explanation,
                words: mention.words.map {
                    Word(
                        written: $0.written,
                        read: $0.read,
                        ending: $0.ending,
                        listPart: $0.listPart,
                        rule: $0.rule?.rawValue,
                        similarity: $0.similarity
                    )
                }
            )
        }
        entities = result.entities.map {
            EntityReport(
                entity: $0.entity,
                kind: $0.kind.rawValue,
                name: $0.name,
                score: $0.score,
                alert: $0.alert,
                mentions: $0.mentions
            )
        }
    }
}

public import Foundation

/// What validation compares against: the present instant.
///
/// Validation that depends on time (a birth date must not be in the future) never reads the clock
/// itself: the caller says what "now" is, so tests and replays of a past night are deterministic.
/// Decoders carry the context in their `userInfo` under ``userInfoKey``; without it, time-dependent
/// checks are skipped and only the shape of values is checked.
public struct ValidationContext: Sendable {
    /// The present instant, or nil to skip checks against it.
    public var now: Date?

    /// Creates a context.
    public init(now: Date?) {
        self.now = now
    }

    /// A context that checks the shape of values only.
    public static let structural = ValidationContext(now: nil)

    /// The `userInfo` key under which decoders carry the context.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "cordon.validation-context")!

    /// The context a decoder carries, or ``structural``.
    public static func of(_ decoder: any Decoder) -> ValidationContext {
        decoder.userInfo[userInfoKey] as? ValidationContext ?? .structural
    }
}

extension JSONDecoder {
    /// A JSON decoder for Cordon's formats, validating against `context`.
    ///
    /// Instants are ISO 8601 with an offset or `Z`, with or without fractional seconds.
    public static func cordon(context: ValidationContext = .structural) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Instant.parse(text) else {
                throw ValidationFailure(
                    path: CodingPath.render(decoder.codingPath),
                    reason: .invalidFormat,
                    message: "'\(text)' is not an ISO 8601 instant with an offset (2010-08-22T22:15:00+05:00)"
                )
            }
            return date
        }
        decoder.userInfo[ValidationContext.userInfoKey] = context
        return decoder
    }
}

extension JSONEncoder {
    /// A JSON encoder for Cordon's formats: sorted keys, ISO 8601 instants in UTC.
    public static func cordon(prettyPrinted: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            prettyPrinted ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Instant.format(date, in: TimeZone(secondsFromGMT: 0)!))
        }
        return encoder
    }
}

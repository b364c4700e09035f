/// A closed set of string values whose decoding names the allowed values when it fails.
public protocol CodedEnum: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {}

extension CodedEnum {
    public init(from decoder: any Decoder) throws {
        let path = CodingPath.render(decoder.codingPath)
        guard let raw = try? decoder.singleValueContainer().decode(String.self) else {
            throw ValidationFailure(path: path, reason: .wrongType, message: "must be a string")
        }
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw ValidationFailure(
                path: path,
                reason: .unknownCode,
                message: "'\(raw)' is not one of \(allowed)"
            )
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

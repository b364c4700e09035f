import CordonCore
import Foundation

/// A frame that cannot be taken: not JSON, an unknown type, a missing or malformed field. The stream
/// stays open; the peer is told in an `error` frame naming the field.
public struct FrameError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// The field at fault, when one is.
    public let field: String?

    public init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }

    /// The error a decoder's failure becomes.
    static func decoding(_ error: any Error) -> FrameError {
        switch error {
        case let error as FrameError:
            return error
        case let failure as ValidationFailure:
            return FrameError(
                failure.issues.map(\.description).joined(separator: "; "),
                field: failure.issues.first?.path
            )
        case DecodingError.keyNotFound(let key, _):
            return FrameError("the frame has no \(key.stringValue)", field: key.stringValue)
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let field = context.codingPath.last?.stringValue
            return FrameError("\(field ?? "a field") has the wrong type", field: field)
        case DecodingError.dataCorrupted(let context):
            let field = context.codingPath.last?.stringValue
            return FrameError(context.debugDescription, field: field)
        default:
            return FrameError("the frame is not a JSON object")
        }
    }
}

/// The fields of one JSON object frame, read with the checks every frame shares.
struct FrameFields {
    let object: [String: JSONValue]

    init(text: String, allowed: Set<String>) throws(FrameError) {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            throw FrameError("the frame is not a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) && $0 != "type" }) {
            throw FrameError("unknown field '\(unknown)'", field: unknown)
        }
        self.object = object
    }

    var type: String? { object["type"]?.stringValue }

    func integer(_ key: String) throws(FrameError) -> Int? {
        guard let value = object[key] else { return nil }
        guard case .number(let number) = value, number == number.rounded(), (0...Double(Int32.max)).contains(number)
        else { throw FrameError("\(key) must be a whole number from 0", field: key) }
        return Int(number)
    }

    func requireInteger(_ key: String, in type: String) throws(FrameError) -> Int {
        guard let value = try integer(key) else { throw FrameError("\(type) needs \(article(key)) \(key)", field: key) }
        return value
    }

    func string(_ key: String, limit: Int) throws(FrameError) -> String? {
        guard let value = object[key] else { return nil }
        guard case .string(let string) = value, !string.isEmpty, string.count <= limit else {
            throw FrameError("\(key) must be text of 1 to \(limit) characters", field: key)
        }
        return string
    }

    func requireString(_ key: String, in type: String, limit: Int) throws(FrameError) -> String {
        guard let value = try string(key, limit: limit) else {
            throw FrameError("\(type) needs \(article(key)) \(key)", field: key)
        }
        return value
    }

    private func article(_ word: String) -> String {
        "aeiou".contains(word.first ?? "x") ? "an" : "a"
    }

    func bool(_ key: String) throws(FrameError) -> Bool? {
        guard let value = object[key] else { return nil }
        guard case .bool(let flag) = value else { throw FrameError("\(key) must be true or false", field: key) }
        return flag
    }
}

/// One JSON object as frame text: sorted keys, slashes as they are.
func frameText(_ object: [String: JSONValue]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = (try? encoder.encode(JSONValue.object(object))) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
}

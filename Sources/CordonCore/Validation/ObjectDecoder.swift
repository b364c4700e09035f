/// Decodes the fields of one JSON object, collecting every problem instead of stopping at the first.
///
/// Each accessor returns nil for a field that is absent or bad and records why; ``finish()`` then
/// throws one ``ValidationFailure`` naming every bad field by its full path. Keys the type does not
/// define are reported too, so a misspelt key never drops data silently.
package struct ObjectDecoder<Key: CodingKey & CaseIterable & RawRepresentable> where Key.RawValue == String {
    package let container: KeyedDecodingContainer<Key>
    package let basePath: String
    package let context: ValidationContext
    package var collector = IssueCollector()

    /// Starts decoding an object.
    ///
    /// - Parameters:
    ///   - decoder: the decoder positioned at the object.
    ///   - keys: the keys the object may have.
    ///   - alsoAllowed: other keys to accept without reading them (another decoder reads them).
    ///   - checksUnknownKeys: whether to report keys outside `keys` and `alsoAllowed`.
    package init(
        _ decoder: any Decoder,
        keys: Key.Type = Key.self,
        alsoAllowed: Set<String> = [],
        checksUnknownKeys: Bool = true
    ) throws {
        self.basePath = CodingPath.render(decoder.codingPath)
        self.context = ValidationContext.of(decoder)
        do {
            self.container = try decoder.container(keyedBy: Key.self)
        } catch {
            throw ValidationFailure(path: basePath, reason: .wrongType, message: "must be a JSON object")
        }
        let known = Set(Key.allCases.map(\.rawValue)).union(alsoAllowed)
        if checksUnknownKeys, let all = try? decoder.container(keyedBy: AnyCodingKey.self) {
            for key in all.allKeys where !known.contains(key.stringValue) {
                collector.add(path(key.stringValue), .unknownKey, "unknown key '\(key.stringValue)'")
            }
        }
    }

    package func path(_ key: String) -> String {
        basePath.isEmpty ? key : basePath + "." + key
    }

    /// Decodes a field that must be present.
    package mutating func required<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> T? {
        guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else {
            collector.add(path(key.rawValue), .missing, "is required")
            return nil
        }
        return decode(key)
    }

    /// Decodes a field that may be absent or null.
    package mutating func optional<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> T? {
        guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else { return nil }
        return decode(key)
    }

    /// Decodes an array that may be absent (empty), keeping the good elements and recording the bad.
    package mutating func list<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> [T] {
        guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else { return [] }
        guard let elements: [Collected<T>] = decode(key) else { return [] }
        var values: [T] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            switch element.result {
            case .success(let value): values.append(value)
            case .failure(let error):
                collector.record(DecodingIssue.failure(for: error, fallbackPath: path(key.rawValue)))
            }
        }
        return values
    }

    /// Decodes an array like ``list(_:as:)``, keeping each good element with its index in the input.
    package mutating func indexedList<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> [(index: Int, value: T)] {
        guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else { return [] }
        guard let elements: [Collected<T>] = decode(key) else { return [] }
        var values: [(index: Int, value: T)] = []
        for (index, element) in elements.enumerated() {
            switch element.result {
            case .success(let value): values.append((index, value))
            case .failure(let error):
                collector.record(DecodingIssue.failure(for: error, fallbackPath: path("\(key.rawValue)[\(index)]")))
            }
        }
        return values
    }

    private mutating func decode<T: Decodable>(_ key: Key) -> T? {
        do {
            return try container.decode(T.self, forKey: key)
        } catch {
            collector.record(DecodingIssue.failure(for: error, fallbackPath: path(key.rawValue)))
            return nil
        }
    }

    /// Records an extra issue at `key`.
    package mutating func add(_ key: String, _ reason: ValidationFailure.Reason, _ message: String) {
        collector.add(path(key), reason, message)
    }

    /// Throws every problem recorded so far, if any.
    package func finish() throws {
        try collector.finish()
    }

    /// Runs a validating constructor, placing its issues under this object's path.
    package func construct<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as ValidationFailure {
            throw failure.nested(under: basePath)
        }
    }
}

/// A decoded element or the error that decoding it threw.
package struct Collected<T: Decodable>: Decodable {
    package let result: Result<T, any Error>

    package init(from decoder: any Decoder) throws {
        do {
            result = .success(try T(from: decoder))
        } catch {
            result = .failure(error)
        }
    }
}

/// Turns decoding errors into validation issues with paths.
package enum DecodingIssue {
    package static func failure(for error: any Error, fallbackPath: String) -> ValidationFailure {
        switch error {
        case let failure as ValidationFailure:
            return failure
        case let decoding as DecodingError:
            switch decoding {
            case .typeMismatch(let type, let context):
                return ValidationFailure(
                    path: CodingPath.render(context.codingPath),
                    reason: .wrongType,
                    message: "must be \(jsonTypeName(type))"
                )
            case .valueNotFound(_, let context):
                return ValidationFailure(
                    path: CodingPath.render(context.codingPath),
                    reason: .missing,
                    message: "is required"
                )
            case .keyNotFound(let key, let context):
                return ValidationFailure(
                    path: CodingPath.render(context.codingPath + [key]),
                    reason: .missing,
                    message: "is required"
                )
            case .dataCorrupted(let context):
                return ValidationFailure(
                    path: CodingPath.render(context.codingPath),
                    reason: .invalidFormat,
                    message: context.debugDescription
                )
            @unknown default:
                return ValidationFailure(path: fallbackPath, reason: .invalidFormat, message: "cannot be read")
            }
        default:
            return ValidationFailure(path: fallbackPath, reason: .invalidFormat, message: String(describing: error))
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") || name.hasPrefix("KeyedDecodingContainer") { return "an object" }
            return "of type \(name)"
        }
    }
}

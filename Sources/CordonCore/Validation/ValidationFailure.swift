/// Every problem found while constructing or decoding a value, each tied to the field it concerns.
///
/// Constructors in Cordon validate their input and throw one `ValidationFailure` that lists every bad
/// field, rather than stopping at the first. Each ``Issue`` names the field by a path in the JSON
/// shape of the value (`persons[3].birth_date`), the kind of problem, and a sentence for people.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// One bad field.
    public struct Issue: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
        /// The path of the field, in the JSON shape of the value (`name.parts[0].value`); empty for the value itself.
        public var path: String
        /// The kind of problem, stable for programs.
        public var reason: Reason
        /// A sentence describing the problem for people.
        public var message: String

        /// Creates an issue.
        public init(path: String, reason: Reason, message: String) {
            self.path = path
            self.reason = reason
            self.message = message
        }

        public var description: String { path.isEmpty ? message : "\(path): \(message)" }

        /// Returns the issue with its path placed under `prefix`.
        public func nested(under prefix: String) -> Issue {
            guard !prefix.isEmpty else { return self }
            var copy = self
            if path.isEmpty {
                copy.path = prefix
            } else if path.hasPrefix("[") {
                copy.path = prefix + path
            } else {
                copy.path = prefix + "." + path
            }
            return copy
        }
    }

    /// The kind of a validation problem.
    public struct Reason: Sendable, Hashable, Codable, CustomStringConvertible {
        private enum Code: String, Sendable {
            case missing
            case empty
            case tooLong = "too_long"
            case invalidFormat = "invalid_format"
            case outOfRange = "out_of_range"
            case inFuture = "in_future"
            case unknownCode = "unknown_code"
            case unknownKey = "unknown_key"
            case unknownReference = "unknown_reference"
            case duplicate
            case notAllowed = "not_allowed"
            case inconsistent
            case wrongType = "wrong_type"
        }

        private let code: Code

        private init(_ code: Code) { self.code = code }

        /// A required field is absent.
        public static let missing = Reason(.missing)
        /// A field that must have content is empty.
        public static let empty = Reason(.empty)
        /// A value exceeds its length limit.
        public static let tooLong = Reason(.tooLong)
        /// A value does not have the expected shape.
        public static let invalidFormat = Reason(.invalidFormat)
        /// A number or date lies outside its allowed range.
        public static let outOfRange = Reason(.outOfRange)
        /// A date or instant lies in the future.
        public static let inFuture = Reason(.inFuture)
        /// A code is not in its code list (a country code, say).
        public static let unknownCode = Reason(.unknownCode)
        /// An object has a key the format does not define.
        public static let unknownKey = Reason(.unknownKey)
        /// An identifier refers to nothing.
        public static let unknownReference = Reason(.unknownReference)
        /// An identifier or value appears twice where it must be unique.
        public static let duplicate = Reason(.duplicate)
        /// A change that the rules do not allow (dead → at large).
        public static let notAllowed = Reason(.notAllowed)
        /// Fields contradict each other.
        public static let inconsistent = Reason(.inconsistent)
        /// A value has the wrong JSON type.
        public static let wrongType = Reason(.wrongType)

        /// The stable machine-readable code (`in_future`).
        public var rawValue: String { code.rawValue }
        public var description: String { code.rawValue }

        public init(from decoder: any Decoder) throws {
            let raw = try decoder.singleValueContainer().decode(String.self)
            guard let code = Code(rawValue: raw) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "unknown reason \(raw)")
                )
            }
            self.code = code
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(code.rawValue)
        }
    }

    /// The problems, in the order they were found.
    public var issues: [Issue]

    /// Creates a failure from a non-empty list of issues.
    public init(_ issues: [Issue]) {
        self.issues = issues
    }

    /// Creates a failure with one issue.
    public init(path: String, reason: Reason, message: String) {
        self.issues = [Issue(path: path, reason: reason, message: message)]
    }

    public var description: String {
        issues.map(\.description).joined(separator: "; ")
    }

    /// Returns the failure with every path placed under `prefix`.
    public func nested(under prefix: String) -> ValidationFailure {
        ValidationFailure(issues.map { $0.nested(under: prefix) })
    }
}

/// Collects validation issues and throws them together.
///
/// Constructors create one, record each problem with ``check(_:_:_:_:)`` or ``record(_:)``, and call
/// ``finish()`` once all fields were examined.
package struct IssueCollector: Sendable {
    package private(set) var issues: [ValidationFailure.Issue] = []

    package init() {}

    package var isEmpty: Bool { issues.isEmpty }

    /// Records an issue when `condition` is false.
    package mutating func check(
        _ condition: Bool,
        _ path: String,
        _ reason: ValidationFailure.Reason,
        _ message: @autoclosure () -> String
    ) {
        if !condition {
            issues.append(.init(path: path, reason: reason, message: message()))
        }
    }

    /// Records an issue.
    package mutating func add(_ path: String, _ reason: ValidationFailure.Reason, _ message: String) {
        issues.append(.init(path: path, reason: reason, message: message))
    }

    /// Records the issues of a failure, placed under `prefix`.
    package mutating func record(_ failure: ValidationFailure, under prefix: String = "") {
        issues.append(contentsOf: failure.nested(under: prefix).issues)
    }

    /// Runs `body`, recording a thrown ``ValidationFailure`` under `prefix` and returning nil.
    package mutating func capture<T>(_ prefix: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let failure as ValidationFailure {
            record(failure, under: prefix)
        } catch {
            add(prefix, .invalidFormat, String(describing: error))
        }
        return nil
    }

    /// Throws the collected issues, if any.
    package func finish() throws {
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }
}

/// An error from a store, the same for every back end.
///
/// Back ends translate their driver's errors into these codes; the driver's own error is kept in
/// ``underlying`` for logs only and never shown to a client.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case notFound = "not_found"
            case conflict
            case constraint
            case unavailable
            case corrupt
            case incompatible
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// The thing does not exist.
        public static let notFound = Code(.notFound)
        /// The thing exists already, or changed since it was read (revision mismatch).
        public static let conflict = Code(.conflict)
        /// The write breaks a rule of the schema (a reference to nothing, a value out of range).
        public static let constraint = Code(.constraint)
        /// The database cannot be reached or is busy.
        public static let unavailable = Code(.unavailable)
        /// Stored data cannot be read back.
        public static let corrupt = Code(.corrupt)
        /// The database was written by a newer Cordon: its schema has migrations this binary does not know.
        public static let incompatible = Code(.incompatible)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// A sentence safe to show a client.
    public let message: String
    /// The driver's error, for logs only.
    public let underlying: (any Error & Sendable)?
    public let file: String
    public let line: Int

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        underlying: (any Error & Sendable)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(message)" }
}

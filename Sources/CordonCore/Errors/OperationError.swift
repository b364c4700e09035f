/// Why an engine refused an operation: the thing named does not exist, or its state forbids the change.
///
/// The engines (alerts, custody, screening, publishing) throw it below any transport; the server turns it
/// into a problem (404 or 409) and the command line into one line. Bad fields are a ``ValidationFailure``
/// instead.
public struct OperationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of refusal.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Hashable { case notFound, conflict }
        private let base: Base

        /// Nothing by that identifier.
        public static let notFound = Code(base: .notFound)
        /// The current state does not allow it.
        public static let conflict = Code(base: .conflict)

        public var description: String {
            switch base {
            case .notFound: "not found"
            case .conflict: "conflict"
            }
        }
    }

    public let code: Code
    /// A sentence for people, naming what was refused.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Nothing by that identifier: `no incidents 'inc-1'`.
    public static func notFound(_ message: String) -> OperationError { OperationError(.notFound, message) }

    /// The state forbids it.
    public static func conflict(_ message: String) -> OperationError { OperationError(.conflict, message) }

    public var description: String { message }
}

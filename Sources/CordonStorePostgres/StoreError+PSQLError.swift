import CordonStore
import Logging
import PostgresNIO

extension StoreError {
    /// Translates any error met while using the database into a ``StoreError``.
    ///
    /// A ``StoreError`` and a `CancellationError` pass through unchanged. A server error becomes
    /// `conflict` (SQLSTATE 23505, a unique key), `constraint` (class 23, the append-only trigger's 23000
    /// among them, and class 22, a value the column refuses), `unavailable` (classes 08 connection, 53
    /// resources, 57 operator intervention such as a shutting-down server, and 40 a rolled-back transaction)
    /// or `corrupt` (anything else). A driver error about the connection (refused, closed, timed out, the
    /// pool closed) is `unavailable`. The original stays only in ``underlying``.
    static func translating(_ error: any Error, while activity: String) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        let unavailable = StoreError(
            .unavailable,
            "the database is unavailable while \(activity)",
            underlying: SendableError(error)
        )
        guard let error = error as? PSQLError else {
            // Connection pool and channel errors (a refused connection, a timed-out lease) land here.
            return unavailable
        }
        let kept = PSQLErrorSummary(error)
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            switch error.code {
            case .queryCancelled, .tooManyParameters, .invalidCommandTag, .messageDecodingFailure,
                .unexpectedBackendMessage:
                return StoreError(.corrupt, "the database failed while \(activity)", underlying: kept)
            default:
                return StoreError(.unavailable, unavailable.message, underlying: kept)
            }
        }
        switch state {
        case "23505":
            return StoreError(.conflict, "the thing exists already", underlying: kept)
        case let state where state.hasPrefix("23") || state.hasPrefix("22"):
            return StoreError(.constraint, "the write breaks a rule of the schema", underlying: kept)
        case let state where ["08", "53", "57", "40"].contains(String(state.prefix(2))):
            return StoreError(.unavailable, unavailable.message, underlying: kept)
        default:
            return StoreError(.corrupt, "the database failed while \(activity)", underlying: kept)
        }
    }
}

/// What a driver error says, kept for logs: its code, the server's SQLSTATE and message, never the query's values.
struct PSQLErrorSummary: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ error: PSQLError) {
        var parts = ["\(error.code)"]
        if let state = error.serverInfo?[.sqlState] { parts.append("SQLSTATE \(state)") }
        if let message = error.serverInfo?[.message] { parts.append(message) }
        if let detail = error.serverInfo?[.detail] { parts.append(detail) }
        if error.serverInfo == nil, let underlying = error.underlying { parts.append("\(underlying)") }
        description = parts.joined(separator: ": ")
    }
}

extension PostgresConnection {
    /// Runs a query, refusing at once on a connection that is closed already.
    ///
    /// The driver neither answers nor fails a query written on a connection the server has closed (a
    /// terminated session, a restarted server), and cancelling does not end it; the pool may still hand
    /// out such a connection for a moment after the server closed it. Every query of the store goes
    /// through here, so that it fails as unavailable instead of waiting forever.
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        guard !isClosed else { throw StoreError(.unavailable, "the database closed the connection") }
        return try await self.query(query, logger: logger)
    }
}

import CordonStore
import GRDB

extension StoreError {
    /// Translates any error met while using the database into a ``StoreError``.
    ///
    /// A ``StoreError`` (a failed write condition) and a `CancellationError` pass through unchanged.
    /// A `DatabaseError` becomes `conflict` (a UNIQUE or PRIMARY KEY constraint), `constraint` (CHECK,
    /// FOREIGN KEY, NOT NULL, a trigger), `unavailable` (busy, locked, cannot open, I/O, disk full,
    /// read-only) or `corrupt` (anything else); the original is kept only as ``underlying``.
    static func translating(_ error: any Error, while activity: String) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        guard let error = error as? DatabaseError else {
            return StoreError(.corrupt, "unexpected failure while \(activity)", underlying: SendableError(error))
        }
        switch error.resultCode {
        case .SQLITE_CONSTRAINT:
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
                return StoreError(.conflict, "the thing exists already", underlying: error)
            default:
                return StoreError(.constraint, "the write breaks a rule of the schema", underlying: error)
            }
        case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_READONLY,
            .SQLITE_PERM, .SQLITE_INTERRUPT, .SQLITE_NOLFS, .SQLITE_PROTOCOL:
            return StoreError(.unavailable, "the database is unavailable while \(activity)", underlying: error)
        default:
            return StoreError(.corrupt, "the database failed while \(activity)", underlying: error)
        }
    }
}

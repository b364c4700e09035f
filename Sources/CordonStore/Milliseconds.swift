public import Foundation

/// A time as the stores keep it: whole milliseconds since 1970. Shared by the back ends, not by callers.
package struct Milliseconds: Hashable, Sendable {
    package let value: Int64

    package init(_ value: Int64) { self.value = value }

    /// A clock reading, truncated to the millisecond as ``AuditRecord`` truncates its time.
    package init(clock date: Date) { value = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// A date given by a caller, to the nearest millisecond, so a date read back is stored unchanged.
    package init(date: Date) { value = Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The time as a date.
    package var date: Date { Date(timeIntervalSince1970: Double(value) / 1000) }

    /// A date inside this millisecond that ``AuditRecord``'s truncation maps back to exactly this millisecond,
    /// whatever the rounding of the division.
    package var auditDate: Date { Date(timeIntervalSince1970: (Double(value) + 0.5) / 1000) }
}

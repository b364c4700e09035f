public import Foundation
import Synchronization

/// A clock that moves only when a test moves it, for stores and services that take `now`.
///
/// Hand ``now()`` to the code under test (`SQLiteStore(path: path, now: clock.now)`), then
/// ``advance(by:)`` or ``set(_:)`` it between steps and expect exactly the times it gave.
public final class ManualClock: Sendable {
    /// The default start: 22:00 in Dushanbe on 22 August 2010 (17:00 UTC), a whole second.
    public static let defaultStart = Date(timeIntervalSince1970: 1_282_496_400)

    private let current: Mutex<Date>

    /// Creates a clock showing `start`.
    public init(start: Date = ManualClock.defaultStart) {
        current = Mutex(start)
    }

    /// The time the clock shows.
    public func now() -> Date {
        current.withLock { $0 }
    }

    /// Moves the clock forward (or back, with a negative interval).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

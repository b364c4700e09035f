public import Foundation

/// The clock the engines run on: what "now" is, and how fast it runs against real time.
///
/// In service it is the system clock at rate 1. The demo runs the night faster; tests hand in a clock
/// they move by hand. Timers sleep until an instant of this clock, looking at it again at least every
/// ``pollInterval`` of real time, so that a clock moved by hand is noticed.
public struct EngineClock: Sendable {
    /// What "now" is.
    public var now: @Sendable () -> Date
    /// How many seconds of ``now`` pass in one real second.
    public var rate: Double
    /// The longest real time a sleep goes without looking at the clock again.
    public var pollInterval: Duration

    public init(
        now: @escaping @Sendable () -> Date = { Date() },
        rate: Double = 1,
        pollInterval: Duration = .milliseconds(250)
    ) {
        self.now = now
        self.rate = rate
        self.pollInterval = pollInterval
    }

    /// Sleeps until `instant` on this clock.
    ///
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(until instant: Date) async throws {
        let poll = Double(pollInterval.components.seconds) + Double(pollInterval.components.attoseconds) * 1e-18
        while true {
            let remaining = instant.timeIntervalSince(now())
            if remaining <= 0 { return }
            let real = min(remaining / max(rate, 1e-6), poll)
            try await Task.sleep(nanoseconds: UInt64(max(real, 0.000_5) * 1e9))
        }
    }
}

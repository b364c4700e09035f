import Foundation
import Synchronization

/// The demo's clock: it starts at an instant of the night and runs `rate` times faster than real
/// time until told otherwise, so the quiet hours pass in seconds and the alert runs in real time.
final class DemoClock: Sendable {
    private struct State {
        var base: Date
        var since: ContinuousClock.Instant
        var rate: Double
    }

    private let state: Mutex<State>

    init(start: Date, rate: Double) {
        state = Mutex(State(base: start, since: .now, rate: rate))
    }

    /// The instant on the night's clock.
    var now: Date {
        state.withLock { Self.now(of: $0) }
    }

    /// How fast the clock runs now.
    var rate: Double { state.withLock { $0.rate } }

    /// Runs at `rate` from now on.
    func setRate(_ rate: Double) {
        state.withLock { state in
            state.base = Self.now(of: state)
            state.since = .now
            state.rate = rate
        }
    }

    private static func now(of state: State) -> Date {
        let elapsed = ContinuousClock.now - state.since
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return state.base.addingTimeInterval(seconds * state.rate)
    }
}

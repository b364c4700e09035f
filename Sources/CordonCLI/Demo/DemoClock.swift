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

    /// Where the clock stands against the wall clock, so that other processes can run the same clock: at
    /// the wall's `wall` seconds it read `base` seconds, and it runs at `rate`.
    struct Anchor: Sendable, Codable {
        let base: Double
        let wall: Double
        let rate: Double
    }

    private let state: Mutex<State>
    /// Told of every change of rate (the nodes of a demo deployment follow it).
    private let onChange: @Sendable (Anchor) -> Void

    init(start: Date, rate: Double, onChange: @escaping @Sendable (Anchor) -> Void = { _ in }) {
        state = Mutex(State(base: start, since: .now, rate: rate))
        self.onChange = onChange
    }

    /// Where the clock stands now.
    var anchor: Anchor {
        state.withLock {
            Anchor(base: Self.now(of: $0).timeIntervalSince1970, wall: Date().timeIntervalSince1970, rate: $0.rate)
        }
    }

    /// Runs as another process's clock does, given its anchor.
    func follow(_ anchor: Anchor) {
        state.withLock { state in
            let behind = Date().timeIntervalSince1970 - anchor.wall
            state.base = Date(timeIntervalSince1970: anchor.base + behind * anchor.rate)
            state.since = .now
            state.rate = anchor.rate
        }
    }

    /// The instant on the night's clock.
    var now: Date {
        state.withLock { Self.now(of: $0) }
    }

    /// How fast the clock runs now.
    var rate: Double { state.withLock { $0.rate } }

    /// Reads `instant` from now on (never earlier than it reads now), at the same rate.
    func jump(to instant: Date) {
        state.withLock { state in
            state.base = max(Self.now(of: state), instant)
            state.since = .now
        }
        onChange(anchor)
    }

    /// Runs at `rate` from now on.
    func setRate(_ rate: Double) {
        state.withLock { state in
            state.base = Self.now(of: state)
            state.since = .now
            state.rate = rate
        }
        onChange(anchor)
    }

    private static func now(of state: State) -> Date {
        let elapsed = ContinuousClock.now - state.since
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return state.base.addingTimeInterval(seconds * state.rate)
    }
}

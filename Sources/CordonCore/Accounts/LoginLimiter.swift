public import Foundation
import Synchronization

/// Limits sign-in attempts per account and per network address, over a sliding window.
///
/// Failed attempts for an account and all attempts from an address are counted; past the limit the
/// caller must wait until the oldest attempt leaves the window.
public final class LoginLimiter: Sendable {
    /// The limits.
    public struct Limits: Sendable {
        /// Failed attempts allowed per account in the window.
        public var failuresPerAccount: Int
        /// Attempts allowed per address in the window.
        public var attemptsPerAddress: Int
        /// The window's length.
        public var window: TimeInterval

        public init(failuresPerAccount: Int = 5, attemptsPerAddress: Int = 30, window: TimeInterval = 300) {
            self.failuresPerAccount = failuresPerAccount
            self.attemptsPerAddress = attemptsPerAddress
            self.window = window
        }
    }

    private struct State {
        var failures: [String: [Date]] = [:]
        var attempts: [String: [Date]] = [:]
    }

    private let limits: Limits
    private let state = Mutex(State())

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Records an attempt and says how long to wait if it is over a limit.
    ///
    /// - Returns: the seconds to wait, or nil when the attempt may go ahead.
    public func admit(account: String, address: String, at now: Date) -> Int? {
        state.withLock { state in
            let horizon = now.addingTimeInterval(-limits.window)
            var byAddress = (state.attempts[address] ?? []).filter { $0 > horizon }
            let byAccount = (state.failures[account] ?? []).filter { $0 > horizon }
            state.failures[account] = byAccount
            if byAccount.count >= limits.failuresPerAccount {
                state.attempts[address] = byAddress
                return max(1, Int(byAccount[0].addingTimeInterval(limits.window).timeIntervalSince(now).rounded(.up)))
            }
            if byAddress.count >= limits.attemptsPerAddress {
                state.attempts[address] = byAddress
                return max(1, Int(byAddress[0].addingTimeInterval(limits.window).timeIntervalSince(now).rounded(.up)))
            }
            byAddress.append(now)
            state.attempts[address] = byAddress
            if state.attempts.count > 10_000 { state.attempts = state.attempts.filter { !$0.value.isEmpty } }
            return nil
        }
    }

    /// Records a failed attempt for an account.
    public func recordFailure(account: String, at now: Date) {
        state.withLock { $0.failures[account, default: []].append(now) }
    }

    /// Forgets an account's failures after a successful sign-in.
    public func recordSuccess(account: String) {
        state.withLock { _ = $0.failures.removeValue(forKey: account) }
    }
}

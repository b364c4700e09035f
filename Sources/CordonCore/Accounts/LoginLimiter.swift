public import Foundation
import Synchronization

/// Throttles sign-in attempts so that guessing is slow while the account's owner can still sign in.
///
/// Every attempt is reserved before the password is checked, counted as a failure until it succeeds:
/// concurrent guesses see each other, so thirty at once from one address do not all reach the check.
/// There is no hard lock of an account. Three counts, each over a sliding window:
/// - failures for one account from one address: past ``Limits/failuresPerPair`` that pair waits,
///   1 s after the last failure, then 2, 4, … up to the window;
/// - attempts from one address, whatever the account: past ``Limits/attemptsPerAddress`` the address
///   waits until its oldest attempt leaves the window;
/// - failures for one account from everywhere: past ``Limits/failuresPerAccount`` the account is slowed
///   the same way, but only for addresses that have failed themselves: the right password from a clean
///   address still works while someone guesses from elsewhere.
public final class LoginLimiter: Sendable {
    /// The limits.
    public struct Limits: Sendable {
        /// Failed attempts for one account from one address before that pair backs off.
        public var failuresPerPair: Int
        /// Attempts allowed per address in the window.
        public var attemptsPerAddress: Int
        /// Failed attempts for one account from all addresses before addresses with failures back off.
        public var failuresPerAccount: Int
        /// The window's length, and the longest back-off.
        public var window: TimeInterval

        public init(
            failuresPerPair: Int = 5,
            attemptsPerAddress: Int = 30,
            failuresPerAccount: Int = 20,
            window: TimeInterval = 300
        ) {
            self.failuresPerPair = failuresPerPair
            self.attemptsPerAddress = attemptsPerAddress
            self.failuresPerAccount = failuresPerAccount
            self.window = window
        }
    }

    /// An attempt let through: counted as a failure until ``succeeded(_:)`` says otherwise.
    public struct Ticket: Sendable, Hashable {
        public let account: String
        public let address: String
        public let at: Date
    }

    /// An attempt turned away before its password was checked.
    public struct Refusal: Error, Sendable, Hashable {
        /// Which count refused it.
        public enum Reason: String, Sendable, Hashable {
            /// Too many failures for this account from this address.
            case accountFromAddress = "account_from_address"
            /// Too many attempts from this address.
            case address
            /// Too many failures for this account from everywhere, and this address has failed too.
            case account
        }

        public let reason: Reason
        /// Whole seconds to wait, at least 1.
        public let wait: Int
    }

    private struct Pair: Hashable {
        let account: String
        let address: String
    }

    private struct State {
        var pairFailures: [Pair: [Date]] = [:]
        var accountFailures: [String: [Date]] = [:]
        var addressFailures: [String: [Date]] = [:]
        var addressAttempts: [String: [Date]] = [:]
    }

    private let limits: Limits
    private let state = Mutex(State())

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Reserves an attempt, or says why and how long to wait.
    public func admit(account: String, address: String, at now: Date) -> Result<Ticket, Refusal> {
        state.withLock { state in
            let horizon = now.addingTimeInterval(-limits.window)
            let pair = Pair(account: account, address: address)
            let pairFailures = Self.recent(&state.pairFailures, pair, after: horizon)
            let accountFailures = Self.recent(&state.accountFailures, account, after: horizon)
            let addressFailures = Self.recent(&state.addressFailures, address, after: horizon)
            let attempts = Self.recent(&state.addressAttempts, address, after: horizon)
            if let wait = backoff(pairFailures, limit: limits.failuresPerPair, now: now) {
                return .failure(Refusal(reason: .accountFromAddress, wait: wait))
            }
            if attempts.count >= limits.attemptsPerAddress {
                return .failure(
                    Refusal(reason: .address, wait: Self.seconds(until: attempts[0] + limits.window, from: now))
                )
            }
            if !addressFailures.isEmpty, let wait = backoff(accountFailures, limit: limits.failuresPerAccount, now: now)
            {
                return .failure(Refusal(reason: .account, wait: wait))
            }
            state.pairFailures[pair, default: []].append(now)
            state.accountFailures[account, default: []].append(now)
            state.addressFailures[address, default: []].append(now)
            state.addressAttempts[address, default: []].append(now)
            if state.addressAttempts.count > 10_000 { Self.prune(&state, after: horizon) }
            return .success(Ticket(account: account, address: address, at: now))
        }
    }

    /// The attempt had the right password: it is no failure, and its pair starts afresh.
    public func succeeded(_ ticket: Ticket) {
        state.withLock { state in
            state.pairFailures.removeValue(forKey: Pair(account: ticket.account, address: ticket.address))
            Self.remove(ticket.at, from: &state.accountFailures, ticket.account)
            Self.remove(ticket.at, from: &state.addressFailures, ticket.address)
        }
    }

    /// Past `limit` failures, the seconds left of a back-off that doubles with each failure beyond it,
    /// counted from the last; nil when the attempt may go ahead.
    private func backoff(_ failures: [Date], limit: Int, now: Date) -> Int? {
        guard failures.count >= limit, let last = failures.last else { return nil }
        let excess = min(failures.count - limit, 30)
        let delay = min(limits.window, pow(2, Double(excess)))
        let until = last.addingTimeInterval(delay)
        return until > now ? Self.seconds(until: until, from: now) : nil
    }

    private static func seconds(until end: Date, from now: Date) -> Int {
        max(1, Int(end.timeIntervalSince(now).rounded(.up)))
    }

    private static func recent<Key: Hashable>(_ map: inout [Key: [Date]], _ key: Key, after horizon: Date) -> [Date] {
        guard let dates = map[key] else { return [] }
        let kept = dates.filter { $0 > horizon }
        map[key] = kept.isEmpty ? nil : kept
        return kept
    }

    private static func remove<Key: Hashable>(_ date: Date, from map: inout [Key: [Date]], _ key: Key) {
        guard var dates = map[key], let index = dates.lastIndex(of: date) else { return }
        dates.remove(at: index)
        map[key] = dates.isEmpty ? nil : dates
    }

    private static func prune(_ state: inout State, after horizon: Date) {
        state.pairFailures = state.pairFailures.compactMapValues { Self.kept($0, after: horizon) }
        state.accountFailures = state.accountFailures.compactMapValues { Self.kept($0, after: horizon) }
        state.addressFailures = state.addressFailures.compactMapValues { Self.kept($0, after: horizon) }
        state.addressAttempts = state.addressAttempts.compactMapValues { Self.kept($0, after: horizon) }
    }

    private static func kept(_ dates: [Date], after horizon: Date) -> [Date]? {
        let kept = dates.filter { $0 > horizon }
        return kept.isEmpty ? nil : kept
    }
}

import Synchronization

/// How many live streams (alert and operations WebSockets, dashboard feeds) each account holds at
/// once on this node, and the limit: one account cannot tie up the server with hundreds.
public final class StreamQuota: Sendable {
    /// A stream counted against its account until this is released (or deinitialised).
    public final class Hold: Sendable {
        private let quota: StreamQuota
        private let account: String
        private let released = Mutex(false)

        init(quota: StreamQuota, account: String) {
            self.quota = quota
            self.account = account
        }

        /// Gives the stream back; later calls do nothing.
        public func release() {
            let first = released.withLock { released in
                defer { released = true }
                return !released
            }
            if first { quota.give(account) }
        }

        deinit { release() }
    }

    /// The most streams one account may hold at once.
    public let limit: Int
    private let counts = Mutex<[String: Int]>([:])

    public init(limit: Int) {
        self.limit = limit
    }

    /// A hold on one more stream for `account`, or nil when it holds `limit` already.
    public func take(_ account: String) -> Hold? {
        let admitted = counts.withLock { counts in
            guard counts[account, default: 0] < limit else { return false }
            counts[account, default: 0] += 1
            return true
        }
        return admitted ? Hold(quota: self, account: account) : nil
    }

    /// How many streams `account` holds now.
    public func held(by account: String) -> Int { counts.withLock { $0[account, default: 0] } }

    fileprivate func give(_ account: String) {
        counts.withLock { counts in
            let left = counts[account, default: 1] - 1
            counts[account] = left > 0 ? left : nil
        }
    }
}

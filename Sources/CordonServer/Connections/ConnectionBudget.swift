import Synchronization

/// Counts the connections a node holds, in all and by address, against ``ConnectionLimits``.
package final class ConnectionBudget: Sendable {
    /// Why a connection was refused.
    package enum Refusal: String, Sendable {
        case total
        case address
    }

    private struct Counts {
        var total = 0
        var byAddress: [String: Int] = [:]
    }

    package let maximum: Int
    package let maximumPerAddress: Int
    private let counts = Mutex(Counts())

    package init(maximum: Int, maximumPerAddress: Int) {
        self.maximum = maximum
        self.maximumPerAddress = maximumPerAddress
    }

    /// Takes a place for a connection from `address`, or says which limit it would break.
    package func take(_ address: String) -> Refusal? {
        counts.withLock { counts in
            if counts.total >= maximum { return .total }
            if counts.byAddress[address, default: 0] >= maximumPerAddress { return .address }
            counts.total += 1
            counts.byAddress[address, default: 0] += 1
            return nil
        }
    }

    /// Gives back the place a connection from `address` took.
    package func release(_ address: String) {
        counts.withLock { counts in
            counts.total -= 1
            let left = counts.byAddress[address, default: 1] - 1
            counts.byAddress[address] = left > 0 ? left : nil
        }
    }

    /// The connections held now.
    package var held: Int { counts.withLock { $0.total } }
}

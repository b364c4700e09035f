public import CordonCore
public import CordonStore
public import Foundation

extension LookBack {
    /// How far and how much looking back reads.
    public struct Options: Sendable, Hashable {
        /// How far back checkpoints' queries are screened again: 72 hours unless configured.
        public var window: TimeInterval
        /// The most queries one look back screens; beyond it the oldest of the window are left out (and
        /// the log says so).
        public var maximumQueries: Int
        /// How often (real time) the list version is read for a change.
        public var interval: Duration

        /// Creates options.
        public init(window: TimeInterval = 72 * 3600, maximumQueries: Int = 20_000, interval: Duration = .seconds(1)) {
            self.window = window
            self.maximumQueries = maximumQueries
            self.interval = interval
        }
    }
}

/// How far looking back has come, kept with the leads it wrote: entries written after ``through`` have not
/// been looked back for yet, so a node that starts (or becomes the leader) looks back for them first.
struct LookBackCursor: StoredEntity, Hashable {
    static var entityKind: EntityKind { .lookBack }
    static let id = "cursor"

    /// The start of the last look back.
    let through: Date
    /// The list version it ran for.
    let listVersion: Int64

    var storageID: String { Self.id }
    var tags: [DocumentTag] { [] }

    enum CodingKeys: String, CodingKey {
        case through
        case listVersion = "list_version"
    }
}

/// The checkpoints' queries of the look-back window, read from the audit log once and then only the records
/// written since, so that each look back reads the log incrementally.
struct PastQueryWindow: Sendable {
    /// The queries, in the order of their records.
    private(set) var queries: [PastQuery] = []
    /// The last audit record read; nil until the window's start was found.
    private var after: Int64?

    /// Reads the records written since the last call, then keeps the queries made from `start` on, at most
    /// `maximum` of them (the newest).
    ///
    /// - Returns: how many queries of the window were left out for the limit.
    mutating func advance(
        in store: some Store,
        from start: Date,
        maximum: Int,
        pageSize: Int = 500
    ) async throws
        -> Int
    {
        var after: Int64
        if let known = self.after {
            after = known
        } else {
            after = try await Self.sequence(before: start, in: store)
        }
        var left = 0
        while true {
            let records = try await store.auditRecords(after: after, limit: pageSize)
            for record in records where PastQuery.actions.contains(record.action) {
                queries += PastQuery.queries(in: record)
            }
            after = records.last?.sequence ?? after
            if queries.count > 2 * maximum {
                left += queries.count - maximum
                queries.removeFirst(queries.count - maximum)
            }
            if records.count < pageSize { break }
        }
        self.after = after
        queries.removeAll { $0.at < start }
        if queries.count > maximum {
            left += queries.count - maximum
            queries.removeFirst(queries.count - maximum)
        }
        return left
    }

    /// The sequence of the last record written before `start`, found by halving (records are in time order).
    static func sequence(before start: Date, in store: some Store) async throws -> Int64 {
        guard let head = try await store.auditHead() else { return 0 }
        var (low, high) = (Int64(1), head.sequence + 1)
        while low < high {
            let middle = low + (high - low) / 2
            if let record = try await store.auditRecords(after: middle - 1, limit: 1).first, record.at < start {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low - 1
    }
}

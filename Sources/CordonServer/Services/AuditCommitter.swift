import CordonCore
import CordonStore
import ServiceLifecycle

/// The audit records of queries (screenings) appended in group commits: whatever arrives while one
/// transaction commits goes into the next, so that many requests share one flush to disk. Each caller
/// is answered only once its own record is committed, and the chain is the store's, one record after
/// another; a failed transaction fails every caller of its batch, and none of their records is written.
/// The commits are made by ``AuditCommitService`` while it runs; before it starts and after it stops,
/// each record is appended at once, on its own.
actor AuditCommitter<S: Store> {
    let store: S
    /// The most records one transaction takes.
    let batchLimit: Int
    private var pending: [(draft: AuditRecord.Draft, caller: CheckedContinuation<AuditRecord, any Error>)] = []
    private var isRunning = false
    /// Wakes the service when records are pending.
    let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init(store: S, batchLimit: Int = 512) {
        self.store = store
        self.batchLimit = batchLimit
        (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Appends a record, in the next group commit; returns once it is committed.
    func append(_ draft: AuditRecord.Draft) async throws -> AuditRecord {
        guard isRunning else { return try await store.appendAudit(draft) }
        return try await withCheckedThrowingContinuation { caller in
            pending.append((draft, caller))
            signal.yield()
        }
    }

    func start() { isRunning = true }

    /// No more group commits: later records are appended one by one.
    func stop() {
        isRunning = false
        signal.finish()
    }

    /// Commits everything pending, batch after batch, until nothing is left.
    func commitPending() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(batchLimit))
            pending.removeFirst(batch.count)
            do {
                let records = try await store.appendAudit(batch.map(\.draft))
                for (item, record) in zip(batch, records) { item.caller.resume(returning: record) }
            } catch {
                for item in batch { item.caller.resume(throwing: error) }
            }
        }
    }
}

/// Runs an ``AuditCommitter``'s group commits until graceful shutdown; what is pending then is committed
/// before the service ends.
struct AuditCommitService<S: Store>: Service {
    let committer: AuditCommitter<S>

    func run() async {
        await committer.start()
        for await _ in committer.signals.cancelOnGracefulShutdown() { await committer.commitPending() }
        await committer.stop()
        await committer.commitPending()
    }
}

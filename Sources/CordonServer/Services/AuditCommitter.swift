import CordonCore
import CordonStore

/// The audit records of queries (screenings) appended in group commits: whatever arrives while one
/// transaction commits goes into the next, so that many requests share one flush to disk. Each caller
/// is answered only once its own record is committed, and the chain is the store's, one record after
/// another; a failed transaction fails every caller of its batch, and none of their records is written.
actor AuditCommitter<S: Store> {
    let store: S
    /// The most records one transaction takes.
    let batchLimit: Int
    private var pending: [(draft: AuditRecord.Draft, caller: CheckedContinuation<AuditRecord, any Error>)] = []
    private var isCommitting = false

    init(store: S, batchLimit: Int = 512) {
        self.store = store
        self.batchLimit = batchLimit
    }

    /// Appends a record, in the next group commit; returns once it is committed.
    func append(_ draft: AuditRecord.Draft) async throws -> AuditRecord {
        try await withCheckedThrowingContinuation { caller in
            pending.append((draft, caller))
            guard !isCommitting else { return }
            isCommitting = true
            // One committer at a time, only while there is work: it ends when nothing is pending.
            Task { await self.commitPending() }
        }
    }

    private func commitPending() async {
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
        isCommitting = false
    }
}

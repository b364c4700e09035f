public import Foundation

/// Uploads queued reports to `POST /v1/checkpoints/{id}/reports`, in batches, oldest first.
///
/// A report the server took (new or already held) is marked uploaded and never sent again; one it
/// refused for its content (422 naming it) is marked refused with the server's reason; anything else
/// (no network, 5xx) leaves the queue as it was for the next try.
public struct ReportUploader: Sendable {
    /// What an upload did.
    public struct Outcome: Sendable, Hashable {
        public let uploaded: Int
        public let duplicates: Int
        public let refused: [String: String]
    }

    /// Why the upload stopped.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let store: CheckpointStore
    public let server: URL
    public let token: String

    public init(store: CheckpointStore, server: URL, token: String) {
        self.store = store
        self.server = server
        self.token = token
    }

    /// Uploads what is pending.
    public func run(now: Date) async throws -> Outcome {
        guard let checkpoint = try store.checkpoint() else {
            throw Failure(description: "no checkpoint id: give --checkpoint ID once so that reports can be sent")
        }
        var uploaded = 0
        var duplicates = 0
        var refused: [String: String] = [:]
        let pending = try store.pendingReports()
        var start = 0
        while start < pending.count {
            let batch = Array(pending[start..<min(start + 50, pending.count)])
            start += batch.count
            var body = Data("{\"reports\":[".utf8)
            for (index, report) in batch.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(report.body)
            }
            body.append(contentsOf: Array("]}".utf8))
            let path = "v1/checkpoints/\(checkpoint)/reports"
            let answer: ServerExchange.Answer
            do {
                answer = try await ServerExchange(server: server, token: token).perform("POST", path, json: body)
            } catch let unreachable as ServerExchange.Unreachable {
                throw Failure(description: unreachable.description)
            }
            let status = answer.status
            let json = answer.object
            switch status {
            case 200:
                let accepted = json?["accepted"] as? [String] ?? []
                let held = json?["duplicates"] as? [String] ?? []
                uploaded += accepted.count
                duplicates += held.count
                try store.markReports(uploaded: accepted + held, refused: [:], at: now)
            case 422:
                // Reports named in the errors are refused; the others go again in the next batch.
                var named: [String: String] = [:]
                for error in json?["errors"] as? [[String: Any]] ?? [] {
                    guard let pointer = error["pointer"] as? String ?? error["field"] as? String,
                        let index = Self.reportIndex(pointer), index < batch.count
                    else { continue }
                    let detail = error["detail"] as? String ?? error["message"] as? String ?? "refused"
                    named[batch[index].id] = (named[batch[index].id].map { $0 + "; " } ?? "") + detail
                }
                guard !named.isEmpty else {
                    throw Failure(description: "the server refused the reports: \(json?["detail"] as? String ?? "422")")
                }
                try store.markReports(uploaded: [], refused: named, at: now)
                refused.merge(named) { $1 }
                start -= batch.count  // send the rest of this batch again
                if start < 0 { start = 0 }
                return try await merge(Outcome(uploaded: uploaded, duplicates: duplicates, refused: refused), now: now)
            default:
                let detail = json?["detail"] as? String
                throw Failure(
                    description: "\(path) answered \(status)" + (detail.map { ": \($0)" } ?? "")
                )
            }
        }
        return Outcome(uploaded: uploaded, duplicates: duplicates, refused: refused)
    }

    private func merge(_ outcome: Outcome, now: Date) async throws -> Outcome {
        let rest = try await run(now: now)
        return Outcome(
            uploaded: outcome.uploaded + rest.uploaded,
            duplicates: outcome.duplicates + rest.duplicates,
            refused: outcome.refused.merging(rest.refused) { $1 }
        )
    }

    /// `reports[3].person` or `/reports/3/person` → 3.
    static func reportIndex(_ pointer: String) -> Int? {
        let digits = pointer.drop { !$0.isNumber }.prefix { $0.isNumber }
        return pointer.contains("reports") ? Int(digits) : nil
    }
}

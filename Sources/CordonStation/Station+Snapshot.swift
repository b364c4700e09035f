import CordonCheckpoint
import CordonCore
import Foundation

/// What the page polls: the officer signed in, the link, the list's age, the queue, and the alerts.
struct StationSnapshot: Sendable, Encodable {
    struct LinkView: Sendable, Encodable {
        /// `online`, `offline` or `connecting`.
        let state: String
        let since: Date
        let reason: String?
    }

    struct ListView: Sendable, Encodable {
        let version: Int64?
        let checkedAt: Date?
        let expiresAt: Date?
        let entries: Int
        let vehicles: Int
        /// `fresh`, `stale` (older than one sync interval: amber) or `expired` (past its expiry: red);
        /// `none` before the first sync.
        let state: String

        enum CodingKeys: String, CodingKey {
            case version, entries, vehicles, state
            case checkedAt = "checked_at"
            case expiresAt = "expires_at"
        }
    }

    struct QueueView: Sendable, Encodable {
        let queued: Int
        let uploaded: Int
        let refused: Int
    }

    struct SyncView: Sendable, Encodable {
        let at: Date
        let message: String
        let failed: Bool
    }

    let checkpoint: String
    let officer: String?
    let now: Date
    let zone: String
    let link: LinkView
    let refusal: String?
    let list: ListView
    let queue: QueueView
    let sync: SyncView?
    /// Open alerts first (oldest first, so the first to act on is on top), then the acknowledged.
    let alerts: [StationAlert]
    let syncIntervalSeconds: Int

    enum CodingKeys: String, CodingKey {
        case checkpoint, officer, now, zone, link, refusal, list, queue, sync, alerts
        case syncIntervalSeconds = "sync_interval_s"
    }
}

extension Station {
    /// The state for the page; `session` says which officer is asking.
    func snapshot(session: String?) -> StationSnapshot {
        let held = (try? copy.status()) ?? status
        let freshness = listFreshness(held)
        let linkView: StationSnapshot.LinkView =
            switch link {
            case .connecting(let since): .init(state: "connecting", since: since, reason: nil)
            case .online(let since): .init(state: "online", since: since, reason: nil)
            case .offline(let since, let reason): .init(state: "offline", since: since, reason: reason)
            }
        let visible = alerts.values.filter { $0.replacedBy == nil || $0.isOpen }
        let ordered = visible.sorted { left, right in
            if left.isOpen != right.isOpen { return left.isOpen }
            return left.isOpen ? left.sequence < right.sequence : left.sequence > right.sequence
        }
        return StationSnapshot(
            checkpoint: configuration.checkpoint,
            officer: session.flatMap { sessions[$0]?.label },
            now: now(),
            zone: configuration.zone.identifier,
            link: linkView,
            refusal: refusal,
            list: .init(
                version: held?.listVersion,
                checkedAt: held?.checkedAt,
                expiresAt: freshness.expires,
                entries: held?.entries ?? 0,
                vehicles: held?.vehicles ?? 0,
                state: freshness.state
            ),
            queue: .init(queued: held?.queued ?? 0, uploaded: held?.uploaded ?? 0, refused: held?.refused ?? 0),
            sync: lastSync.map { .init(at: $0.at, message: $0.message, failed: $0.failed) },
            alerts: Array(ordered.prefix(50)),
            syncIntervalSeconds: Int(configuration.syncInterval.components.seconds)
        )
    }

    /// How old the copy is: fresh, stale past one sync interval, expired past the signed metadata's expiry.
    func listFreshness(_ known: CheckpointStore.Status? = nil) -> (state: String, expires: Date?) {
        guard let held = known ?? (try? copy.status()) ?? status, held.listVersion != nil else { return ("none", nil) }
        let expires = listExpiry
        let current = now()
        if let expires, current > expires { return ("expired", expires) }
        let interval = Double(configuration.syncInterval.components.seconds)
        if let checked = held.checkedAt, current.timeIntervalSince(checked) > interval * 1.5 + 5 {
            return ("stale", expires)
        }
        return ("fresh", expires)
    }

    /// The `expires` of signed TUF metadata.
    static func expiry(of metadata: Data?) -> Date? {
        guard let metadata,
            let object = try? JSONSerialization.jsonObject(with: metadata) as? [String: Any],
            let signed = object["signed"] as? [String: Any],
            let text = signed["expires"] as? String
        else { return nil }
        return ISO8601DateFormatter().date(from: text)
    }
}

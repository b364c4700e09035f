import CordonCore
import CordonStore
import Foundation

extension DashboardData {
    /// A lead on the timeline, at the time it was found: what the checkpoint screened, where and when, and
    /// whom it names now.
    func item(_ lead: Lead, checkpoint: Checkpoint?, clock: DashboardClock) -> TimelineItem {
        let place = checkpoint?.name ?? lead.query.checkpoint?.rawValue ?? "a checkpoint (\(lead.query.account))"
        let used = lead.used.map { " [made sighting \($0.sighting)]" } ?? ""
        return TimelineItem(
            id: "tl-lead-\(lead.id.rawValue)",
            at: lead.foundAt,
            iso: clock.iso(lead.foundAt),
            time: clock.time(lead.foundAt),
            kind: "lead",
            label: "Lead",
            text: "\(lead.query.kind.rawValue.capitalized) \"\(lead.query.text)\" screened at \(place) at "
                + "\(clock.time(lead.query.at)) would alert now on \(lead.listed), score \(lead.score)\(used)"
        )
    }

    /// The leads a role may read, as timeline lines.
    func leadItems(for role: Role, checkpoints: [Checkpoint], clock: DashboardClock) async throws -> [TimelineItem] {
        guard DashboardVisibility.leads.contains(role) else { return [] }
        let byID = Dictionary(checkpoints.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })
        return try await store.allEntities(Lead.self).map { lead in
            item(lead, checkpoint: lead.query.checkpoint.flatMap { byID[$0.rawValue] }, clock: clock)
        }
    }
}

import CordonCore
import CordonStore
import Foundation

extension DashboardData {
    /// A lead on the timeline, at the time it was found: what the checkpoint screened, where and when, and
    /// whom it names now.
    func item(
        _ lead: Lead,
        checkpoint: Checkpoint?,
        choices: [LeadAction.Choice] = [],
        clock: DashboardClock
    ) -> TimelineItem {
        let place = checkpoint?.name ?? lead.query.checkpoint?.rawValue ?? "a checkpoint (\(lead.query.account))"
        let used = lead.used.map { " [made sighting \($0.sighting)]" } ?? ""
        var item = TimelineItem(
            id: "tl-lead-\(lead.id.rawValue)",
            at: lead.foundAt,
            iso: clock.iso(lead.foundAt),
            time: clock.time(lead.foundAt),
            kind: "lead",
            label: "Lead",
            text: "\(lead.query.kind.rawValue.capitalized) \"\(lead.query.text)\" screened at \(place) at "
                + "\(clock.time(lead.query.at)) would alert now on \(lead.listed), score \(lead.score)\(used)"
        )
        if lead.used == nil { item.action = LeadAction(lead: lead.id.rawValue, choices: choices) }
        return item
    }

    /// The checkpoints a sighting from a lead may be placed at when the lead does not say which screened
    /// the query: those the account that screened it serves (none when the lead says, or the account is gone).
    func leadChoices(_ lead: Lead, checkpoints: [Checkpoint]) async throws -> [LeadAction.Choice] {
        guard lead.query.checkpoint == nil, lead.used == nil,
            let account = try await store.account(username: lead.query.account)
        else { return [] }
        let served = Set(account.serves.filter { $0.hasPrefix("checkpoints/") }.map { String($0.dropFirst(12)) })
        return checkpoints.filter { served.contains($0.id.rawValue) }.sorted { $0.name < $1.name }.map {
            LeadAction.Choice(value: $0.id.rawValue, label: $0.name)
        }
    }

    /// The leads a role may read, as timeline lines.
    func leadItems(for role: Role, checkpoints: [Checkpoint], clock: DashboardClock) async throws -> [TimelineItem] {
        guard DashboardVisibility.leads.contains(role) else { return [] }
        let byID = Dictionary(checkpoints.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })
        var items: [TimelineItem] = []
        for lead in try await store.allEntities(Lead.self) {
            items.append(
                item(
                    lead,
                    checkpoint: lead.query.checkpoint.flatMap { byID[$0.rawValue] },
                    choices: try await leadChoices(lead, checkpoints: checkpoints),
                    clock: clock
                )
            )
        }
        return items
    }
}

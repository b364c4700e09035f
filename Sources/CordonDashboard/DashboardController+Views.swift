import CordonAlerts
import CordonCore
import CordonCustody
import CordonEvents
import CordonServer
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension DashboardController {
    struct CustodyView {
        struct PostRow {
            let id: String
            let name: String
            let kind: String
            let due: String
            let dueISO: String
            let state: String
            let stateLabel: String
        }

        struct CheckInRow {
            let post: String
            let at: String
            let iso: String
            let by: String
        }

        struct BlockRow {
            let id: String
            let name: String
            let cells: Int
            /// Inmates the block holds: its custody records less those at large.
            let expected: Int
            /// Its inmates at large (escaped and wanted).
            let atLarge: Int
            let hasAtLarge: Bool
        }

        struct ArmoryRow {
            let key: String
            let kind: String
            let description: String
            let serial: String
            let state: String
            let stateLabel: String
        }

        struct StaffOption {
            let id: String
            let name: String
        }

        struct FacilityView {
            let id: String
            let name: String
            let posts: [PostRow]
            let blocks: [BlockRow]
            let armory: [ArmoryRow]
            let hasArmory: Bool
            let staff: [StaffOption]
            let watchedPosts: [PostRow]
            let hasWatchedPosts: Bool
        }

        let facilities: [FacilityView]
        let checkIns: [CheckInRow]
        let hasCheckIns: Bool
    }

    func custodyView(clock: DashboardClock) async throws -> CustodyView {
        let due = await data.custody.dueTimes()
        let silent = await data.custody.silentPosts()
        let instant = now()
        let (held, escaped) = try await data.custody.custody(in: nil)
        var postNames: [String: String] = [:]
        let staff = try await store.allEntities(StaffMember.self).sorted { $0.name.fullName < $1.name.fullName }
        var facilities: [CustodyView.FacilityView] = []
        for facility in try await store.allEntities(Facility.self).sorted(by: { $0.name < $1.name }) {
            let issued = try await data.custody.issuedItems(of: facility)
            let missing = try await data.custody.missingItems(of: facility)
            let names = Dictionary(staff.map { ($0.id, $0.name.fullName) }, uniquingKeysWith: { a, _ in a })
            let posts = facility.posts.map { post in
                postNames[post.id.rawValue] = post.name
                let deadline = due[post.id]
                let state =
                    silent[post.id] != nil
                    ? "silent" : deadline.map { $0 < instant ? "overdue" : "on_watch" } ?? "off_watch"
                return CustodyView.PostRow(
                    id: post.id.rawValue,
                    name: post.name,
                    kind: DashboardData<S>.words(post.kind.rawValue),
                    due: deadline.map { clock.time($0) } ?? "—",
                    dueISO: deadline.map { clock.iso($0) } ?? "",
                    state: state,
                    stateLabel: silent[post.id].map { "silent since \(clock.time($0))" }
                        ?? ["overdue": "overdue", "on_watch": "on watch", "off_watch": "not watched"][state]!
                )
            }
            let view = CustodyView.FacilityView(
                id: facility.id.rawValue,
                name: facility.name,
                posts: posts,
                blocks: facility.blocks.map { block in
                    let cells = Set(block.cells.map(\.id))
                    let gone = escaped.filter { $0.facility == facility.id && cells.contains($0.cell) }.count
                    return CustodyView.BlockRow(
                        id: block.id.rawValue,
                        name: block.name,
                        cells: block.cells.count,
                        expected: held.filter { $0.facility == facility.id && cells.contains($0.cell) }.count,
                        atLarge: gone,
                        hasAtLarge: gone > 0
                    )
                },
                armory: facility.armory.map { item in
                    let key = ArmoryLedger.key(of: item)
                    let holding = issued[key]
                    return .init(
                        key: key,
                        kind: DashboardData<S>.words(item.kind.rawValue),
                        description: item.description,
                        serial: item.serial ?? "",
                        state: holding == nil ? (missing[key] == nil ? "in" : "missing") : "out",
                        stateLabel: holding.map {
                            "issued to \(names[$0.staff] ?? $0.staff.rawValue) at \(clock.time($0.since))"
                        } ?? missing[key].map { "missing since the count at \(clock.time($0))" } ?? "in the armory"
                    )
                },
                hasArmory: !facility.armory.isEmpty,
                staff: staff.filter { $0.facility == facility.id }.map {
                    .init(id: $0.id.rawValue, name: $0.name.fullName)
                },
                watchedPosts: posts.filter { $0.state != "off_watch" },
                hasWatchedPosts: posts.contains { $0.state != "off_watch" }
            )
            facilities.append(view)
        }
        let checkIns = try await store.allEntities(CheckIn.self).sorted { $0.at > $1.at }.prefix(30).map {
            CustodyView.CheckInRow(
                post: postNames[$0.post.rawValue] ?? $0.post.rawValue,
                at: clock.time($0.at),
                iso: clock.iso($0.at),
                by: $0.by
            )
        }
        return CustodyView(facilities: facilities, checkIns: Array(checkIns), hasCheckIns: !checkIns.isEmpty)
    }

    struct AuditView {
        struct Row {
            let sequence: Int64
            let at: String
            let iso: String
            let actor: String
            let role: String
            let action: String
            let target: String
        }

        let rows: [Row]
        let head: String
        let count: Int64
    }

    func auditView(clock: DashboardClock) async throws -> AuditView {
        let head = try await store.auditHead()
        let last = head?.sequence ?? 0
        let records = try await store.auditRecords(after: max(0, last - 100), limit: 100)
        return AuditView(
            rows: records.reversed().map {
                .init(
                    sequence: $0.sequence,
                    at: clock.time($0.at),
                    iso: clock.iso($0.at),
                    actor: $0.actor,
                    role: $0.role.map(Self.roleLabel) ?? "",
                    action: $0.action,
                    target: $0.target ?? ""
                )
            },
            head: head.map { String($0.hash.prefix(16)) } ?? "",
            count: last
        )
    }
}

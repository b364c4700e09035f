import CordonCore
import CordonStore
import Foundation
import Hummingbird

/// `GET /v1/audit`: the audit log, oldest first, for auditors.
struct AuditController<S: Store>: Sendable {
    let store: S

    struct Page: Encodable {
        let records: [AuditRecord]
        let nextAfter: Int64?

        enum CodingKeys: String, CodingKey {
            case records
            case nextAfter = "next_after"
        }
    }

    func register(on router: inout SecuredRouter) {
        let auditors = router.group(Roles.auditors)
        auditors.on(.get, "/v1/audit") { request, _, _ in
            try HTTPSupport.allowQuery(request, ["after", "limit"])
            let after = try HTTPSupport.integer(request, "after", default: 0, range: 0...Int(Int32.max))
            let limit = try HTTPSupport.integer(request, "limit", default: 100, range: 1...1000)
            let records = try await store.auditRecords(after: Int64(after), limit: limit + 1)
            let page = Array(records.prefix(limit))
            return try HTTPSupport.json(
                Page(records: page, nextAfter: records.count > limit ? page.last?.sequence : nil)
            )
        }
    }
}

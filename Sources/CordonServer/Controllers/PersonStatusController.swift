import CordonCore
import CordonEvents
import CordonScreening
import CordonStore
import Foundation
import Hummingbird

/// `POST /v1/persons/{id}/status`: records a wanted person's new status (captured, dead, cleared, at
/// large again) if the rules allow the change, with the person's revision as the guard.
struct PersonStatusController<S: Store>: Sendable {
    let store: S
    let screening: ScreeningService
    /// Told of each change, for the live dashboard.
    let bus: any EventBus
    let now: @Sendable () -> Date

    struct Change: Decodable {
        let status: WantedStatus
        let at: Date?
        let note: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case status, at, note
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let status = object.required(.status, as: WantedStatus.self)
            at = object.optional(.at, as: Date.self)
            note = object.optional(.note, as: String.self)
            try object.finish()
            self.status = status!
        }
    }

    func register(on router: inout SecuredRouter) {
        let command = router.group(Roles.command)
        command.on(.post, "/v1/persons/{id}/status") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try context.parameters.require("id")
            let change = try await HTTPSupport.decode(Change.self, from: request, context: context, now: now())
            let instant = change.at ?? now()
            if instant > now().addingTimeInterval(60) {
                throw Problem.validation(ValidationFailure(path: "at", reason: .inFuture, message: "is in the future"))
            }
            guard let stored = try await store.entity(Person.self, id: id) else {
                throw Problem.notFound("no persons '\(id)'")
            }
            let updated: Person
            do {
                updated = try stored.entity.changingStatus(to: change.status, at: instant, note: change.note)
            } catch let failure as ValidationFailure {
                throw Problem.validation(failure)
            }
            let receipt = try await store.apply(
                [S.write(updated, operation: .replace(expectedRevision: stored.revision))],
                audit: .init(
                    actor: identity.username,
                    role: identity.role,
                    action: "persons.status",
                    target: "persons/\(id)",
                    address: context.remoteAddress,
                    details: .object([
                        "from": .string(stored.entity.wanted?.status.rawValue ?? "none"),
                        "to": .string(change.status.rawValue),
                    ])
                )
            )
            screening.update(updated, listVersion: receipt.listVersion)
            await bus.publish(.statusChanged(person: id, status: change.status.rawValue))
            return try HTTPSupport.json(updated, headers: [.eTag: "\"\(receipt.documents.first?.revision ?? 0)\""])
        }
    }
}

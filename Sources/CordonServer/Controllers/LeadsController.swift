import CordonCore
import CordonEvents
import CordonStore
import Foundation
import Hummingbird

/// `GET /v1/leads`: past checkpoint screenings that would alert now, found by looking back when the list
/// changed (`LookBackService`); `POST /v1/leads/{id}/sighting`: a lead made into a sighting of the person
/// or vehicle at the checkpoint, at the time of the query, in one step, once.
struct LeadsController<S: Store>: Sendable {
    let store: S
    /// Told of each sighting made, for the live dashboard.
    let bus: any EventBus
    let now: @Sendable () -> Date

    /// What may be said about the sighting a lead makes; every field may be left out.
    struct Choice: Decodable {
        /// The checkpoint, when the lead does not say which screened the query.
        var checkpoint: CheckpointID?
        /// How far the sighting can be trusted: `medium` unless given (a name screened, nobody checked him).
        var confidence: Sighting.Confidence?
        var note: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case checkpoint, confidence, note
        }

        init() {}

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            checkpoint = object.optional(.checkpoint, as: CheckpointID.self)
            confidence = object.optional(.confidence, as: Sighting.Confidence.self)
            note = object.optional(.note, as: String.self)
            var issues = IssueCollector()
            TextRules.check(note, at: object.path("note"), maxLength: 1000, allowNewlines: true, into: &issues)
            object.collector.record(ValidationFailure(issues.issues))
            try object.finish()
        }
    }

    func register(on router: inout SecuredRouter) {
        let analysts = router.group(Roles.analysts)
        let listing = EntityController<Lead, S>(
            store: store,
            readRoles: Roles.analysts,
            writeRoles: [],
            filters: ["person", "vehicle", "checkpoint", "used", "kind"],
            now: now,
            didWrite: { _, _, _ in }
        )
        analysts.on(.get, "/v1/leads") { request, _, _ in try await listing.list(request) }
        analysts.on(.post, "/v1/leads/{id}/sighting") { request, context, identity in
            try await makeSighting(request, context: context, identity: identity)
        }
    }

    func makeSighting(_ request: Request, context: CordonRequestContext, identity: Identity) async throws -> Response {
        try HTTPSupport.allowQuery(request, [])
        let id = try HTTPSupport.identifier(context, "leads", as: LeadID.self)
        let choice = try await Self.choice(from: request, context: context, now: now())
        guard let stored = try await store.entity(Lead.self, id: id.rawValue) else {
            throw Problem.notFound("no leads '\(id)'")
        }
        let lead = stored.entity
        if let used = lead.used {
            throw Problem.conflict("lead '\(id)' was made into sighting '\(used.sighting)' already")
        }
        guard let checkpointID = choice.checkpoint ?? lead.query.checkpoint else {
            throw Problem.validation(
                ValidationFailure(
                    path: "checkpoint",
                    reason: .missing,
                    message: "the lead does not say which checkpoint screened the query: name it"
                )
            )
        }
        var issues = IssueCollector()
        let checkpoint = try await store.entity(Checkpoint.self, id: checkpointID.rawValue)?.entity
        if checkpoint == nil {
            issues.add("checkpoint", .unknownReference, "no checkpoint '\(checkpointID)'")
        }
        if let person = lead.person, try await store.entity(Person.self, id: person.rawValue) == nil {
            issues.add("person", .unknownReference, "person '\(person)' is no longer on record")
        }
        if let vehicle = lead.vehicle, try await store.entity(Vehicle.self, id: vehicle.rawValue) == nil {
            issues.add("vehicle", .unknownReference, "vehicle '\(vehicle)' is no longer on record")
        }
        do { try issues.finish() } catch let failure as ValidationFailure { throw Problem.validation(failure) }
        let sighting: Sighting
        do {
            sighting = try Sighting(
                id: SightingID("s-" + id.rawValue),
                observedAt: lead.query.at,
                location: checkpoint!.location,
                person: lead.person,
                vehicle: lead.vehicle,
                source: .checkpoint,
                checkpoint: checkpointID,
                confidence: choice.confidence ?? .medium,
                note: Self.note(lead, extra: choice.note),
                lead: id
            )
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure)
        }
        let used = lead.using(Lead.Use(sighting: sighting.id, at: now(), by: identity.username))
        let receipt = try await store.apply(
            [
                S.write(sighting, operation: .create),
                S.write(used, operation: .replace(expectedRevision: stored.revision)),
            ],
            audit: .init(
                actor: identity.username,
                role: identity.role,
                action: "leads.sighting",
                target: "leads/\(id)",
                address: context.remoteAddress,
                details: .object([
                    "sighting": .string(sighting.id.rawValue),
                    "checkpoint": .string(checkpointID.rawValue),
                ])
            )
        )
        await bus.publish(.sighting(sighting.id.rawValue))
        let revision = receipt.documents.first { $0.kind == .sighting }?.revision ?? 1
        return try HTTPSupport.json(
            sighting,
            status: .created,
            headers: [.eTag: "\"\(revision)\"", .location: "/v1/sightings/\(sighting.id)"]
        )
    }

    /// The body's choices, or none for an empty body.
    static func choice(from request: Request, context: CordonRequestContext, now: Date) async throws -> Choice {
        let contentType = request.headers[.contentType] ?? ""
        let data = try await HTTPSupport.body(of: request, limit: 64 << 10)
        if data.isEmpty { return Choice() }
        if !contentType.isEmpty, !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(
                .unsupportedMediaType,
                type: "unsupported-media-type",
                title: "Send JSON",
                detail: "Content-Type must be application/json"
            )
        }
        return try HTTPSupport.decode(Choice.self, json: data, now: now)
    }

    /// What the sighting says of where it came from: the query, who screened it, the score and why.
    static func note(_ lead: Lead, extra: String?) -> String {
        var text =
            "from lead \(lead.id): \(lead.query.kind.rawValue) \"\(lead.query.text)\" screened by "
            + "\(lead.query.account), score \(lead.score) against \(lead.listed)"
            + (lead.summary.split(separator: "\n").first.map { " (\($0))" } ?? "")
        if let extra { text += "; " + extra }
        return String(text.prefix(2000))
    }
}

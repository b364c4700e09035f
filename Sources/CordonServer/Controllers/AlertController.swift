import CordonAlerts
import CordonCore
import CordonEvents
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The incident's lifecycle and its alerts: confirm and close an incident, compose alerts from it,
/// update and cancel them, read them with their delivery state, as CAP messages and as an Atom feed.
struct AlertController<S: Store>: Sendable {
    let store: S
    let center: AlertCenter<S>
    let bus: any EventBus
    let now: @Sendable () -> Date
    let zone: TimeZone

    // MARK: Bodies

    struct Confirmation: Decodable {
        let persons: [PersonID]
        let vehicles: [VehicleID]
        let kind: Incident.Kind?
        let summary: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case persons, vehicles, kind, summary
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            persons = object.list(.persons, as: PersonID.self)
            vehicles = object.list(.vehicles, as: VehicleID.self)
            kind = object.optional(.kind, as: Incident.Kind.self)
            summary = object.optional(.summary, as: String.self)
            try object.finish()
        }
    }

    struct Closing: Decodable {
        let note: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case note
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            note = object.optional(.note, as: String.self)
            try object.finish()
            if let note {
                var issues = IssueCollector()
                TextRules.check(note, at: "note", maxLength: 2000, allowNewlines: true, into: &issues)
                try issues.finish()
            }
        }
    }

    struct Composition: Decodable {
        let kind: Alert.Kind
        let headline: String?
        let targets: AlertTargeting
        let radiusKM: Double

        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, headline, targets
            case radiusKM = "radius_km"
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let kind = object.required(.kind, as: Alert.Kind.self)
            headline = object.optional(.headline, as: String.self)
            let targets = object.optional(.targets, as: AlertTargeting.self)
            radiusKM = object.optional(.radiusKM, as: Double.self) ?? 50
            try object.finish()
            var issues = IssueCollector()
            if let headline { TextRules.check(headline, at: "headline", maxLength: 300, into: &issues) }
            issues.check(
                radiusKM.isFinite && radiusKM > 0 && radiusKM <= 2000,
                "radius_km",
                .outOfRange,
                "\(radiusKM) must be more than 0 and at most 2000 km"
            )
            issues.check(
                kind != .update && kind != .cancel,
                "kind",
                .notAllowed,
                "compose be_on_lookout or lockdown; update and cancel an alert through its own routes"
            )
            try issues.finish()
            self.kind = kind!
            self.targets = try targets ?? AlertTargeting()
        }
    }

    struct FollowUp: Decodable {
        let headline: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case headline
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            headline = object.optional(.headline, as: String.self)
            try object.finish()
            if let headline {
                var issues = IssueCollector()
                TextRules.check(headline, at: "headline", maxLength: 300, into: &issues)
                try issues.finish()
            }
        }
    }

    /// `POST /v1/alerts/{id}/resend`: an empty object re-sends to every recipient that has not
    /// acknowledged; `recipients` names some (`checkpoints/cp-air-dushanbe`).
    struct Resend: Decodable {
        let recipients: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case recipients
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            recipients = object.optional(.recipients, as: [String].self)
            try object.finish()
            if let recipients {
                var issues = IssueCollector()
                if recipients.count > 1000 {
                    issues.add("recipients", .outOfRange, "at most 1000 recipients")
                }
                for (index, recipient) in recipients.enumerated() {
                    TextRules.check(recipient, at: "recipients.\(index)", maxLength: 200, into: &issues)
                }
                try issues.finish()
            }
        }
    }

    struct Items<Item: Encodable>: Encodable {
        let items: [Item]
    }

    // MARK: Routes

    func register(on router: inout SecuredRouter) {
        let command = router.group(Roles.command)
        let alertReaders = router.group(Roles.alertReaders)
        command.on(.post, "/v1/incidents/{id}/confirm") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try context.parameters.require("id")
            let body = try await HTTPSupport.decode(Confirmation.self, from: request, context: context, now: now())
            guard let stored = try await store.entity(Incident.self, id: id) else {
                throw Problem.notFound("no incidents '\(id)'")
            }
            let incident = stored.entity
            guard incident.status.canChange(to: .confirmed) else {
                throw Problem.conflict("incident '\(id)' is \(incident.status.rawValue) and cannot be confirmed")
            }
            var issues = IssueCollector()
            for (index, person) in body.persons.enumerated()
            where try await store.entity(Person.self, id: person.rawValue) == nil {
                issues.add("persons[\(index)]", .unknownReference, "no person '\(person)' is on the list")
            }
            for (index, vehicle) in body.vehicles.enumerated()
            where try await store.entity(Vehicle.self, id: vehicle.rawValue) == nil {
                issues.add("vehicles[\(index)]", .unknownReference, "no vehicle '\(vehicle)' is on the list")
            }
            do { try issues.finish() } catch let failure as ValidationFailure { throw Problem.validation(failure) }
            let confirmed: Incident
            do {
                confirmed = try Incident(
                    id: incident.id,
                    kind: body.kind ?? (body.persons.isEmpty ? incident.kind : .escape),
                    facility: incident.facility,
                    raisedAt: incident.raisedAt,
                    status: .confirmed,
                    summary: body.summary ?? incident.summary,
                    persons: Array(Set(incident.persons + body.persons)).sorted { $0.rawValue < $1.rawValue },
                    vehicles: Array(Set(incident.vehicles + body.vehicles)).sorted { $0.rawValue < $1.rawValue }
                )
            } catch let failure as ValidationFailure {
                throw Problem.validation(failure)
            }
            let saved = try await store.save(
                confirmed,
                operation: .replace(expectedRevision: stored.revision),
                audit: .init(
                    actor: identity.username,
                    role: identity.role,
                    action: "incidents.confirm",
                    target: "incidents/\(id)",
                    address: context.remoteAddress,
                    details: .object([
                        "kind": .string(confirmed.kind.rawValue),
                        "persons": .number(Double(confirmed.persons.count)),
                        "vehicles": .number(Double(confirmed.vehicles.count)),
                    ])
                )
            )
            await bus.publish(.incidentConfirmed(incident: id, kind: confirmed.kind.rawValue))
            return try HTTPSupport.json(saved.entity, headers: [.eTag: "\"\(saved.revision)\""])
        }

        command.on(.post, "/v1/incidents/{id}/close") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try context.parameters.require("id")
            let body = try await HTTPSupport.decode(Closing.self, from: request, context: context, now: now())
            guard let stored = try await store.entity(Incident.self, id: id) else {
                throw Problem.notFound("no incidents '\(id)'")
            }
            let incident = stored.entity
            guard incident.status.canChange(to: .closed) else {
                throw Problem.conflict("incident '\(id)' is \(incident.status.rawValue) and cannot be closed")
            }
            let closed = try Incident(
                id: incident.id,
                kind: incident.kind,
                facility: incident.facility,
                raisedAt: incident.raisedAt,
                status: .closed,
                summary: incident.summary,
                persons: incident.persons,
                vehicles: incident.vehicles
            )
            let saved = try await store.save(
                closed,
                operation: .replace(expectedRevision: stored.revision),
                audit: .init(
                    actor: identity.username,
                    role: identity.role,
                    action: "incidents.close",
                    target: "incidents/\(id)",
                    address: context.remoteAddress,
                    details: .object(["note": body.note.map(JSONValue.string) ?? .null])
                )
            )
            await bus.publish(.incidentClosed(incident: id))
            return try HTTPSupport.json(saved.entity, headers: [.eTag: "\"\(saved.revision)\""])
        }

        command.on(.post, "/v1/incidents/{id}/alerts") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "incidents", as: IncidentID.self)
            let body = try await HTTPSupport.decode(Composition.self, from: request, context: context, now: now())
            let summary = try await center.compose(
                .init(kind: body.kind, headline: body.headline, targeting: body.targets, radiusKM: body.radiusKM),
                from: id,
                by: identity,
                address: context.remoteAddress
            )
            return try HTTPSupport.json(
                summary,
                status: .created,
                headers: [.location: "/v1/alerts/\(summary.alert.id.rawValue)"]
            )
        }

        alertReaders.on(.get, "/v1/alerts") { request, _, _ in
            try HTTPSupport.allowQuery(request, ["incident", "kind"])
            var filters: [DocumentTag] = []
            if let incident = HTTPSupport.query(request, "incident") {
                filters.append(DocumentTag("incident", incident))
            }
            if let kind = HTTPSupport.query(request, "kind") { filters.append(DocumentTag("kind", kind)) }
            let alerts = try await store.allEntities(Alert.self).filter { alert in
                filters.allSatisfy { alert.tags.contains($0) }
            }
            var summaries: [AlertCenter<S>.Summary] = []
            for alert in alerts.sorted(by: { ($0.sentAt, $0.id.rawValue) > ($1.sentAt, $1.id.rawValue) }) {
                if let summary = try await center.summary(of: alert.id) { summaries.append(summary) }
            }
            return try HTTPSupport.json(Items(items: summaries))
        }

        alertReaders.on(.get, "/v1/alerts.atom") { request, _, _ in
            try HTTPSupport.allowQuery(request, [])
            let messages = try await store.allEntities(AlertMessage.self)
                .filter { $0.messageType != "Ack" }
                .sorted { ($0.sent, $0.id) > ($1.sent, $1.id) }
            let feed = AtomFeed.render(messages, updated: messages.first?.sent ?? now(), zone: zone)
            return Response(
                status: .ok,
                headers: [.contentType: "application/atom+xml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: feed))
            )
        }

        alertReaders.on(.get, "/v1/alerts/{id}.cap") { request, context, _ in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "alerts", as: AlertID.self)
            guard let message = try await store.entity(AlertMessage.self, id: AlertMessage.identifier(of: id)) else {
                throw Problem.notFound("no CAP message for alert '\(id)'")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/cap+xml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: message.entity.xml))
            )
        }

        alertReaders.on(.get, "/v1/alerts/{id}") { request, context, _ in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "alerts", as: AlertID.self)
            guard let summary = try await center.summary(of: id) else { throw Problem.notFound("no alerts '\(id)'") }
            return try HTTPSupport.json(summary)
        }

        command.on(.get, "/v1/alerts/{id}/deliveries") { request, context, _ in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "alerts", as: AlertID.self)
            guard try await store.entity(Alert.self, id: id.rawValue) != nil else {
                throw Problem.notFound("no alerts '\(id)'")
            }
            return try HTTPSupport.json(Items(items: await center.deliveries(of: id)))
        }

        command.on(.post, "/v1/alerts/{id}/resend") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "alerts", as: AlertID.self)
            let body = try await HTTPSupport.decode(Resend.self, from: request, context: context, now: now())
            guard try await store.entity(Alert.self, id: id.rawValue) != nil else {
                throw Problem.notFound("no alerts '\(id)'")
            }
            do {
                let results = try await center.resend(
                    id,
                    to: body.recipients.map(Set.init),
                    by: identity,
                    address: context.remoteAddress
                )
                return try HTTPSupport.json(Items(items: results))
            } catch let error as FrameError {
                throw Problem.validation(
                    ValidationFailure(path: error.field ?? "recipients", reason: .unknownCode, message: error.message)
                )
            }
        }

        for (verb, kind) in [("update", Alert.Kind.update), ("cancel", .cancel)] {
            command.on(.post, "/v1/alerts/{id}/\(verb)") { request, context, identity in
                try HTTPSupport.allowQuery(request, [])
                let id = try HTTPSupport.identifier(context, "alerts", as: AlertID.self)
                let body = try await HTTPSupport.decode(FollowUp.self, from: request, context: context, now: now())
                let summary = try await center.follow(
                    id,
                    kind: kind,
                    headline: body.headline,
                    by: identity,
                    address: context.remoteAddress
                )
                return try HTTPSupport.json(
                    summary,
                    status: .created,
                    headers: [.location: "/v1/alerts/\(summary.alert.id.rawValue)"]
                )
            }
        }
    }
}

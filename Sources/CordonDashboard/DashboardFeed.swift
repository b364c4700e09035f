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
import ServiceLifecycle

/// The dashboard's live feed: server-sent events (`text/event-stream`) made from the operations
/// events the services publish, filtered by the reader's role and written in their zone.
///
/// Each event is `event: <type>` and one JSON `data:` line. `item` is a timeline line, already
/// rendered; `delivery` a recipient's new state for an alert; `point` a sighting for the map;
/// `person` a new status; `post` a check-in. A comment line every ``checkInterval`` (15 seconds in
/// service) keeps proxies from closing a quiet stream, after the session was checked again: a stream
/// whose session was revoked or expired ends. The browser reconnects by itself after 3 seconds when
/// the stream drops, and the stream ends when the server shuts down.
struct DashboardFeed<S: Store>: Sendable {
    let data: DashboardData<S>
    let renderer: DashboardRenderer
    let now: @Sendable () -> Date
    /// How often a keep-alive line is written and the session checked again.
    let checkInterval: Duration

    /// The feed's response; `hold` counts it against its account until the stream ends (or is never written).
    func response(for identity: Identity, clock: DashboardClock, hold: StreamQuota.Hold) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let data = self.data
        let feed = self
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                defer { hold.release() }
                let subscription = await data.bus.subscribe()
                let (lines, line) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(500))
                try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await record in subscription.events.cancelOnGracefulShutdown() {
                            if let event = await feed.event(from: record, for: identity.role, clock: clock) {
                                line.yield(event)
                            }
                        }
                        line.finish()
                    }
                    group.addTask {
                        // A stream opened with a session that is later revoked, or that expires,
                        // ends: the browser's reconnection is then refused.
                        while !Task.isCancelled {
                            do { try await Task.sleep(for: feed.checkInterval) } catch { return }
                            guard await feed.isValid(identity) else {
                                line.finish()
                                return
                            }
                            line.yield(": keep-alive\n\n")
                        }
                    }
                    for await text in lines.cancelOnGracefulShutdown() {
                        do { try await writer.write(ByteBuffer(string: text)) } catch { break }
                    }
                    group.cancelAll()
                }
                await data.bus.unsubscribe(subscription.id)
                try? await writer.finish(nil)
            }
        )
    }

    /// Whether the session behind a stream still holds: token not revoked or expired, account enabled.
    func isValid(_ identity: Identity) async -> Bool {
        guard let record = try? await data.store.token(hash: identity.tokenHash), record.isValid(at: now()),
            let account = try? await data.store.account(username: identity.username), !account.isDisabled
        else { return false }
        return true
    }

    /// Turns one operations event into what this reader may see, or nil.
    func event(from record: EventRecord, for role: Role, clock: DashboardClock) async -> String? {
        let event = record.event
        let type = event.type
        var payload: [String: Any] = ["type": type]
        do {
            switch type {
            case "incident_raised", "incident_confirmed", "incident_closed", "incident_escalated":
                guard DashboardVisibility.incidents.contains(role), let id = event.incident,
                    let incident = try await data.store.entity(Incident.self, id: id)?.entity
                else { return nil }
                var item = data.item(incident, clock: clock)
                if type != "incident_raised" {
                    let at = now()
                    item = TimelineItem(
                        id: "tl-\(type)-\(id)-\(Int(at.timeIntervalSince1970))",
                        at: at,
                        iso: clock.iso(at),
                        time: clock.time(at),
                        kind: "incident",
                        label: "Incident " + type.dropFirst("incident_".count),
                        text: incident.summary
                    )
                }
                payload["item"] = rendered(item)
            case "alert_sent":
                guard DashboardVisibility.alerts.contains(role), let id = event.alert,
                    let alert = try await data.store.entity(Alert.self, id: id)?.entity
                else { return nil }
                payload["item"] = rendered(data.item(alert, clock: clock))
                if DashboardVisibility.deliveries.contains(role) {
                    let view = await data.alertView(
                        alert,
                        names: try await data.recipientNames(),
                        clock: clock,
                        canResend: true
                    )
                    payload["alert"] = [
                        "id": id, "headline": alert.headline, "html": renderer.render("alert-block", view),
                    ]
                    payload["checkpoints"] = alert.checkpoints.map { "checkpoints/\($0.rawValue)" }
                }
            case "delivered", "acknowledged", "escalation":
                guard DashboardVisibility.deliveries.contains(role), let alert = event.alert,
                    let recipient = event.recipient, let alertID = try? AlertID(alert),
                    let delivery = await data.alerts.deliveries(of: alertID).first(where: { $0.recipient == recipient })
                else { return nil }
                let names = try await data.names(forRecipient: recipient)
                let row = DashboardData<S>.deliveryRow(delivery, name: names.recipient(recipient), clock: clock)
                payload["delivery"] = [
                    "alert": alert, "recipient": recipient, "state": row.state, "state_label": row.stateLabel,
                    "since": row.since, "since_iso": row.sinceISO, "sends": row.sends, "by": row.by,
                    "html": renderer.render("delivery-row", row),
                ]
                if type == "acknowledged", let item = data.item(acknowledged: delivery, names: names, clock: clock) {
                    payload["item"] = rendered(item)
                }
            case "sighting":
                guard DashboardVisibility.sightings.contains(role), let id = event.sighting,
                    let sighting = try await data.store.entity(Sighting.self, id: id)?.entity
                else { return nil }
                let names = try await data.names(for: sighting)
                payload["item"] = rendered(data.item(sighting, names: names, clock: clock))
                let point = data.sightingPoint(sighting, names: names, clock: clock)
                payload["point"] = [
                    "id": point.id, "x": point.x, "y": point.y, "kind": point.kind, "state": point.state,
                    "label": point.label,
                ]
                if let person = sighting.person {
                    payload["person"] = [
                        "id": person.rawValue,
                        "last_sighting": "\(clock.time(sighting.observedAt)): "
                            + data.describe(sighting, names: names),
                    ]
                }
            case "status_changed":
                guard DashboardVisibility.incidents.contains(role), let id = event.person,
                    let person = try await data.store.entity(Person.self, id: id)?.entity,
                    let change = person.wanted?.history.last
                else { return nil }
                if let item = data.statusItems(person, clock: clock).first(where: { $0.at == change.at }) {
                    payload["item"] = rendered(item)
                }
                payload["person"] = [
                    "id": id, "status": change.status.rawValue, "status_label": change.status.description,
                    "since": clock.time(change.at), "since_iso": clock.iso(change.at),
                    "choices": WantedStatus.allCases.filter { change.status.canChange(to: $0) }.map {
                        ["value": $0.rawValue, "label": $0.description]
                    },
                ]
            case "lead":
                guard DashboardVisibility.leads.contains(role), let id = event.lead,
                    let lead = try await data.store.entity(Lead.self, id: id)?.entity
                else { return nil }
                var checkpoint: Checkpoint?
                if let id = lead.query.checkpoint {
                    checkpoint = try await data.store.entity(Checkpoint.self, id: id.rawValue)?.entity
                }
                let choices = try await data.leadChoices(
                    lead,
                    checkpoints: try await data.store.allEntities(Checkpoint.self)
                )
                payload["item"] = rendered(data.item(lead, checkpoint: checkpoint, choices: choices, clock: clock))
            case "check_in", "check_in_resumed":
                guard DashboardVisibility.custody.contains(role), let post = event.post else { return nil }
                var entry: [String: Any] = ["id": post]
                if let due = event.nextDue {
                    entry["due"] = clock.time(due)
                    entry["due_iso"] = clock.iso(due)
                    entry["state"] = "on_watch"
                    entry["state_label"] = "on watch"
                }
                payload["post"] = entry
            case "mention":
                guard DashboardVisibility.sightings.contains(role), case .mention(let mention) = event else {
                    return nil
                }
                let at = record.at
                let name = try await data.store.entity(Person.self, id: mention.entity)?.entity.name.fullName
                payload["item"] = rendered(
                    TimelineItem(
                        id: "tl-mention-\(mention.entity)-\(mention.item.hashValue & 0xFFFF_FFFF)",
                        at: at,
                        iso: clock.iso(at),
                        time: clock.time(at),
                        kind: "mention",
                        label: "Named in a feed",
                        text: "\(name ?? mention.entity) — «\(mention.text)» in “\(mention.title)” (\(mention.feed))"
                    )
                )
            default:
                return nil
            }
        } catch {
            return nil
        }
        guard let json = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]) else {
            return nil
        }
        return "event: \(type)\ndata: \(String(decoding: json, as: UTF8.self))\n\n"
    }

    private func rendered(_ item: TimelineItem) -> [String: Any] {
        ["id": item.id, "iso": item.iso, "html": renderer.render("timeline-item", item)]
    }
}

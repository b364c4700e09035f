import CordonCheckpoint
import CordonCore
import CordonDemo
import CordonEvents
import CordonServer
import CordonStore
import Foundation
import Synchronization

/// Plays ``DemoStory``'s steps against a running server: headquarters and custody staff through the
/// API with their own accounts; each checkpoint over its own alert stream (a real client connects,
/// confirms receipt or has its officer acknowledge with a pass, and disconnects); the timeline's
/// historical events straight into the store (there is no route for the record of the past). Up to a
/// moment, the clock jumps from step to step; live, it runs fast and each step waits for its instant.
struct DemoDirector<S: Store> {
    let story: DemoStory
    let http: DemoHTTP
    let tokens: DemoSessions
    let store: S
    let clock: DemoClock

    /// What the director learnt while playing: the incident Cordon raised, the alert being answered,
    /// the passes of the officers at the checkpoints.
    private final class Progress: @unchecked Sendable {
        var incident: String?
        var alert: String?
        var passes: [String: String] = [:]
    }

    /// Plays every step up to `moment`, the clock jumping to each; then the clock reads `resume`.
    func fastForward(to moment: Date, resume: Date) async throws {
        let progress = Progress()
        for step in story.steps(until: moment) {
            clock.jump(to: step.at)
            try await perform(step, progress)
        }
        clock.jump(to: resume)
    }

    /// Plays every step when the clock reaches it, the clock running at `rate` in between and at real
    /// time while a step is carried out (a check-in's password hash takes real time, which at a fast
    /// rate would be minutes of the night; stopped, the engines' own waits would never end).
    func live(rate: Double) async throws {
        let progress = Progress()
        for step in story.steps {
            while clock.now < step.at {
                let real = step.at.timeIntervalSince(clock.now) / max(clock.rate, 1)
                try await Task.sleep(for: .seconds(min(max(real, 0.001), 0.5)))
            }
            clock.setRate(1)
            defer { clock.setRate(rate) }
            try await perform(step, progress)
        }
    }

    private func perform(_ step: DemoStory.Step, _ progress: Progress) async throws {
        let (commander, custody) = (try await tokens.token(.commander), try await tokens.token(.custodyOfficer))
        switch step.action {
        case .setCodes(let post, let code, let duress):
            try await http.expect(
                200,
                "PUT",
                "/v1/posts/\(post.rawValue)/codes",
                token: commander,
                json: ["code": code, "duress_code": duress]
            )
        case .checkIn(let post, let code):
            try await http.expect(
                201,
                "POST",
                "/v1/posts/\(post.rawValue)/check-ins",
                token: custody,
                json: ["code": code]
            )
        case .issue(let facility, let item, let staff):
            try await http.expect(
                201,
                "POST",
                "/v1/facilities/\(facility.rawValue)/armory",
                token: custody,
                json: ["event": "issue", "serial": item, "staff": staff.rawValue]
            )
        case .count(let facility, let found):
            try await http.expect(
                201,
                "POST",
                "/v1/facilities/\(facility.rawValue)/armory",
                token: custody,
                json: ["event": "count", "found": found]
            )
        case .missedCheckIn(let post):
            let incident = try await waitForIncident(at: post, token: commander)
            if progress.incident == nil { progress.incident = incident }
            // The watch's other rules (a block left unmanned) follow on the same tick.
            try await Task.sleep(for: .milliseconds(300))
        case .declare(let persons, let vehicles, let summary, let headline):
            guard let incident = progress.incident else { throw DemoError("no missed check-in to declare") }
            try await http.expect(
                200,
                "POST",
                "/v1/incidents/\(incident)/confirm",
                token: commander,
                json: [
                    "kind": "escape", "persons": persons.map(\.rawValue), "vehicles": vehicles.map(\.rawValue),
                    "summary": summary,
                ]
            )
            let escaped = Set(persons)
            for person in try story.persons(at: step.at) where escaped.contains(person.id) {
                try await http.expect(
                    200,
                    "PUT",
                    "/v1/persons/\(person.id.rawValue)",
                    token: commander,
                    json: try Self.json(person)
                )
            }
            try await compose(["kind": "be_on_lookout", "headline": headline], incident: incident, progress)
        case .compose(_, let kind, let headline, let checkpoints):
            guard let incident = progress.incident else { throw DemoError("no incident to alert on") }
            try await compose(
                ["kind": kind.rawValue, "headline": headline, "targets": ["checkpoints": checkpoints.map(\.rawValue)]],
                incident: incident,
                progress
            )
        case .update(_, let headline):
            guard let alert = progress.alert else { return }
            let answer = try await http.expect(
                201,
                "POST",
                "/v1/alerts/\(alert)/update",
                token: commander,
                json: ["headline": headline]
            )
            try await follow(answer, progress)
        case .deliver(let checkpoint, let acknowledged):
            guard let alert = progress.alert else { return }
            let pass = acknowledged ? try await pass(for: checkpoint, progress) : nil
            try await answer(alert, at: checkpoint, acknowledgingWith: pass)
        case .sighting(let sighting):
            try await http.expect(201, "POST", "/v1/sightings", token: commander, json: try Self.json(sighting))
        case .status(let person, let status, let note):
            var body: [String: Any] = [
                "status": status.rawValue, "at": Instant.format(step.at, in: story.scenario.timeZone),
            ]
            if let note { body["note"] = note }
            try await http.expect(200, "POST", "/v1/persons/\(person.rawValue)/status", token: commander, json: body)
        case .event(let event):
            _ = try await store.apply(
                [try S.write(event, operation: .upsert)],
                audit: .init(actor: "system", action: "demo.event", target: "events/\(event.id.rawValue)")
            )
        }
    }

    /// Composes an alert on the incident and learns its recipients' places in their outboxes.
    private func compose(_ body: [String: Any], incident: String, _ progress: Progress) async throws {
        let answer = try await http.expect(
            201,
            "POST",
            "/v1/incidents/\(incident)/alerts",
            token: try await tokens.token(.commander),
            json: body
        )
        try await follow(answer, progress)
    }

    private func follow(_ answer: [String: Any], _ progress: Progress) async throws {
        guard let alert = (answer["alert"] as? [String: Any])?["id"] as? String else {
            throw DemoError("an alert was composed without an id: \(answer)")
        }
        progress.alert = alert
    }

    /// The pass headquarters issues to the officer on duty at `checkpoint` (once).
    private func pass(for checkpoint: CheckpointID, _ progress: Progress) async throws -> String {
        if let pass = progress.passes[checkpoint.rawValue] { return pass }
        let name = story.scenario.checkpoints.first { $0.id == checkpoint }?.name ?? checkpoint.rawValue
        let issued = try await http.expect(
            201,
            "POST",
            "/v1/credentials",
            token: try await tokens.token(.commander),
            json: [
                "name": "Officer on duty, \(name)".prefix(100).description,
                "service_number": "DEMO-\(progress.passes.count + 1)",
                "unit": checkpoint.rawValue,
                "role": "checkpoint_officer",
            ]
        )
        guard let pass = issued["token"] as? String else { throw DemoError("no pass for the officer at \(checkpoint)") }
        progress.passes[checkpoint.rawValue] = pass
        return pass
    }

    /// The checkpoint's client connects, takes `alert` (confirming its receipt), has its officer
    /// acknowledge it when a pass is given, and disconnects; within 15 seconds.
    private func answer(_ alert: String, at checkpoint: CheckpointID, acknowledgingWith pass: String?) async throws {
        let client = try AlertStreamClient(
            configuration: .init(
                server: http.base,
                path: "/v1/checkpoints/\(checkpoint.rawValue)/stream",
                token: try await tokens.token(.checkpointOfficer),
                automaticAcknowledgement: .none,
                device: "demo",
                reconnect: .init(initial: .milliseconds(100), maximum: .seconds(1))
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await client.run { event in
                    switch event {
                    case .alert(let frame, _) where frame.content.alert.id.rawValue == alert:
                        guard let pass else { return .finish }
                        client.acknowledge(alert: alert, note: nil, pass: pass)
                        return .proceed
                    case .acknowledged(let acknowledged, _) where acknowledged == alert:
                        return .finish
                    default:
                        return .proceed
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(15))
                throw DemoError("\(checkpoint) did not get alert \(alert) within 15 s")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Waits (up to 20 s) for the custody watch to raise the missed check-in of `post`.
    private func waitForIncident(at post: GuardPostID, token: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let answer = try await http.expect(200, "GET", "/v1/incidents?limit=100", token: token)
            for item in answer["items"] as? [[String: Any]] ?? [] {
                if let id = item["id"] as? String, id.hasSuffix("-" + post.rawValue) { return id }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DemoError("the custody watch raised no missed check-in at \(post) within 20 s")
    }

    static func json(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder.cordon().encode(value))
    }
}

/// The demo accounts the director acts as: each signs in again once its token is an hour old on the
/// night's clock (which may jump hours ahead, past a token's life).
final class DemoSessions: Sendable {
    let http: DemoHTTP
    let clock: DemoClock
    let passwords: [Role: String]
    private let held = Mutex<[Role: (token: String, since: Date)]>([:])

    init(http: DemoHTTP, clock: DemoClock, passwords: [Role: String]) {
        self.http = http
        self.clock = clock
        self.passwords = passwords
    }

    func token(_ role: Role) async throws -> String {
        if let session = held.withLock({ $0[role] }), clock.now.timeIntervalSince(session.since) < 3600 {
            return session.token
        }
        let username = "demo-" + role.rawValue.replacingOccurrences(of: "_", with: "-")
        let token = try await http.token(username, passwords[role] ?? "")
        held.withLock { $0[role] = (token, clock.now) }
        return token
    }
}

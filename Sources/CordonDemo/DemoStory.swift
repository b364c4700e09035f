public import CordonCore
public import Foundation

/// The demo's night as Cordon would have lived it: the one source of what happens when, used by
/// `cordon serve --demo` (which plays it up to a chosen moment, or live), `cordon demo` and the tests.
///
/// The scenario is the historical record; the story adds what Cordon does with it. At 22:00 the posts
/// of the facilities get their codes and the guards on duty draw their sidearms, radios and keys; at
/// 22:10 every post checks in; from 22:20 the ward's posts are silent (the guards are overpowered).
/// Cordon's custody watch raises the missed check-in when the first grace runs out; two minutes later
/// the commander declares the escape, puts the escaped inmates on the wanted list and sends a
/// be-on-the-lookout to every checkpoint. Most checkpoints acknowledge within a minute, a few only confirm receipt, a few
/// stay silent (and are escalated). The ward's armory is counted five minutes after the weapons
/// were taken: what the fugitives took is missing. The Ministry of Justice's outer post checks in on schedule until it is
/// attacked at 01:10. The scenario's later alerts, sightings and the capture follow at their times.
public struct DemoStory: Sendable {
    /// One thing that happens, at an instant of the night.
    public struct Step: Sendable, Hashable {
        public let at: Date
        public let action: Action
    }

    /// What happens.
    public enum Action: Sendable, Hashable {
        /// A post gets its check-in and duress codes and goes on watch.
        case setCodes(post: GuardPostID, code: String, duressCode: String)
        /// A post checks in with its code.
        case checkIn(post: GuardPostID, code: String)
        /// An armory item is issued to a member of staff (by serial, or identifier when it has none).
        case issue(facility: FacilityID, item: String, staff: StaffID)
        /// The custody watch raises the missed check-in by itself; the story waits for it.
        case missedCheckIn(post: GuardPostID)
        /// The commander confirms the first missed check-in as an escape, the escaped are put on the
        /// wanted list, and a be-on-the-lookout goes to every checkpoint.
        case declare(persons: [PersonID], vehicles: [VehicleID], summary: String, headline: String)
        /// Headquarters composes one of the scenario's alerts (be-on-the-lookout) to its checkpoints.
        case compose(alert: AlertID, kind: Alert.Kind, headline: String, checkpoints: [CheckpointID])
        /// Headquarters updates the last alert composed.
        case update(alert: AlertID, headline: String)
        /// A checkpoint's client confirms receiving the latest alert, or its officer acknowledges it.
        case deliver(checkpoint: CheckpointID, acknowledged: Bool)
        /// An armory count: the items found.
        case count(facility: FacilityID, found: [String])
        /// A sighting is reported.
        case sighting(Sighting)
        /// A wanted person's status changes (a capture).
        case status(person: PersonID, status: WantedStatus, note: String?)
        /// One of the scenario's timeline events becomes known (it is written to the timeline).
        case event(TimelineEvent)
    }

    /// The scenario, its instants as given.
    public let scenario: Scenario
    /// Where the night starts: 22:00, the shift's codes.
    public let start: Date
    /// When Cordon raises the missed check-in.
    public let missedAt: Date
    /// When the commander declares the escape and the be-on-the-lookout goes out.
    public let declaredAt: Date
    /// When the ward's armory is counted after the escape.
    public let countedAt: Date
    /// Every step, in order of time.
    public let steps: [Step]

    /// The ward whose posts fall silent.
    public static let ward = FacilityID(rawValue: "fac-gknb-ward")!
    /// The seconds after the night's start at which every post checks in, before the silence.
    public static let checkIn = 10.0 * 60
    /// The seconds after the night's start from which the ward's posts are silent.
    public static let silence = 20.0 * 60

    /// The codes each post is given at the start of the night.
    public var codes: [GuardPostID: (code: String, duressCode: String)] {
        var codes: [GuardPostID: (code: String, duressCode: String)] = [:]
        for step in steps {
            if case .setCodes(let post, let code, let duress) = step.action { codes[post] = (code, duress) }
        }
        return codes
    }

    /// The declaration: what the commander confirms the escape with and the alert's headline.
    public var declaration: (summary: String, headline: String)? {
        for step in steps {
            if case .declare(_, _, let summary, let headline) = step.action { return (summary, headline) }
        }
        return nil
    }

    /// Builds the story from a scenario whose night starts at `start`: by default 22:00, in the
    /// scenario's zone, on the evening of its first timeline event (a scenario moved in time passes the
    /// start moved with it).
    ///
    /// - Throws: ``DemoStoryError`` when the scenario lacks the ward, its escape or its checkpoints.
    public init(scenario: Scenario, start: Date? = nil) throws {
        self.scenario = scenario
        guard let escape = scenario.incidents.first(where: { $0.kind == .escape }),
            let ward = scenario.facilities.first(where: { $0.id == Self.ward }),
            let firstEvent = scenario.events.map(\.at).min()
        else { throw DemoStoryError("the scenario has no escape, no ward '\(Self.ward)' or no timeline") }
        // 22:00 on the evening of the first event, in the scenario's zone.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = scenario.timeZone
        let start = start ?? calendar.startOfDay(for: firstEvent).addingTimeInterval(22 * 3600)
        self.start = start
        var steps: [Step] = []
        var codes: [GuardPostID: String] = [:]
        let watched = scenario.facilities.filter { !$0.posts.isEmpty }
        for (index, post) in watched.flatMap(\.posts).enumerated() {
            codes[post.id] = String(4470 + index)
            steps.append(
                Step(
                    at: start,
                    action: .setCodes(post: post.id, code: codes[post.id]!, duressCode: String(7740 + index))
                )
            )
        }
        // The guards on duty draw what their post carries: sidearms and radios, the corridors' keys.
        steps += Self.issues(in: ward, staff: scenario.staff, at: start.addingTimeInterval(5 * 60))
        // Every post checks in at 22:10; the ward's fall silent, the others check in on their schedule
        // until their facility is attacked.
        let attack = scenario.events.first { $0.kind == .postAttacked }
        var deadlines: [(at: Date, post: GuardPostID)] = []
        for facility in watched {
            for post in facility.posts {
                let interval = TimeInterval(post.checkInIntervalMinutes * 60)
                var at = start.addingTimeInterval(Self.checkIn)
                let stop =
                    facility.id == ward.id
                    ? start.addingTimeInterval(Self.silence)
                    : (attack?.facility == facility.id ? attack!.at : start.addingTimeInterval(12 * 3600))
                var last = at
                while at < stop {
                    steps.append(Step(at: at, action: .checkIn(post: post.id, code: codes[post.id]!)))
                    last = at
                    at = at.addingTimeInterval(interval)
                }
                // A post that falls silent before the night is out misses its next check-in.
                if at < start.addingTimeInterval(12 * 3600) {
                    deadlines.append(
                        (last.addingTimeInterval(interval + TimeInterval(post.graceMinutes * 60)), post.id)
                    )
                }
            }
        }
        let wardPosts = Set(ward.posts.map(\.id))
        guard let first = deadlines.filter({ wardPosts.contains($0.post) }).min(by: { $0.at < $1.at }) else {
            throw DemoStoryError("the ward has no posts")
        }
        missedAt = first.at
        declaredAt = missedAt.addingTimeInterval(2 * 60)
        for deadline in deadlines { steps.append(Step(at: deadline.at, action: .missedCheckIn(post: deadline.post))) }
        steps.append(
            Step(
                at: declaredAt,
                action: .declare(
                    persons: escape.persons,
                    vehicles: escape.vehicles,
                    summary: "Escape from \(ward.name): \(escape.persons.count) inmates, armed, in camouflage",
                    headline: "Armed escape from \(ward.name): \(escape.persons.count) men, "
                        + "\(escape.vehicles.count) vehicles; stop and search every vehicle leaving"
                )
            )
        )
        steps += Self.deliveries(of: scenario.checkpoints.map(\.id), sentAt: declaredAt)
        // The ward's duty officer counts the armory once the escape is declared and the weapons are gone.
        let weapons = scenario.events.first { $0.kind == .weaponsTaken }?.at ?? declaredAt
        countedAt = max(declaredAt, weapons).addingTimeInterval(5 * 60)
        steps.append(Step(at: countedAt, action: .count(facility: ward.id, found: Self.found(in: ward, after: steps))))
        steps += Self.laterSteps(of: scenario, after: declaredAt)
        for event in scenario.events { steps.append(Step(at: event.at, action: .event(event))) }
        // Stable order: by time, then as written.
        self.steps = steps.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
    }

    /// The default moment of `serve --demo`: soon after the alert went out, most checkpoints having
    /// acknowledged it and the armory counted.
    public var defaultMoment: Date { countedAt.addingTimeInterval(3 * 60) }

    /// The steps up to and including `moment`.
    public func steps(until moment: Date) -> [Step] { steps.filter { $0.at <= moment } }

    /// Reads a moment of the night given as `HH:MM` (22:00–23:59 on the evening of the escape, 00:00–21:59
    /// on the days after it, from the first: `01:30`, or `+1 09:00` for the day after) or as a full
    /// instant (`2010-08-23T01:30:00+05:00`).
    ///
    /// - Returns: nil for text of neither form.
    public func moment(_ text: String) -> Date? {
        if let instant = Instant.parse(text) { return instant }
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var extraDays = 0
        if rest.hasPrefix("+"), let space = rest.firstIndex(of: " "),
            let days = Int(rest.dropFirst().prefix(upTo: space))
        {
            guard (0...10).contains(days) else { return nil }
            extraDays = days
            rest = rest[space...].drop { $0 == " " }
        }
        let parts = rest.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        let offset = TimeInterval(hour * 3600 + minute * 60) - 22 * 3600
        // Before 22:00 means the morning after.
        let base = start.addingTimeInterval(offset < 0 ? offset + 86_400 : offset)
        return base.addingTimeInterval(TimeInterval(extraDays * 86_400))
    }
}

/// A scenario the story cannot be told from.
public struct DemoStoryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

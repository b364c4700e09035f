public import Foundation

/// The check-in schedule of one guard post, as a pure state machine.
///
/// A post must check in every ``interval``; a check-in that has not come ``grace`` after it fell due
/// is missed. The schedule never reads a clock: the driver feeds it ``Event/checkIn(at:duress:)`` when
/// the post checks in and ``Event/tick(at:)`` when it wakes, and sleeps until ``deadline`` in between,
/// so a missed check-in is noticed the moment the grace period runs out rather than at the next poll.
///
/// The first missed check-in raises an incident; the second escalates it. A duress check-in — a code
/// that looks normal to an onlooker, recognised by the caller — resets the schedule like any other
/// check-in, so nothing changes for whoever is watching the officer, and escalates at once.
///
/// ```swift
/// var schedule = CheckInSchedule(post: post, startingAt: shiftStart)
/// // sleep until schedule.deadline, then:
/// switch schedule.event(.tick(at: now)) { … }
/// ```
public struct CheckInSchedule: Sendable, Hashable {
    /// What happens to the schedule.
    public enum Event: Sendable, Hashable {
        /// The post checked in at an instant; `duress` is true when the caller recognised the duress code.
        case checkIn(at: Date, duress: Bool)
        /// The driver woke at an instant: at or after ``CheckInSchedule/deadline``, or for any other reason.
        case tick(at: Date)
    }

    /// Why an incident is escalated.
    public enum Escalation: String, Sendable, Hashable {
        /// The post missed a second check-in in a row.
        case secondMiss = "second_miss"
        /// The post checked in with its duress code.
        case duress
    }

    /// What the driver must do after an event.
    public enum Action: Sendable, Hashable {
        /// Nothing: the post is on schedule, or the miss was already acted on.
        case none
        /// Raise an incident: the post missed a check-in.
        case raiseIncident(IncidentDraft)
        /// Escalate the post's open incident, raising one first if there is none.
        case escalate(Escalation, IncidentDraft)
        /// The post checked in again after missing `missed` check-ins; the incident stays open until a
        /// person closes it.
        case resumed(missed: Int)
        /// The event was refused and changed nothing: a check-in older than the last one.
        case refused(reason: String)
    }

    /// The post the schedule watches.
    public let post: GuardPostID
    /// The post's facility, carried into the incidents it raises.
    public let facility: FacilityID?
    /// The post's name, for incident summaries.
    public let postName: String
    /// Time between check-ins.
    public let interval: TimeInterval
    /// Time after a check-in falls due before it counts as missed.
    public let grace: TimeInterval
    /// The last check-in, or the start of the schedule.
    public private(set) var lastCheckIn: Date
    /// How many check-ins in a row have been missed since ``lastCheckIn``.
    public private(set) var missed: Int = 0

    /// Creates the schedule of a post, counting from `start` as if the post had checked in then.
    ///
    /// - Parameters:
    ///   - post: the post, with its interval and grace.
    ///   - facility: the facility the post belongs to.
    ///   - start: when the watch begins (the start of the shift).
    public init(post: GuardPost, facility: FacilityID? = nil, startingAt start: Date) {
        self.post = post.id
        self.facility = facility
        self.postName = post.name
        self.interval = TimeInterval(post.checkInIntervalMinutes * 60)
        self.grace = TimeInterval(post.graceMinutes * 60)
        self.lastCheckIn = start
    }

    /// The instant the next check-in counts as missed: the last check-in plus one interval per
    /// check-in already missed, plus one more interval, plus the grace.
    ///
    /// A driver sleeps until this instant and then sends ``Event/tick(at:)``.
    public var deadline: Date {
        lastCheckIn.addingTimeInterval(interval * Double(missed + 1) + grace)
    }

    /// Whether the post has missed its latest check-in.
    public var isOverdue: Bool { missed > 0 }

    /// Applies an event.
    ///
    /// - Returns: what the driver must do. A tick that passes several deadlines at once (the driver
    ///   slept through them) reports the state reached: two misses escalate.
    public mutating func event(_ event: Event) -> Action {
        switch event {
        case .checkIn(let instant, let duress):
            guard instant >= lastCheckIn else {
                return .refused(
                    reason: "check-in at \(instant) is older than the last one at \(lastCheckIn) for post '\(post)'"
                )
            }
            let wasMissed = missed
            lastCheckIn = instant
            missed = 0
            if duress {
                return .escalate(
                    .duress,
                    draft(.duress, at: instant, "\(postName) checked in with the duress code")
                )
            }
            return wasMissed > 0 ? .resumed(missed: wasMissed) : .none
        case .tick(let instant):
            var reached = missed
            while instant >= lastCheckIn.addingTimeInterval(interval * Double(reached + 1) + grace) {
                reached += 1
                if reached >= 2 { break }
            }
            guard reached > missed else { return .none }
            let before = missed
            missed = reached
            // Keep counting further misses without acting on them again.
            while missed >= 2, instant >= deadline { missed += 1 }
            let due = lastCheckIn.addingTimeInterval(interval * Double(reached) + grace)
            if reached >= 2, before < 2 {
                return .escalate(
                    .secondMiss,
                    draft(.missedCheckIn, at: due, "\(postName) missed \(reached) check-ins in a row")
                )
            }
            if reached == 1 {
                return .raiseIncident(
                    draft(
                        .missedCheckIn,
                        at: due,
                        "\(postName) missed its check-in due \(Int(interval / 60)) minutes after the last one"
                    )
                )
            }
            return .none
        }
    }

    private func draft(_ kind: Incident.Kind, at instant: Date, _ summary: String) -> IncidentDraft {
        IncidentDraft(kind: kind, facility: facility, raisedAt: instant, summary: summary)
    }
}

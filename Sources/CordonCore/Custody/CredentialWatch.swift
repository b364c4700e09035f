public import Foundation

/// Watches for a post that stops checking in while its officer's credential is used somewhere else.
///
/// An officer overpowered at their post may have their keys and pass taken; the first sign outside can
/// be the pass opening a door the officer never goes to. The driver reports each missed and resumed
/// check-in of a post and each use of a credential; when a post is overdue and its officer's
/// credential is used anywhere but at that post — after the post's last check-in — the watch raises
/// an incident, once per overdue spell.
public struct CredentialWatch: Sendable, Hashable {
    /// Where a credential was used.
    public enum Place: Sendable, Hashable, CustomStringConvertible {
        /// At a guard post.
        case post(GuardPostID)
        /// Elsewhere: a door, a gate reader, a terminal.
        case other(String)

        public var description: String {
            switch self {
            case .post(let post): return "post '\(post)'"
            case .other(let name): return name
            }
        }
    }

    /// What happens.
    public enum Event: Sendable, Hashable {
        /// A post missed its check-in (its ``CheckInSchedule`` raised or escalated).
        case postMissed(GuardPostID, at: Date)
        /// A post checked in.
        case postCheckedIn(GuardPostID, at: Date)
        /// A member of staff's credential was used at a place.
        case credentialUsed(StaffID, at: Date, place: Place)
    }

    /// What the driver must do after an event.
    public enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// A silent post's officer's credential is in use elsewhere: raise an incident.
        case raiseIncident(IncidentDraft, post: GuardPostID, staff: StaffID)
        /// The event was refused and changed nothing: an unknown post or member of staff.
        case refused(reason: String)
    }

    private struct Use: Sendable, Hashable {
        var at: Date
        var place: Place
    }

    private struct PostState: Sendable, Hashable {
        var lastCheckIn: Date?
        var overdueSince: Date?
        var raised = false
    }

    /// The facility watched.
    public let facility: FacilityID
    /// The post each officer is assigned to.
    public let assignments: [StaffID: GuardPostID]
    private var states: [GuardPostID: PostState] = [:]
    /// Uses of each officer's credential away from their post, since that post's last check-in.
    private var usesAway: [StaffID: [Use]] = [:]

    /// Creates a watch from the facility's posts and its staff's assignments.
    public init(facility: Facility, staff: [StaffMember]) {
        self.facility = facility.id
        var assignments: [StaffID: GuardPostID] = [:]
        let posts = Set(facility.posts.map(\.id))
        for member in staff where member.facility == facility.id {
            if let post = member.post, posts.contains(post) { assignments[member.id] = post }
        }
        self.assignments = assignments
        for post in posts {
            states[post] = PostState()
        }
    }

    /// Applies an event.
    public mutating func event(_ event: Event) -> Action {
        switch event {
        case .postMissed(let post, let instant):
            guard states[post] != nil else { return .refused(reason: "unknown post '\(post)'") }
            if states[post]!.overdueSince == nil { states[post]!.overdueSince = instant }
            for (staff, assigned) in assignments.sorted(by: { $0.key < $1.key }) where assigned == post {
                if let use = usesAway[staff]?.last { return raise(post: post, staff: staff, at: instant, use: use) }
            }
            return .none
        case .postCheckedIn(let post, let instant):
            guard states[post] != nil else { return .refused(reason: "unknown post '\(post)'") }
            states[post] = PostState(lastCheckIn: instant)
            for (staff, assigned) in assignments where assigned == post {
                usesAway[staff] = nil
            }
            return .none
        case .credentialUsed(let staff, let instant, let place):
            guard let post = assignments[staff] else {
                return .refused(reason: "'\(staff)' is not assigned to a post of '\(facility)'")
            }
            guard place != .post(post) else { return .none }
            if let last = states[post]?.lastCheckIn, instant < last { return .none }
            usesAway[staff, default: []].append(Use(at: instant, place: place))
            guard states[post]?.overdueSince != nil else { return .none }
            return raise(post: post, staff: staff, at: instant, use: Use(at: instant, place: place))
        }
    }

    private mutating func raise(
        post: GuardPostID,
        staff: StaffID,
        at instant: Date,
        use: Use
    )
        -> Action
    {
        guard states[post]?.raised == false else { return .none }
        states[post]?.raised = true
        return .raiseIncident(
            IncidentDraft(
                kind: .duress,
                facility: facility,
                raisedAt: instant,
                summary: "Post '\(post)' is not checking in while the credential of '\(staff)' is used at \(use.place)"
            ),
            post: post,
            staff: staff
        )
    }
}

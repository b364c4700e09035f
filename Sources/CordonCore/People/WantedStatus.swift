public import Foundation

/// Where a wanted person stands.
public enum WantedStatus: String, CodedEnum, CustomStringConvertible {
    case atLarge = "at_large"
    case captured
    case dead
    case cleared

    /// Whether a person may go from this status to `next`.
    ///
    /// At large → captured, dead or cleared; captured → at large (escaped again), dead or cleared;
    /// cleared → at large (listed again); dead is final.
    public func canChange(to next: WantedStatus) -> Bool {
        switch (self, next) {
        case (.atLarge, .captured), (.atLarge, .dead), (.atLarge, .cleared): return true
        case (.captured, .atLarge), (.captured, .dead), (.captured, .cleared): return true
        case (.cleared, .atLarge): return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .atLarge: return "at large"
        case .captured: return "captured"
        case .dead: return "dead"
        case .cleared: return "cleared"
        }
    }
}

/// Why and since when a person is wanted, and every change of their status.
public struct Wanted: Sendable, Hashable, Codable {
    /// One change of status.
    public struct StatusChange: Sendable, Hashable, Codable {
        /// The status from this instant on.
        public let status: WantedStatus
        /// When the change took effect.
        public let at: Date
        /// Who recorded it or why, when known.
        public let note: String?

        /// Creates a change.
        ///
        /// - Throws: ``ValidationFailure`` for a bad note.
        public init(status: WantedStatus, at: Date, note: String? = nil) throws {
            var issues = IssueCollector()
            TextRules.check(note, at: "note", maxLength: 500, into: &issues)
            try issues.finish()
            self.status = status
            self.at = at
            self.note = note
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case status, at, note
        }

        public init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let status = object.required(.status, as: WantedStatus.self)
            let at = object.required(.at, as: Date.self)
            let note = object.optional(.note, as: String.self)
            try object.finish()
            self = try object.construct { try StatusChange(status: status!, at: at!, note: note) }
        }
    }

    /// Why the person is wanted.
    public let reason: String
    /// The changes of status, oldest first; never empty.
    public let history: [StatusChange]

    /// The current status: the last change's.
    public var status: WantedStatus { history.last!.status }

    /// Since when the person has been wanted: the first change's instant.
    public var since: Date { history.first!.at }

    /// The named list the person is wanted on (`fugitives`, `sanctions`), when the record came from one;
    /// screening may alert on a list at its own threshold.
    public let list: String?

    /// Creates a record, checking that the history is in time order and every change is allowed.
    ///
    /// - Parameter list: the named list the person is wanted on: 1–64 letters, digits, `-`, `_` or `.`.
    /// - Throws: ``ValidationFailure`` naming the first change out of order or not allowed, or a bad list name.
    public init(reason: String, history: [StatusChange], list: String? = nil) throws {
        var issues = IssueCollector()
        if let list, !Self.isListName(list) {
            issues.add("list", .invalidFormat, "a list name has 1-64 letters, digits, '-', '_' or '.'")
        }
        TextRules.check(reason, at: "reason", maxLength: 500, into: &issues)
        if history.isEmpty {
            issues.add("history", .empty, "needs at least one status")
        }
        for index in history.indices.dropFirst() {
            let previous = history[index - 1]
            let change = history[index]
            if change.at < previous.at {
                issues.add("history[\(index)].at", .inconsistent, "is earlier than the change before it")
            }
            if !previous.status.canChange(to: change.status) {
                issues.add(
                    "history[\(index)].status",
                    .notAllowed,
                    "a person cannot go from \(previous.status) to \(change.status)"
                )
            }
        }
        try issues.finish()
        self.reason = reason
        self.history = history
        self.list = list
    }

    /// Whether a text may name a list: 1–64 ASCII letters, digits, `-`, `_` or `.`.
    public static func isListName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
    }

    /// The record on another named list (nil: on none).
    ///
    /// - Throws: ``ValidationFailure`` naming `list` for a bad list name.
    public func onList(_ list: String?) throws -> Wanted {
        try Wanted(reason: reason, history: history, list: list)
    }

    /// Records a new status.
    ///
    /// - Throws: ``ValidationFailure`` when the change is not allowed from the current status or is dated
    ///   before the last change.
    public func changingStatus(to status: WantedStatus, at instant: Date, note: String? = nil) throws -> Wanted {
        let change = try StatusChange(status: status, at: instant, note: note)
        do {
            return try Wanted(reason: reason, history: history + [change], list: list)
        } catch let failure as ValidationFailure {
            throw ValidationFailure(
                failure.issues.map { issue in
                    var issue = issue
                    issue.path = issue.path.hasPrefix("history[") ? "status" : issue.path
                    return issue
                }
            )
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case reason, history, list
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let reason = object.required(.reason, as: String.self)
        let history = object.list(.history, as: StatusChange.self)
        let list = object.optional(.list, as: String.self)
        try object.finish()
        self = try object.construct { try Wanted(reason: reason!, history: history, list: list) }
    }
}

public import CordonMatch
public import Foundation

/// The list a checkpoint screens against when it may have no connection: what the store holds, loaded
/// once into a screening index, with its age.
public struct OfflineList: Sendable {
    public let index: ScreeningIndex
    public let status: CheckpointStore.Status

    /// Loads the store's list.
    ///
    /// - Throws: ``Empty`` before the first sync.
    /// - Parameter loadIndex: false when only the list's age is wanted (the index is then empty).
    public init(store: CheckpointStore, options: ScreeningIndex.Options = .init(), loadIndex: Bool = true) throws {
        let status = try store.status()
        guard status.listVersion != nil else { throw Empty() }
        self.status = status
        index = ScreeningIndex(entries: loadIndex ? try store.entries() : [], options: options)
    }

    /// No list yet.
    public struct Empty: Error, CustomStringConvertible {
        public var description: String { "no list yet: run `cordon checkpoint sync` while the server is reachable" }
    }

    /// `list 12 of 22:41, 3 min old` — the version, when it was last confirmed current, and how long ago.
    public func age(now: Date, zone: TimeZone) -> String {
        let version = status.listVersion.map { "list \($0)" } ?? "no list"
        guard let checked = status.checkedAt else { return version }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: checked)
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        var when = "\(two(parts.hour)):\(two(parts.minute))"
        if parts.year != today.year || parts.month != today.month || parts.day != today.day {
            when = "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) " + when
        }
        let seconds = max(0, now.timeIntervalSince(checked))
        let old: String =
            switch seconds {
            case ..<60: "\(Int(seconds)) s old"
            case ..<7200: "\(Int(seconds / 60)) min old"
            case ..<(3 * 86400): "\(Int(seconds / 3600)) h old"
            default: "\(Int(seconds / 86400)) days old"
            }
        return "\(version) of \(when), \(old)"
    }
}

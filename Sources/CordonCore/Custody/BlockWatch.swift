public import Foundation

/// Watches that no block is left with every one of its posts unmanned at once.
///
/// On the night of the report the three guards left their posts together to pray in a corridor; right
/// after, a cell was opened. The driver reports a post as unmanned when its check-in schedule is
/// overdue or its officer signs off the post, and as manned when it checks in again. When the last
/// manned post of a block goes, the watch raises an incident once; it raises again only after one of
/// the block's posts has been manned in between.
public struct BlockWatch: Sendable, Hashable {
    /// What happens to a post.
    public enum Event: Sendable, Hashable {
        /// The post has an officer again (a check-in).
        case manned(GuardPostID, at: Date)
        /// The post has nobody (a missed check-in, or the officer signed off it).
        case unmanned(GuardPostID, at: Date)
    }

    /// What the driver must do after an event.
    public enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Every post of a block is unmanned: raise an incident.
        case raiseIncident(IncidentDraft, block: BlockID)
        /// The event was refused and changed nothing: an unknown post.
        case refused(reason: String)
    }

    /// The facility watched.
    public let facility: FacilityID
    /// The posts of each block. Posts that watch no block are not counted.
    public let posts: [BlockID: Set<GuardPostID>]
    private let blockOfPost: [GuardPostID: BlockID]
    private let blockNames: [BlockID: String]
    /// The posts that are unmanned now.
    public private(set) var unmanned: Set<GuardPostID> = []
    private var raised: Set<BlockID> = []

    /// Creates a watch with every post manned.
    public init(facility: Facility) {
        self.facility = facility.id
        var posts: [BlockID: Set<GuardPostID>] = [:]
        var blockOfPost: [GuardPostID: BlockID] = [:]
        for post in facility.posts {
            guard let block = post.block else { continue }
            posts[block, default: []].insert(post.id)
            blockOfPost[post.id] = block
        }
        self.posts = posts
        self.blockOfPost = blockOfPost
        var names: [BlockID: String] = [:]
        for block in facility.blocks {
            names[block.id] = block.name
        }
        self.blockNames = names
    }

    /// Applies an event.
    public mutating func event(_ event: Event) -> Action {
        switch event {
        case .manned(let post, _):
            guard let block = blockOfPost[post] else { return refusal(post) }
            unmanned.remove(post)
            raised.remove(block)
            return .none
        case .unmanned(let post, let instant):
            guard let block = blockOfPost[post] else { return refusal(post) }
            unmanned.insert(post)
            guard let all = posts[block], all.isSubset(of: unmanned), !raised.contains(block) else { return .none }
            raised.insert(block)
            let name = blockNames[block] ?? block.rawValue
            let list = all.sorted().map(\.rawValue).joined(separator: ", ")
            return .raiseIncident(
                IncidentDraft(
                    kind: .other,
                    facility: facility,
                    raisedAt: instant,
                    summary: "Every post of \(name) is unmanned at once (\(list))"
                ),
                block: block
            )
        }
    }

    private func refusal(_ post: GuardPostID) -> Action {
        .refused(reason: "post '\(post)' watches no block of facility '\(facility)'")
    }
}

/// A place where people are held: its blocks and cells, its guard posts and its armory.
public struct Facility: Sendable, Hashable, Codable, Identifiable {
    /// What kind of place it is.
    public enum Kind: String, CodedEnum {
        case detentionWard = "detention_ward"
        case pretrialFacility = "pretrial_facility"
        case prison
        case policeStation = "police_station"
        case other
    }

    /// A block (wing, floor) of cells.
    public struct Block: Sendable, Hashable, Codable, Identifiable {
        public let id: BlockID
        public let name: String
        public let cells: [Cell]

        /// Creates a block.
        ///
        /// - Throws: ``ValidationFailure`` for an empty name or repeated cell identifiers.
        public init(id: BlockID, name: String, cells: [Cell]) throws {
            var issues = IssueCollector()
            TextRules.check(name, at: "name", maxLength: 100, into: &issues)
            Uniqueness.check(cells.map(\.id), at: "cells", into: &issues)
            try issues.finish()
            self.id = id
            self.name = name
            self.cells = cells
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name, cells
        }

        public init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let id = object.required(.id, as: BlockID.self)
            let name = object.required(.name, as: String.self)
            let cells = object.list(.cells, as: Cell.self)
            try object.finish()
            self = try object.construct { try Block(id: id!, name: name!, cells: cells) }
        }
    }

    /// A cell and how many people it holds at most.
    public struct Cell: Sendable, Hashable, Codable, Identifiable {
        public let id: CellID
        public let name: String
        public let capacity: Int

        /// Creates a cell.
        ///
        /// - Throws: ``ValidationFailure`` for an empty name or a capacity outside 1–100.
        public init(id: CellID, name: String, capacity: Int) throws {
            var issues = IssueCollector()
            TextRules.check(name, at: "name", maxLength: 100, into: &issues)
            issues.check(
                (1...100).contains(capacity),
                "capacity",
                .outOfRange,
                "capacity \(capacity) must be between 1 and 100"
            )
            try issues.finish()
            self.id = id
            self.name = name
            self.capacity = capacity
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name, capacity
        }

        public init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let id = object.required(.id, as: CellID.self)
            let name = object.required(.name, as: String.self)
            let capacity = object.required(.capacity, as: Int.self)
            try object.finish()
            self = try object.construct { try Cell(id: id!, name: name!, capacity: capacity!) }
        }
    }

    public let id: FacilityID
    public let name: String
    public let kind: Kind
    /// The body that runs it.
    public let operatorName: String
    /// The larger facility this one sits inside, if any.
    public let parent: FacilityID?
    public let location: Coordinates
    public let region: String
    /// How many people it is built to hold.
    public let capacity: Int?
    public let blocks: [Block]
    public let posts: [GuardPost]
    public let armory: [ArmoryItem]

    /// Creates a facility.
    ///
    /// - Throws: ``ValidationFailure`` for empty text, repeated identifiers, or posts that name a block
    ///   the facility does not have.
    public init(
        id: FacilityID,
        name: String,
        kind: Kind,
        operatorName: String,
        parent: FacilityID? = nil,
        location: Coordinates,
        region: String,
        capacity: Int? = nil,
        blocks: [Block] = [],
        posts: [GuardPost] = [],
        armory: [ArmoryItem] = []
    ) throws {
        var issues = IssueCollector()
        TextRules.check(name, at: "name", maxLength: 200, into: &issues)
        TextRules.check(operatorName, at: "operator", maxLength: 200, into: &issues)
        TextRules.check(region, at: "region", maxLength: 100, into: &issues)
        if let capacity {
            issues.check(
                (1...100_000).contains(capacity),
                "capacity",
                .outOfRange,
                "capacity \(capacity) must be between 1 and 100000"
            )
        }
        issues.check(parent != id, "parent", .inconsistent, "a facility cannot sit inside itself")
        Uniqueness.check(blocks.map(\.id), at: "blocks", into: &issues)
        Uniqueness.check(posts.map(\.id), at: "posts", into: &issues)
        Uniqueness.check(armory.map(\.id), at: "armory", into: &issues)
        let blockIDs = Set(blocks.map(\.id))
        for (index, post) in posts.enumerated() {
            if let block = post.block, !blockIDs.contains(block) {
                issues.add("posts[\(index)].block", .unknownReference, "no block '\(block)' in facility '\(id)'")
            }
        }
        try issues.finish()
        self.id = id
        self.name = name
        self.kind = kind
        self.operatorName = operatorName
        self.parent = parent
        self.location = location
        self.region = region
        self.capacity = capacity
        self.blocks = blocks
        self.posts = posts
        self.armory = armory
    }

    /// Every cell of every block.
    public var cells: [Cell] { blocks.flatMap(\.cells) }

    /// The block that holds a cell.
    public func block(containing cell: CellID) -> Block? {
        blocks.first { $0.cells.contains { $0.id == cell } }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, kind
        case operatorName = "operator"
        case parent, location, region, capacity, blocks, posts, armory
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: FacilityID.self)
        let name = object.required(.name, as: String.self)
        let kind = object.required(.kind, as: Kind.self)
        let operatorName = object.required(.operatorName, as: String.self)
        let parent = object.optional(.parent, as: FacilityID.self)
        let location = object.required(.location, as: Coordinates.self)
        let region = object.required(.region, as: String.self)
        let capacity = object.optional(.capacity, as: Int.self)
        let blocks = object.list(.blocks, as: Block.self)
        let posts = object.list(.posts, as: GuardPost.self)
        let armory = object.list(.armory, as: ArmoryItem.self)
        try object.finish()
        self = try object.construct {
            try Facility(
                id: id!,
                name: name!,
                kind: kind!,
                operatorName: operatorName!,
                parent: parent,
                location: location!,
                region: region!,
                capacity: capacity,
                blocks: blocks,
                posts: posts,
                armory: armory
            )
        }
    }
}

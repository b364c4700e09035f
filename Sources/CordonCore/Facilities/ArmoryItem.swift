/// An item kept under count in a facility's armory: a weapon, ammunition, a uniform, a key.
public struct ArmoryItem: Sendable, Hashable, Codable, Identifiable {
    /// What the item is.
    public enum Kind: String, CodedEnum {
        case weapon
        case ammunition
        case uniform
        case key
        case radio
        case other
    }

    public let id: ArmoryItemID
    public let kind: Kind
    public let description: String
    /// The serial number, when the item has one.
    public let serial: String?
    /// How many units the entry counts (rounds of ammunition, say), at least 1.
    public let quantity: Int

    /// Creates an item.
    ///
    /// - Throws: ``ValidationFailure`` for an empty description or serial, or a quantity below 1.
    public init(id: ArmoryItemID, kind: Kind, description: String, serial: String? = nil, quantity: Int = 1) throws {
        var issues = IssueCollector()
        TextRules.check(description, at: "description", maxLength: 200, into: &issues)
        TextRules.check(serial, at: "serial", maxLength: 40, into: &issues)
        issues.check(
            (1...1_000_000).contains(quantity),
            "quantity",
            .outOfRange,
            "quantity \(quantity) must be at least 1"
        )
        try issues.finish()
        self.id = id
        self.kind = kind
        self.description = description
        self.serial = serial
        self.quantity = quantity
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, description, serial, quantity
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: ArmoryItemID.self)
        let kind = object.required(.kind, as: Kind.self)
        let description = object.required(.description, as: String.self)
        let serial = object.optional(.serial, as: String.self)
        let quantity = object.optional(.quantity, as: Int.self)
        try object.finish()
        self = try object.construct {
            try ArmoryItem(id: id!, kind: kind!, description: description!, serial: serial, quantity: quantity ?? 1)
        }
    }
}

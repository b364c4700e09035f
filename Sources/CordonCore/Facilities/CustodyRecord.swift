/// Who is held in which cell, since when.
public struct CustodyRecord: Sendable, Hashable, Codable {
    public let person: PersonID
    public let facility: FacilityID
    public let cell: CellID
    /// The day custody began, when known.
    public let since: PartialDate?

    /// Creates a record.
    public init(person: PersonID, facility: FacilityID, cell: CellID, since: PartialDate? = nil) {
        self.person = person
        self.facility = facility
        self.cell = cell
        self.since = since
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case person, facility, cell, since
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let person = object.required(.person, as: PersonID.self)
        let facility = object.required(.facility, as: FacilityID.self)
        let cell = object.required(.cell, as: CellID.self)
        let since = object.optional(.since, as: PartialDate.self)
        try object.finish()
        self.init(person: person!, facility: facility!, cell: cell!, since: since)
    }
}

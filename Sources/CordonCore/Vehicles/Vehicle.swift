/// A vehicle of interest: used in an escape, stolen, or linked to a wanted person.
public struct Vehicle: Sendable, Hashable, Codable, Identifiable {
    public let id: VehicleID
    public let plate: PlateNumber
    /// The country that registered the plate.
    public let country: CountryCode
    public let make: String
    public let model: String
    public let colour: String
    /// Year of manufacture, 1900–2100, when known.
    public let year: Int?
    /// Whether the vehicle was reported stolen.
    public let isStolen: Bool
    public let notes: String?

    /// Creates a vehicle.
    ///
    /// - Throws: ``ValidationFailure`` for empty make, model or colour or an impossible year.
    public init(
        id: VehicleID,
        plate: PlateNumber,
        country: CountryCode,
        make: String,
        model: String,
        colour: String,
        year: Int? = nil,
        isStolen: Bool = false,
        notes: String? = nil
    ) throws {
        var issues = IssueCollector()
        TextRules.check(make, at: "make", maxLength: 60, into: &issues)
        TextRules.check(model, at: "model", maxLength: 60, into: &issues)
        TextRules.check(colour, at: "colour", maxLength: 60, into: &issues)
        if let year {
            issues.check(
                (1900...2100).contains(year),
                "year",
                .outOfRange,
                "year \(year) must be between 1900 and 2100"
            )
        }
        TextRules.check(notes, at: "notes", maxLength: 2000, allowNewlines: true, into: &issues)
        try issues.finish()
        self.id = id
        self.plate = plate
        self.country = country
        self.make = make
        self.model = model
        self.colour = colour
        self.year = year
        self.isStolen = isStolen
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, plate, country, make, model, colour, year
        case isStolen = "stolen"
        case notes
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: VehicleID.self)
        let plate = object.required(.plate, as: PlateNumber.self)
        let country = object.required(.country, as: CountryCode.self)
        let make = object.required(.make, as: String.self)
        let model = object.required(.model, as: String.self)
        let colour = object.required(.colour, as: String.self)
        let year = object.optional(.year, as: Int.self)
        let stolen = object.optional(.isStolen, as: Bool.self)
        let notes = object.optional(.notes, as: String.self)
        try object.finish()
        self = try object.construct {
            try Vehicle(
                id: id!,
                plate: plate!,
                country: country!,
                make: make!,
                model: model!,
                colour: colour!,
                year: year,
                isStolen: stolen ?? false,
                notes: notes
            )
        }
    }
}

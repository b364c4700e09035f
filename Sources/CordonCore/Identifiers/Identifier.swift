/// A typed identifier: a slug that names one entity of kind `Subject`.
///
/// Identifiers of different kinds are different types, so a vehicle's identifier cannot be passed
/// where a person's is expected. The text is a slug: 1–64 characters of `a-z`, `0-9`, `.`, `_` and
/// `-`, starting with a letter or digit (`p-mirzoyev-abdurasul`).
public struct Identifier<Subject>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The slug.
    public let rawValue: String

    /// Creates an identifier, checking the slug.
    ///
    /// - Throws: ``ValidationFailure`` when `rawValue` is empty, too long or has other characters.
    public init(_ rawValue: String) throws {
        if let problem = Self.problem(with: rawValue) {
            throw ValidationFailure(path: "", reason: problem.0, message: problem.1)
        }
        self.rawValue = rawValue
    }

    /// Creates an identifier, or nil when the slug is not valid.
    public init?(rawValue: String) {
        guard Self.problem(with: rawValue) == nil else { return nil }
        self.rawValue = rawValue
    }

    private static func problem(with text: String) -> (ValidationFailure.Reason, String)? {
        if text.isEmpty { return (.empty, "an identifier must not be empty") }
        if text.utf8.count > 64 { return (.tooLong, "an identifier has at most 64 characters") }
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 46 || byte == 95
        }
        let first = text.utf8.first!
        guard allowed, (first >= 97 && first <= 122) || (first >= 48 && first <= 57) else {
            return (
                .invalidFormat,
                "'\(text)' is not an identifier (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit)"
            )
        }
        return nil
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let path = CodingPath.render(decoder.codingPath)
        guard let text = try? decoder.singleValueContainer().decode(String.self) else {
            throw ValidationFailure(path: path, reason: .wrongType, message: "must be an identifier string")
        }
        do {
            try self.init(text)
        } catch let failure as ValidationFailure {
            throw failure.nested(under: path)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Identifies a ``Person``.
public typealias PersonID = Identifier<Person>
/// Identifies an ``Organization``.
public typealias OrganizationID = Identifier<Organization>
/// Identifies a ``Vehicle``.
public typealias VehicleID = Identifier<Vehicle>
/// Identifies a ``Facility``.
public typealias FacilityID = Identifier<Facility>
/// Identifies a ``Facility/Block``.
public typealias BlockID = Identifier<Facility.Block>
/// Identifies a ``Facility/Cell``.
public typealias CellID = Identifier<Facility.Cell>
/// Identifies a ``GuardPost``.
public typealias GuardPostID = Identifier<GuardPost>
/// Identifies an ``ArmoryItem``.
public typealias ArmoryItemID = Identifier<ArmoryItem>
/// Identifies a ``Checkpoint``.
public typealias CheckpointID = Identifier<Checkpoint>
/// Identifies a ``StaffMember``.
public typealias StaffID = Identifier<StaffMember>
/// Identifies an ``Incident``.
public typealias IncidentID = Identifier<Incident>
/// Identifies an ``Alert``.
public typealias AlertID = Identifier<Alert>
/// Identifies a ``Sighting``.
public typealias SightingID = Identifier<Sighting>
/// Identifies a ``TimelineEvent``.
public typealias EventID = Identifier<TimelineEvent>
/// Identifies an ``IssuedCredential``.
public typealias CredentialID = Identifier<IssuedCredential>

/// A member of staff: a guard, a duty officer, a commander, a checkpoint officer.
public struct StaffMember: Sendable, Hashable, Codable, Identifiable {
    /// What the person does.
    public enum Role: String, CodedEnum {
        case guardOfficer = "guard"
        case dutyOfficer = "duty_officer"
        case commander
        case checkpointOfficer = "checkpoint_officer"
        case analyst
        case medic
        case other
    }

    /// What became of the person, for the night's record.
    public enum Status: String, CodedEnum {
        case active
        case killed
        case wounded
        case offDuty = "off_duty"
    }

    public let id: StaffID
    public let name: PersonName
    /// The service number on their credential.
    public let serviceNumber: String
    public let rank: String?
    public let role: Role
    public let facility: FacilityID?
    public let post: GuardPostID?
    public let isOnDuty: Bool
    public let status: Status

    /// Creates a staff member.
    ///
    /// - Throws: ``ValidationFailure`` for a service number that is not 1–20 letters, digits or dashes,
    ///   a post without a facility, or bad text.
    public init(
        id: StaffID,
        name: PersonName,
        serviceNumber: String,
        rank: String? = nil,
        role: Role,
        facility: FacilityID? = nil,
        post: GuardPostID? = nil,
        isOnDuty: Bool,
        status: Status = .active
    ) throws {
        var issues = IssueCollector()
        issues.check(
            (1...20).contains(serviceNumber.count)
                && serviceNumber.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" },
            "service_number",
            .invalidFormat,
            "'\(serviceNumber)' is not a service number (1-20 letters, digits or dashes)"
        )
        TextRules.check(rank, at: "rank", maxLength: 60, into: &issues)
        issues.check(post == nil || facility != nil, "post", .inconsistent, "a post needs a facility")
        try issues.finish()
        self.id = id
        self.name = name
        self.serviceNumber = serviceNumber
        self.rank = rank
        self.role = role
        self.facility = facility
        self.post = post
        self.isOnDuty = isOnDuty
        self.status = status
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name
        case serviceNumber = "service_number"
        case rank, role, facility, post
        case isOnDuty = "on_duty"
        case status
    }

    public init(from decoder: any Decoder) throws {
        var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
        let id = object.required(.id, as: StaffID.self)
        let name = object.required(.name, as: PersonName.self)
        let serviceNumber = object.required(.serviceNumber, as: String.self)
        let rank = object.optional(.rank, as: String.self)
        let role = object.required(.role, as: Role.self)
        let facility = object.optional(.facility, as: FacilityID.self)
        let post = object.optional(.post, as: GuardPostID.self)
        let onDuty = object.required(.isOnDuty, as: Bool.self)
        let status = object.optional(.status, as: Status.self)
        try object.finish()
        self = try object.construct {
            try StaffMember(
                id: id!,
                name: name!,
                serviceNumber: serviceNumber!,
                rank: rank,
                role: role!,
                facility: facility,
                post: post,
                isOnDuty: onDuty!,
                status: status ?? .active
            )
        }
    }
}

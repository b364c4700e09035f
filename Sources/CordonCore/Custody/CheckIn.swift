public import Foundation

/// A guard post's secret codes: the normal one, and a duress code that looks just as normal to
/// whoever is watching the officer. Only their hashes are kept.
public struct PostCredential: Sendable, Hashable, Codable {
    /// The post.
    public let post: GuardPostID
    /// Its facility.
    public let facility: FacilityID
    /// The hash of the normal code.
    public let codeHash: String
    /// The hash of the duress code.
    public let duressHash: String
    /// When the codes were set; the watch of the post counts from then.
    public let setAt: Date
    /// Who set them.
    public let setBy: String

    /// Creates a credential from hashes.
    public init(
        post: GuardPostID,
        facility: FacilityID,
        codeHash: String,
        duressHash: String,
        setAt: Date,
        setBy: String
    ) {
        self.post = post
        self.facility = facility
        self.codeHash = codeHash
        self.duressHash = duressHash
        self.setAt = setAt
        self.setBy = setBy
    }

    enum CodingKeys: String, CodingKey {
        case post, facility
        case codeHash = "code_hash"
        case duressHash = "duress_hash"
        case setAt = "set_at"
        case setBy = "set_by"
    }
}

/// One check-in of a guard post.
public struct CheckIn: Sendable, Hashable, Codable, Identifiable {
    /// `<post>.<milliseconds since 1970>`.
    public let id: String
    /// The post.
    public let post: GuardPostID
    /// Its facility.
    public let facility: FacilityID
    /// When.
    public let at: Date
    /// The account that checked in.
    public let by: String
    /// Whether the duress code was used. Never shown to the caller that checked in.
    public let isDuress: Bool

    /// Creates a check-in.
    public init(post: GuardPostID, facility: FacilityID, at: Date, by: String, isDuress: Bool) {
        self.id = "\(post.rawValue).\(Int64((at.timeIntervalSince1970 * 1000).rounded()))"
        self.post = post
        self.facility = facility
        self.at = at
        self.by = by
        self.isDuress = isDuress
    }

    enum CodingKeys: String, CodingKey {
        case id, post, facility, at, by
        case isDuress = "duress"
    }
}

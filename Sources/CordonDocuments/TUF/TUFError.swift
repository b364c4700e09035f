/// Why a piece of TUF metadata or a target was refused. Nothing is trusted from a refused file.
public enum TUFError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON, or not the shape the role has.
    case malformed(file: String, detail: String)
    /// Fewer valid signatures than the role's threshold.
    case signatures(role: String, valid: Int, needed: Int)
    /// A version lower than the one already trusted (a rollback attack, or a stale mirror).
    case rollback(role: String, held: Int, offered: Int)
    /// A version other than the one the metadata above it names.
    case versionMismatch(role: String, expected: Int, found: Int)
    /// Metadata whose expiry has passed (a freeze attack, or a server that stopped signing).
    case expired(role: String, expires: String)
    /// A file whose length is not the one the signed metadata gives.
    case lengthMismatch(file: String, expected: Int, found: Int)
    /// A file whose SHA-256 is not the one the signed metadata gives.
    case hashMismatch(file: String)
    /// A file the signed metadata does not list.
    case unknownTarget(String)

    /// One line for an operator.
    public var description: String {
        switch self {
        case .malformed(let file, let detail): "\(file) is malformed: \(detail)"
        case .signatures(let role, let valid, let needed):
            "\(role) metadata has \(valid) valid signature\(valid == 1 ? "" : "s") of the \(needed) needed"
        case .rollback(let role, let held, let offered):
            "\(role) version \(offered) is older than version \(held) already held (rollback refused)"
        case .versionMismatch(let role, let expected, let found):
            "\(role) version \(found) is not the version \(expected) that the signed metadata names"
        case .expired(let role, let expires): "\(role) metadata expired at \(expires) (refused as frozen)"
        case .lengthMismatch(let file, let expected, let found):
            "\(file) has \(found) bytes, the signed metadata says \(expected)"
        case .hashMismatch(let file): "\(file) does not have the SHA-256 the signed metadata gives"
        case .unknownTarget(let name): "\(name) is not listed in the signed targets metadata"
        }
    }
}

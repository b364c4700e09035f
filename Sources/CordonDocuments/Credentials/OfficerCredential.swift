import CordonCore
public import Foundation

/// What headquarters vouches for in an officer's credential: who the officer is, where they serve,
/// when the credential holds, and which key signed it.
///
/// ``CredentialToken`` writes it compactly and signs it; ``CredentialVerifier`` reads it back. Times
/// are whole seconds since 1970 (from 1970 to 2106), so what is signed is what is read back.
public struct OfficerCredential: Sendable, Hashable {
    /// The credential's identifier (1-64 printable ASCII characters), what a revocation names.
    public let id: String
    /// The issuing key's identifier (see ``CredentialKeyID``).
    public let keyID: CredentialKeyID
    /// The officer's name as written on the credential, in any script.
    public let name: String
    /// The officer's service number.
    public let serviceNumber: String
    /// The unit the officer serves in (a facility, a checkpoint, a department).
    public let unit: String
    /// What the officer does (`guard`, `checkpoint_officer`).
    public let role: String
    /// The SHA-256 of the officer's photo, when the credential binds one.
    public let photoSHA256: [UInt8]?
    /// When the credential starts to hold.
    public let validFrom: Date
    /// When it stops holding.
    public let validUntil: Date

    /// Creates a credential, dropping fractions of seconds from its times.
    ///
    /// - Throws: ``ValidationFailure`` for an id that is not 1-64 printable ASCII characters, text that
    ///   is empty, too long (names 100 characters, other fields 64) or holds control characters, a photo
    ///   hash that is not 32 bytes, times outside 1970-2106, or a window that ends before it starts.
    public init(
        id: String,
        keyID: CredentialKeyID,
        name: String,
        serviceNumber: String,
        unit: String,
        role: String,
        photoSHA256: [UInt8]? = nil,
        validFrom: Date,
        validUntil: Date
    ) throws {
        var issues = IssueCollector()
        issues.check(
            (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7E).contains($0) },
            "id",
            .invalidFormat,
            "a credential id is 1-64 printable ASCII characters"
        )
        TextRules.check(name, at: "name", maxLength: 100, into: &issues)
        TextRules.check(serviceNumber, at: "service_number", maxLength: 64, into: &issues)
        TextRules.check(unit, at: "unit", maxLength: 64, into: &issues)
        TextRules.check(role, at: "role", maxLength: 64, into: &issues)
        for (path, text) in [("name", name), ("service_number", serviceNumber), ("unit", unit), ("role", role)] {
            issues.check(
                text.utf8.count <= Self.maximumFieldBytes,
                path,
                .tooLong,
                "has more than \(Self.maximumFieldBytes) bytes in UTF-8"
            )
        }
        if let photoSHA256 {
            issues.check(photoSHA256.count == 32, "photo_sha256", .invalidFormat, "a SHA-256 hash has 32 bytes")
        }
        let from = validFrom.timeIntervalSince1970.rounded(.down)
        let until = validUntil.timeIntervalSince1970.rounded(.down)
        let range = 0...Double(UInt32.max)
        issues.check(range.contains(from), "valid_from", .outOfRange, "must be between 1970 and 2106")
        issues.check(range.contains(until), "valid_until", .outOfRange, "must be between 1970 and 2106")
        issues.check(until > from, "valid_until", .inconsistent, "must be after valid_from")
        try issues.finish()
        self.id = id
        self.keyID = keyID
        self.name = name
        self.serviceNumber = serviceNumber
        self.unit = unit
        self.role = role
        self.photoSHA256 = photoSHA256
        self.validFrom = Date(timeIntervalSince1970: from)
        self.validUntil = Date(timeIntervalSince1970: until)
    }

    /// The most UTF-8 bytes a text field may have.
    public static let maximumFieldBytes = 1000

    // MARK: Binary layout

    /// The signed bytes, version 1:
    ///
    /// ```
    /// n, n bytes   id (ASCII)
    /// 8 bytes      issuing key id
    /// n, n bytes   name (UTF-8)
    /// n, n bytes   service number (UTF-8)
    /// n, n bytes   unit (UTF-8)
    /// n, n bytes   role (UTF-8)
    /// n, n bytes   photo SHA-256 (n is 0 or 32)
    /// u32          valid from, seconds since 1970, big-endian
    /// u32          valid until, likewise
    /// ```
    ///
    /// A length `n` is one byte below 128, otherwise two: the low seven bits with the high bit set, then
    /// the rest (LEB128, shortest form only).
    public var payload: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + name.utf8.count)
        func field(_ bytes: some Collection<UInt8>) {
            if bytes.count < 0x80 {
                out.append(UInt8(bytes.count))
            } else {
                out.append(UInt8(bytes.count & 0x7F) | 0x80)
                out.append(UInt8(bytes.count >> 7))
            }
            out.append(contentsOf: bytes)
        }
        func integer(_ value: UInt32) {
            out.append(contentsOf: [
                UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF),
            ])
        }
        field(id.utf8)
        out.append(contentsOf: keyID.bytes)
        field(name.utf8)
        field(serviceNumber.utf8)
        field(unit.utf8)
        field(role.utf8)
        field(photoSHA256 ?? [])
        integer(UInt32(validFrom.timeIntervalSince1970))
        integer(UInt32(validUntil.timeIntervalSince1970))
        return out
    }

    /// Reads a payload back.
    ///
    /// - Throws: ``CredentialToken/Malformed`` for bytes that do not follow the layout, or fields that do
    ///   not make a valid credential.
    public init(payload bytes: some Collection<UInt8>) throws {
        var reader = Reader(bytes: Array(bytes))
        let id = try reader.text("id")
        let keyID = CredentialKeyID(bytes: try reader.bytes(8, "key id"))
        let name = try reader.text("name")
        let serviceNumber = try reader.text("service number")
        let unit = try reader.text("unit")
        let role = try reader.text("role")
        let photo = try reader.bytes(try reader.length("photo hash"), "photo hash")
        let from = try reader.integer("valid from")
        let until = try reader.integer("valid until")
        guard reader.isAtEnd else { throw CredentialToken.Malformed("\(reader.remaining) bytes after the fields") }
        do {
            try self.init(
                id: id,
                keyID: keyID,
                name: name,
                serviceNumber: serviceNumber,
                unit: unit,
                role: role,
                photoSHA256: photo.isEmpty ? nil : photo,
                validFrom: Date(timeIntervalSince1970: TimeInterval(from)),
                validUntil: Date(timeIntervalSince1970: TimeInterval(until))
            )
        } catch let failure as ValidationFailure {
            throw CredentialToken.Malformed(
                "bad fields: \(failure.issues.prefix(2).map(\.description).joined(separator: "; "))"
            )
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }
        var remaining: Int { bytes.count - offset }

        mutating func byte(_ what: String) throws -> UInt8 {
            guard offset < bytes.count else { throw CredentialToken.Malformed("ends before the \(what)") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func bytes(_ count: Int, _ what: String) throws -> [UInt8] {
            guard count <= remaining else { throw CredentialToken.Malformed("ends inside the \(what)") }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func length(_ what: String) throws -> Int {
            let first = try byte(what)
            guard first & 0x80 != 0 else { return Int(first) }
            let second = try byte(what)
            guard second != 0, second < 0x80 else { throw CredentialToken.Malformed("a bad length of the \(what)") }
            return Int(first & 0x7F) | Int(second) << 7
        }

        mutating func text(_ what: String) throws -> String {
            let raw = try bytes(try length(what), what)
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw CredentialToken.Malformed("the \(what) is not UTF-8")
            }
            return text
        }

        mutating func integer(_ what: String) throws -> UInt32 {
            try bytes(4, what).reduce(0) { $0 << 8 | UInt32($1) }
        }
    }
}

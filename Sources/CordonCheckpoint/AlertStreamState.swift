import Foundation

/// What a checkpoint's alert client keeps between runs, in a small text file: the last sequence it saw,
/// then the revoked officer credentials that came with the latest alert, one id a line.
///
/// ```
/// 7
/// # revoked credentials
/// cr-0001
/// ```
/// The sequence number alone, as before, while nothing is revoked.
public struct AlertStreamState: Sendable, Hashable {
    /// The last sequence seen (0 for none).
    public var lastSeen: Int
    /// The revoked credential ids of the latest alert that carried them; nil when none ever came.
    public var revoked: [String]?

    public init(lastSeen: Int = 0, revoked: [String]? = nil) {
        self.lastSeen = lastSeen
        self.revoked = revoked
    }

    /// Why a state file cannot be read.
    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads a state file; a file that does not exist is the state of a client that saw nothing.
    ///
    /// - Throws: ``Unreadable`` when the first line is not a sequence number.
    public init(contentsOf path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            self.init()
            return
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first, let value = Int(first), value >= 0 else {
            throw Unreadable(description: "\(path) does not hold a sequence number")
        }
        let rest = lines.dropFirst()
        self.init(lastSeen: value, revoked: rest.isEmpty ? nil : rest.filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    /// The file's text.
    public var text: String {
        var text = "\(lastSeen)\n"
        if let revoked, !revoked.isEmpty {
            text += "# revoked credentials\n"
            for id in revoked { text += id + "\n" }
        }
        return text
    }

    /// Writes the state, replacing the file at once.
    public func write(to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

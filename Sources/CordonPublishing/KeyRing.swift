import CordonCore
public import Crypto
import Foundation
import Synchronization

/// Headquarters' Ed25519 signing keys, by name (`credentials`, `tuf-root`, `tuf-targets`, …).
///
/// A key is made the first time it is asked for. A ring kept in a folder writes each key as
/// `NAME.ed25519` (the 32-byte seed in hex, readable by the owner only) and reads it back after a
/// restart, so credentials and list snapshots signed before the restart still verify. A ring in memory
/// (tests) forgets its keys with the process.
public final class KeyRing: Sendable {
    /// Why a key could not be read or written.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let folder: String?
    private let keys: Mutex<[String: Curve25519.Signing.PrivateKey]>

    /// A ring whose keys live only as long as the process.
    public init() {
        folder = nil
        keys = Mutex([:])
    }

    /// A ring kept in `folder`, made with owner-only permissions when missing.
    ///
    /// - Throws: ``Failure`` when the folder cannot be made.
    public init(folder: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw Failure(description: "cannot make the key folder \(folder): \(error.localizedDescription)")
        }
        self.folder = folder
        keys = Mutex([:])
    }

    /// The private key called `name`, read from the folder or made now.
    ///
    /// - Throws: ``Failure`` for a key file that is not a 32-byte hex seed, or a folder that cannot be
    ///   written.
    public func signingKey(named name: String) throws -> Curve25519.Signing.PrivateKey {
        precondition(
            !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") },
            "key names are letters, digits and dashes"
        )
        return try keys.withLock { keys in
            if let key = keys[name] { return key }
            let key = try load(name) ?? make(name)
            keys[name] = key
            return key
        }
    }

    /// The public key called `name` (made with its private key when missing).
    public func publicKey(named name: String) throws -> Curve25519.Signing.PublicKey {
        try signingKey(named: name).publicKey
    }

    private func path(_ name: String) -> String? {
        folder.map { "\($0)/\(name).ed25519" }
    }

    private func load(_ name: String) throws -> Curve25519.Signing.PrivateKey? {
        guard let path = path(name), FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let seed = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), seed.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        else {
            throw Failure(description: "the key file \(path) is not a 32-byte Ed25519 seed in hex")
        }
        return key
    }

    private func make(_ name: String) throws -> Curve25519.Signing.PrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        guard let path = path(name) else { return key }
        let text = Hex.encode(key.rawRepresentation) + "\n"
        guard
            FileManager.default.createFile(
                atPath: path,
                contents: Data(text.utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else {
            throw Failure(description: "cannot write the key file \(path)")
        }
        return key
    }
}

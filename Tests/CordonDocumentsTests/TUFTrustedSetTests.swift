import CordonCore
import CordonDocuments
import Crypto
import Foundation
import Testing

/// The TUF client's rules on their own: root rotation, versions, expiry, canonical signing.
@Suite struct TUFTrustedSetTests {
    let now = Date(timeIntervalSince1970: 1_282_500_000)

    func keys() -> [String: Curve25519.Signing.PrivateKey] {
        Dictionary(uniqueKeysWithValues: ["root", "targets", "snapshot", "timestamp"].map { ($0, .init()) })
    }

    func root(
        _ version: Int,
        _ keys: [String: Curve25519.Signing.PrivateKey],
        signedBy signers: [Curve25519.Signing.PrivateKey]
    ) throws
        -> Data
    {
        let root = TUFRoot(version: version, expires: now + 86400, roleKeys: keys.mapValues { TUFKey($0.publicKey) })
        return try TUFEnvelope(signing: root.signed, with: signers).data
    }

    @Test func aNewRootNeedsTheOldKeysAndItsOwn() throws {
        let old = keys()
        var new = old
        new["root"] = Curve25519.Signing.PrivateKey()
        var trusted = try TUFTrustedSet(root: try root(1, old, signedBy: [old["root"]!]))

        // Signed by the new key alone: the old root does not vouch for it.
        #expect(throws: TUFError.signatures(role: "root", valid: 0, needed: 1)) {
            try trusted.updateRoot(try root(2, new, signedBy: [new["root"]!]))
        }
        // Signed by the old key alone: it does not vouch for itself.
        #expect(throws: TUFError.signatures(role: "root", valid: 0, needed: 1)) {
            try trusted.updateRoot(try root(2, new, signedBy: [old["root"]!]))
        }
        // Skipping a version is refused.
        #expect(throws: TUFError.versionMismatch(role: "root", expected: 2, found: 3)) {
            try trusted.updateRoot(try root(3, new, signedBy: [old["root"]!, new["root"]!]))
        }
        try trusted.updateRoot(try root(2, new, signedBy: [old["root"]!, new["root"]!]))
        #expect(trusted.root.common.version == 2)
        #expect(trusted.root.keys[TUFKey(new["root"]!.publicKey).keyID] != nil)
        #expect(throws: TUFError.expired(role: "root", expires: TUFTime.format(now + 86400))) {
            try trusted.checkRoot(now: now + 2 * 86400)
        }
    }

    @Test func aTimestampMayRepeatButNeverGoBack() throws {
        let keys = keys()
        var trusted = try TUFTrustedSet(root: try root(1, keys, signedBy: [keys["root"]!]))
        func timestamp(_ version: Int, snapshot: Int, expires: Date) throws -> Data {
            let value = TUFTimestamp(version: version, expires: expires, snapshotVersion: snapshot, snapshotInfo: nil)
            return try TUFEnvelope(signing: value.signed, with: [keys["timestamp"]!]).data
        }
        #expect(try trusted.updateTimestamp(try timestamp(3, snapshot: 3, expires: now + 60), now: now))
        #expect(try trusted.updateTimestamp(try timestamp(3, snapshot: 3, expires: now + 60), now: now) == false)
        #expect(throws: TUFError.rollback(role: "timestamp", held: 3, offered: 2)) {
            try trusted.updateTimestamp(try timestamp(2, snapshot: 3, expires: now + 60), now: now)
        }
        #expect(throws: TUFError.rollback(role: "snapshot", held: 3, offered: 2)) {
            try trusted.updateTimestamp(try timestamp(4, snapshot: 2, expires: now + 60), now: now)
        }
        #expect(throws: TUFError.expired(role: "timestamp", expires: TUFTime.format(now + 60))) {
            try trusted.updateTimestamp(try timestamp(4, snapshot: 4, expires: now + 60), now: now + 61)
        }
        #expect(trusted.timestamp?.common.version == 3)
    }

    @Test func signaturesCoverTheCanonicalFormOnly() throws {
        let key = Curve25519.Signing.PrivateKey()
        let signed = JSONValue.object(["b": .number(2), "a": .string("ä/\""), "c": .array([.bool(true), .null])])
        let envelope = try TUFEnvelope(signing: signed, with: [key])
        #expect(signed.canonicalText == #"{"a":"ä/\"","b":2,"c":[true,null]}"#)
        // The same content written with spaces and in another order still verifies after reading.
        let loose = Data(
            #"{ "signed": {"c": [true, null], "b": 2, "a": "ä/\""}, "signatures": [{"sig": "\#(envelope.signatures[0].value)", "keyid": "\#(envelope.signatures[0].keyID)"}] }"#
                .utf8
        )
        let read = try TUFEnvelope(data: loose, file: "x.json")
        let tufKey = TUFKey(key.publicKey)
        try read.verify(role: "x", keys: [tufKey.keyID: tufKey], keyIDs: [tufKey.keyID], threshold: 1)
        // Changed content does not.
        let changed = Data(
            String(decoding: loose, as: UTF8.self).replacingOccurrences(of: "\"b\": 2", with: "\"b\": 3").utf8
        )
        #expect(throws: TUFError.signatures(role: "x", valid: 0, needed: 1)) {
            try TUFEnvelope(data: changed, file: "x.json")
                .verify(role: "x", keys: [tufKey.keyID: tufKey], keyIDs: [tufKey.keyID], threshold: 1)
        }
        #expect(TUFTime.parse("2010-08-23T01:10:00Z") == Date(timeIntervalSince1970: 1_282_525_800))
        #expect(TUFTime.parse("2010-02-30T00:00:00Z") == nil)
        #expect(TUFTime.format(Date(timeIntervalSince1970: 1_282_525_800)) == "2010-08-23T01:10:00Z")
    }

    /// Fuzz/Regressions/TUF/root-expiring-in-0259: a year before 1000 was written without its leading
    /// zeros, which the reader refuses, so a root read and written again could not be read back.
    @Test func expiryYearsBefore1000KeepFourDigits() throws {
        for text in ["0259-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "0999-12-31T23:59:59Z"] {
            let date = try #require(TUFTime.parse(text))
            #expect(TUFTime.format(date) == text)
        }
        #expect(TUFTime.parse("0000-01-01T00:00:00Z") == nil)
        let expires = try #require(TUFTime.parse("0259-01-01T00:00:00Z"))
        let key = Curve25519.Signing.PrivateKey()
        let root = TUFRoot(version: 2, expires: expires, roleKeys: keys().mapValues { _ in TUFKey(key.publicKey) })
        let envelope = try TUFEnvelope(data: try TUFEnvelope(signing: root.signed, with: [key]).data, file: "root.json")
        #expect(try TUFRoot(envelope.signed).common == root.common)
    }
}

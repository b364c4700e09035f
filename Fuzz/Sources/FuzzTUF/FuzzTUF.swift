import CordonCore
import CordonDocuments
import Crypto
import Foundation
import FuzzSupport

/// TUF metadata: the input is a metadata file as a checkpoint downloads it. It is read as an envelope
/// and as each role, offered as a first root to `TUFTrustedSet`, then signed again with the harness's
/// key and offered to a trusted set whose root trusts that key, in the order a checkpoint's sync does.
///
/// Invariants: an envelope written and read again is the same; a role written and read again has the
/// same fields; signed by the trusted key, a timestamp, snapshot or targets named by the metadata above
/// it is accepted exactly when it has not expired, and a target file is accepted only with the length
/// and hash listed.
let now = Instant.parse("2025-06-01T00:00:00Z")!
let far = Instant.parse("2100-01-01T00:00:00Z")!
/// The harness's signing key (a computed value: private keys are not `Sendable`).
var key: Curve25519.Signing.PrivateKey {
    try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 9, count: 32))
}
let tufKey = TUFKey(key.publicKey)
let rootData = try! TUFEnvelope(
    signing: TUFRoot(
        version: 1,
        expires: far,
        roleKeys: ["root": tufKey, "timestamp": tufKey, "snapshot": tufKey, "targets": tufKey]
    ).signed,
    with: [key]
).data
let trusted = try! TUFTrustedSet(root: rootData)

func signed(_ value: JSONValue) -> Data { try! TUFEnvelope(signing: value, with: [key]).data }

/// A trusted set holding a timestamp that names `snapshot` (and its file, when given).
func holding(snapshot version: Int, file: Data?) -> TUFTrustedSet {
    var set = trusted
    let timestamp = TUFTimestamp(
        version: 1,
        expires: far,
        snapshotVersion: version,
        snapshotInfo: file.map(TUFFileInfo.init(of:))
    )
    try! set.updateTimestamp(signed(timestamp.signed), now: now)
    return set
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTUF(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = Data(bytes(start, count))
    _ = try? TUFTrustedSet(root: data)
    guard let envelope = try? TUFEnvelope(data: data, file: "input.json") else { return 0 }
    guard let again = try? TUFEnvelope(data: envelope.data, file: "again.json") else {
        invariant(false, "the envelope as written is refused")
        return 0
    }
    invariant(again.signed == envelope.signed, "the signed part reads otherwise")
    invariant(again.signatures == envelope.signatures, "the signatures read otherwise")
    let value = envelope.signed
    let file = signed(value)

    if let root = try? TUFRoot(value) {
        let reread = try? TUFRoot(root.signed)
        invariant(reread?.common == root.common, "the root's version or expiry reads otherwise")
        invariant(reread?.keys == root.keys && reread?.roles == root.roles, "the root's keys read otherwise")
        invariant(reread?.consistentSnapshot == root.consistentSnapshot, "consistent_snapshot reads otherwise")
        var set = trusted
        if (try? set.updateRoot(file)) != nil {
            invariant(root.common.version == 2, "root version \(root.common.version) taken after version 1")
            invariant(set.timestamp == nil, "a timestamp kept over a new root")
        }
    }
    if let timestamp = try? TUFTimestamp(value) {
        let reread = try? TUFTimestamp(timestamp.signed)
        invariant(reread?.common == timestamp.common, "the timestamp's version or expiry reads otherwise")
        invariant(reread?.snapshotVersion == timestamp.snapshotVersion, "the snapshot version reads otherwise")
        invariant(reread?.snapshotInfo == timestamp.snapshotInfo, "the snapshot's length and hash read otherwise")
        var set = trusted
        let taken = (try? set.updateTimestamp(file, now: now)) == true
        invariant(taken == (timestamp.common.expires > now), "a timestamp expiring \(timestamp.common.expires)")
        if taken { invariant((try? set.updateTimestamp(file, now: now)) == false, "the same timestamp twice") }
    }
    if let snapshot = try? TUFSnapshot(value) {
        let reread = try? TUFSnapshot(snapshot.signed)
        invariant(reread?.common == snapshot.common, "the snapshot's version or expiry reads otherwise")
        invariant(reread?.targetsVersion == snapshot.targetsVersion, "the targets version reads otherwise")
        var set = holding(snapshot: snapshot.common.version, file: file)
        let taken = (try? set.updateSnapshot(file, now: now)) != nil
        invariant(taken == (snapshot.common.expires > now), "a snapshot expiring \(snapshot.common.expires)")
    }
    if let targets = try? TUFTargets(value) {
        let reread = try? TUFTargets(targets.signed)
        invariant(reread?.common == targets.common, "the targets' version or expiry reads otherwise")
        invariant(reread?.targets == targets.targets, "the targets read otherwise")
        let snapshot = TUFSnapshot(version: 1, expires: far, targetsVersion: targets.common.version)
        var set = holding(snapshot: 1, file: nil)
        try! set.updateSnapshot(signed(snapshot.signed), now: now)
        let taken = (try? set.updateTargets(file, now: now)) != nil
        invariant(taken == (targets.common.expires > now), "targets expiring \(targets.common.expires)")
        if taken {
            let empty = TUFFileInfo(of: Data())
            for (name, target) in targets.targets {
                let accepted = (try? set.verifyTarget(name, data: Data())) != nil
                invariant(accepted == (target.info == empty), "target \(name) taken against \(target.info)")
            }
            if targets.targets["not-listed"] == nil {
                invariant((try? set.verifyTarget("not-listed", data: Data())) == nil, "an unlisted target taken")
            }
        }
    }
    return 0
}

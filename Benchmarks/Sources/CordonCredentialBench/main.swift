// cordon-credential-bench: the size of officers' credential tokens and the time to sign and verify
// them offline. See docs/PERFORMANCE.md for the command.
import CordonDocuments
import Crypto
import Foundation

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

/// CPU time of the calling thread, which time slices lost to other processes do not inflate.
func threadCPUNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

func wallNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3)
        .joined(separator: " ")
}

func percentile(_ sorted: [Int], _ p: Double) -> Int {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
}

let args = Array(CommandLine.arguments.dropFirst())
let count = option("--count", args).flatMap(Int.init) ?? 20_000
let revokedCount = option("--revoked", args).flatMap(Int.init) ?? 10_000

let families = ["Назаров", "Қодиров", "Ҳакимов", "Олимов", "Шарипов", "Маҳмадалиев", "Бобоев", "Ғуломов", "Юсупов"]
let given = ["Фарҳод", "Сорбон", "Илҳом", "Далер", "Бахтиёр", "Рустам", "Ҷонибек", "Муроджон", "Анвар"]
let patronymics = ["Раҳимович", "Аминович", "Каримович", "Саидович", "Назарович"]
let latinFamilies = ["Nazarov", "Qodirov", "Hakimov", "Olimov", "Sharipov", "Mahmadaliev", "Boboev", "Ghulomov"]
let latinGiven = ["Farhod", "Sorbon", "Ilhom", "Daler", "Bakhtiyor", "Rustam", "Jonibek", "Murodjon"]

let key = Curve25519.Signing.PrivateKey()
let keyID = CredentialKeyID(of: key.publicKey)
let from = Date(timeIntervalSince1970: 1_764_000_000)
let now = from.addingTimeInterval(86_400)
var credentials: [OfficerCredential] = []
for i in 0..<count {
    // Half with a three-part Cyrillic name, half two-part Latin; every other one binds a photo hash.
    let name =
        i % 2 == 0
        ? "\(families[i % families.count]) \(given[i % given.count]) \(patronymics[i % patronymics.count])"
        : "\(latinGiven[i % latinGiven.count]) \(latinFamilies[i % latinFamilies.count])"
    let photo: [UInt8]? = i % 4 < 2 ? Array(SHA256.hash(data: Data("photo-\(i)".utf8))) : nil
    credentials.append(
        try! OfficerCredential(
            id: "cr-" + String(format: "%012x", i * 7919),
            keyID: keyID,
            name: name,
            serviceNumber: "GK-\(10_000 + i % 90_000)",
            unit: i % 3 == 0 ? "fac-gknb-ward" : "fac-moj-sizo",
            role: "guard",
            photoSHA256: photo,
            validFrom: from,
            validUntil: from.addingTimeInterval(365 * 86_400)
        )
    )
}

var tokens: [String] = []
tokens.reserveCapacity(count)
let signStart = (wallNanoseconds(), threadCPUNanoseconds())
for credential in credentials { tokens.append(try! CredentialToken.make(credential, signedWith: key)) }
let signWall = Double(wallNanoseconds() - signStart.0) / Double(count)
let signCPU = Double(threadCPUNanoseconds() - signStart.1) / Double(count)

var revoked: [String: String?] = [:]
for i in 0..<revokedCount { revoked["cr-r\(i)"] = "reason \(i)" }
// One in ten of the tokens is revoked.
for (i, credential) in credentials.enumerated() where i % 10 == 0 { revoked[credential.id] = "uniform taken" }
let verifier = CredentialVerifier(keys: [key.publicKey], revoked: revoked)

var valid = 0
var perToken: [Int] = []
perToken.reserveCapacity(count)
let verifyStart = (wallNanoseconds(), threadCPUNanoseconds())
for token in tokens {
    let started = threadCPUNanoseconds()
    if verifier.verify(token, at: now).isValid { valid += 1 }
    perToken.append(Int(threadCPUNanoseconds() - started))
}
let verifyWall = Double(wallNanoseconds() - verifyStart.0) / Double(count)
let verifyCPU = Double(threadCPUNanoseconds() - verifyStart.1) / Double(count)
perToken.sort()

// The parts of a verification: reading the token, and the Ed25519 check alone.
let parsed = tokens.map { try! CredentialToken.parse($0) }
let parseStart = threadCPUNanoseconds()
for token in tokens { _ = try? CredentialToken.parse(token) }
let parseCPU = Double(threadCPUNanoseconds() - parseStart) / Double(count)
let publicKey = key.publicKey
var checked = 0
let checkStart = threadCPUNanoseconds()
for item in parsed where publicKey.isValidSignature(item.signature, for: item.signedBytes) { checked += 1 }
let checkCPU = Double(threadCPUNanoseconds() - checkStart) / Double(count)

let lengths = tokens.map(\.utf8.count).sorted()
let cyrillicPhoto = tokens.enumerated().filter { $0.offset % 4 == 0 }.map(\.element.utf8.count)
let latinNoPhoto = tokens.enumerated().filter { $0.offset % 4 == 3 }.map(\.element.utf8.count)

print("credentials: \(count), revoked ids in the list: \(revoked.count), load average: \(loadAverage())")
print(
    "token length: min \(lengths.first ?? 0), median \(percentile(lengths, 0.5)), max \(lengths.last ?? 0) characters; "
        + "3-part Cyrillic + photo \(cyrillicPhoto.min() ?? 0)-\(cyrillicPhoto.max() ?? 0), "
        + "2-part Latin without photo \(latinNoPhoto.min() ?? 0)-\(latinNoPhoto.max() ?? 0)"
)
print(String(format: "sign: %.1f µs wall, %.1f µs thread CPU per credential", signWall / 1000, signCPU / 1000))
print(
    String(
        format:
            "verify: %.1f µs wall, %.1f µs thread CPU per credential (p50 %.1f, p99 %.1f µs CPU); %d valid, %d revoked",
        verifyWall / 1000,
        verifyCPU / 1000,
        Double(percentile(perToken, 0.5)) / 1000,
        Double(percentile(perToken, 0.99)) / 1000,
        valid,
        count - valid
    )
)
print(
    String(
        format: "of which: reading the token %.1f µs, the Ed25519 signature check %.1f µs thread CPU (%d checked)",
        parseCPU / 1000,
        checkCPU / 1000,
        checked
    )
)

import CordonCore
import CordonDocuments
import Foundation
import FuzzSupport

/// List imports: the input is an outside list, read both as FollowTheMoney JSON lines and as Cordon's
/// CSV list, as `POST /v1/lists/import` reads an upload.
///
/// Invariants: every rejection and warning names a line of the file; the entities taken have distinct
/// ids; written in the same format and read again, every entity is taken again, in the same order, with
/// the same id, name, birth date, nationalities and sex; FollowTheMoney lines ending in CR LF read as
/// those ending in LF (JSON text holds no raw line breaks, so the two files say the same).
let listedAt = Instant.parse("2025-06-01T00:00:00Z")!
let context = ValidationContext(now: listedAt)

struct Format: Sendable {
    let name: String
    let read: @Sendable (String, Date, ValidationContext) -> ListImport
    let write: @Sendable ([Person], [Organization]) -> String
}

let formats = [
    Format(name: "FollowTheMoney", read: FollowTheMoney.read, write: FollowTheMoney.write),
    Format(name: "CSV", read: CSVList.read, write: CSVList.write),
]

func summary(_ organization: Organization) -> String { organization.id.rawValue + "|" + organization.name }

func summary(_ person: Person) -> String {
    [
        person.id.rawValue, person.name.fullName, person.birthDate?.description ?? "",
        person.nationalities.map(\.rawValue).joined(separator: ";"), person.sex.rawValue,
    ].joined(separator: "|")
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzListImport(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = text(start, count)
    // A line is counted at every line feed, and at a carriage return not followed by one.
    let lines = input.unicodeScalars.count { $0 == "\n" || $0 == "\r" } + 1
    for format in formats {
        let list = format.read(input, listedAt, context)
        for line in list.rejected.map(\.line) + list.warnings.map(\.line) {
            invariant((1...lines).contains(line), "\(format.name): line \(line) of \(lines)")
        }
        let ids = list.persons.map(\.id.rawValue) + list.organizations.map(\.id.rawValue)
        invariant(Set(ids).count == ids.count, "\(format.name): an id taken twice in \(ids)")
        if ids.isEmpty { continue }
        let written = format.write(list.persons, list.organizations)
        let again = format.read(written, listedAt, context)
        invariant(again.rejected.isEmpty, "\(format.name): refused as written: \(again.rejected)\n\(written)")
        invariant(
            again.persons.map(summary) == list.persons.map(summary),
            "\(format.name): persons read otherwise as written:\n\(written)"
        )
        invariant(
            again.organizations.map(summary) == list.organizations.map(summary),
            "\(format.name): organisations read otherwise as written:\n\(written)"
        )
    }
    let unix = input.replacingOccurrences(of: "\r\n", with: "\n")
    if unix != input {
        let crlf = FollowTheMoney.read(input, listedAt: listedAt, context: context)
        let lf = FollowTheMoney.read(unix, listedAt: listedAt, context: context)
        invariant(crlf.persons.map(summary) == lf.persons.map(summary), "CR LF lines read otherwise")
        invariant(crlf.organizations.map(summary) == lf.organizations.map(summary), "CR LF lines read otherwise")
    }
    return 0
}

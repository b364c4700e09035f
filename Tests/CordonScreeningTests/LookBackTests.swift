import CordonCore
import CordonDocuments
import CordonMatch
import CordonScreening
import Foundation
import Testing

/// Looking back on its own: past queries read from audit records and screened again against the new
/// entries alone.
struct LookBackTests {
    static let at = Instant.parse("2026-11-24T14:00:00Z")!

    /// The man declared wanted: surname, given name, patronymic.
    static let wanted = WatchlistEntry(
        id: "p-sattorov-bahrom",
        name: "Сатторов Бахром Исмоилович",
        aliases: ["Sattorov Bahrom Ismoilovich", "Bahrom Sattorov"],
        birthDates: [ScreeningDate(year: 1981, month: 3, day: 9)!],
        nationalities: ["TJ"],
        gender: .male,
        documentNumbers: ["401234567"]
    )

    /// Listed long ago: not new, so never looked back for.
    static let old = WatchlistEntry(id: "p-old", name: "Qodirov Jamshed Valievich")

    static let vehicle = try! Vehicle(
        id: VehicleID("veh-camry-grey"),
        plate: PlateNumber("0417 BB 02"),
        country: CountryCode("TJ"),
        make: "Toyota",
        model: "Camry",
        colour: "grey"
    )

    static func query(_ name: String, sequence: Int64 = 7, alerted: Set<String> = []) -> PastQuery {
        PastQuery(
            subject: .person(ScreeningQuery(name: name, kind: .person)),
            kind: .name,
            text: name,
            at: at,
            account: "cp-east-officer",
            auditSequence: sequence,
            index: 0,
            alerted: alerted
        )
    }

    static func record(_ action: String, role: Role?, target: String? = nil, details: JSONValue) -> AuditRecord {
        AuditRecord(
            draft: .init(actor: "cp-east-officer", role: role, action: action, target: target, details: details),
            sequence: 12,
            at: at,
            listVersion: 40,
            previousHash: AuditChain.genesisHash
        )
    }

    @Test func aMisspellingIsFoundAmongTheNewEntriesOnly() throws {
        let lookBack = LookBack(persons: [Self.wanted], vehicles: [], threshold: 0.95)
        let found = lookBack.screen(Self.query("Satorov Bakhrom Ismoilovich"))
        let finding = try #require(found.first)
        #expect(found.count == 1)
        #expect(finding.entry == "p-sattorov-bahrom")
        #expect(finding.score >= 0.95)
        #expect(!finding.summary.isEmpty)
        #expect(finding.explanation["parts"]?.arrayValue.isEmpty == false)

        // The old entry would match its own name, but it is not new: the look back does not see it.
        #expect(lookBack.screen(Self.query("Qodirov Jamshed Valievich")).isEmpty)
        let lead = LookBack.lead(finding, checkpoint: try CheckpointID("cp-east"), foundAt: Self.at, listVersion: 41)
        #expect(lead.person?.rawValue == "p-sattorov-bahrom")
        #expect(lead.query.checkpoint?.rawValue == "cp-east")
        #expect(lead.query.at == Self.at)
        #expect(lead.id == Lead.makeID(entry: "p-sattorov-bahrom", auditSequence: 7, index: 0))
    }

    @Test func aBrotherSharingSurnameAndPatronymicIsNotFound() {
        let lookBack = LookBack(persons: [Self.wanted], vehicles: [], threshold: 0.95)
        #expect(lookBack.screen(Self.query("Sattorov Farhod Ismoilovich")).isEmpty)
        #expect(lookBack.screen(Self.query("Сатторов Фарход Исмоилович")).isEmpty)
    }

    @Test func aListsOwnThresholdHoldsLookingBackToo() throws {
        var tonight = WatchlistEntry(id: "p-tonight", name: "Kholiqnazarov Zafar Sharifovich Mahmadali")
        tonight.list = "tonight"
        // Half the name scores about 0.91: a lead at tonight's 0.9, nothing at the default 0.95.
        let lenient = LookBack(persons: [tonight], vehicles: [], threshold: 0.95, listThresholds: ["tonight": 0.9])
        let finding = try #require(lenient.screen(Self.query("Zafar Kholiqnazarov")).first)
        #expect(finding.entry == "p-tonight")
        #expect(finding.score < 0.95)
        #expect(
            LookBack(persons: [tonight], vehicles: [], threshold: 0.95).screen(Self.query("Zafar Kholiqnazarov"))
                .isEmpty
        )
    }

    @Test func aQueryThatAlertedThenIsNoLead() {
        let lookBack = LookBack(persons: [Self.wanted], vehicles: [], threshold: 0.95)
        #expect(lookBack.screen(Self.query("Sattorov Bahrom", alerted: ["p-sattorov-bahrom"])).isEmpty)
    }

    @Test func onlyNewAndChangedEntriesAreLookedBackFor() {
        var renamed = Self.wanted
        renamed.aliases.append("Bahrom Sattori")
        let previous = ["p-sattorov-bahrom": Self.wanted, "p-old": Self.old]
        #expect(LookBack.changed([("p-sattorov-bahrom", Self.wanted), ("p-old", Self.old)], since: previous).isEmpty)
        #expect(LookBack.changed([("p-sattorov-bahrom", renamed), ("p-old", Self.old)], since: previous) == [renamed])
        #expect(LookBack.changed([("p-sattorov-bahrom", Self.wanted)], since: ["p-old": Self.old]) == [Self.wanted])
    }

    @Test func aPlateOneCharacterOffIsFound() throws {
        let lookBack = LookBack(persons: [], vehicles: [Self.vehicle], threshold: 0.95)
        let read = PastQuery(
            subject: .plate(written: "0417 8B 02", country: nil),
            kind: .plate,
            text: "0417 8B 02",
            at: Self.at,
            account: "cp-east-officer",
            auditSequence: 9,
            index: 0
        )
        let finding = try #require(lookBack.screen(read).first)
        #expect(finding.isVehicle)
        #expect(finding.entry == "veh-camry-grey")
        #expect(finding.explanation["rule"]?.stringValue != nil)
        let lead = LookBack.lead(finding, checkpoint: nil, foundAt: Self.at, listVersion: 3)
        #expect(lead.vehicle?.rawValue == "veh-camry-grey")
        #expect(lead.person == nil)
        let other = PastQuery(
            subject: .plate(written: "7788 CC 03", country: nil),
            kind: .plate,
            text: "7788 CC 03",
            at: Self.at,
            account: "cp-east-officer",
            auditSequence: 9,
            index: 1
        )
        #expect(lookBack.screen(other).isEmpty)
    }

    @Test func aDocumentIsScreenedAsItsZoneWas() throws {
        let details = JSONValue.object([
            "queries": .array([
                .object([
                    "name": .string("SATOROV BAKHROM ISMOILOVICH"),
                    "birth_date": .null,
                    "nationality": .null,
                    "document": .object([
                        "format": .string("td3"),
                        "document_number": .string("401234567"),
                        "issuing_state": .string("TJK"),
                        "name": .string("SATOROV BAKHROM ISMOILOVICH"),
                        "corrections": .number(0),
                        "birth_date": .string("1981-03-09"),
                        "nationality": .string("TJ"),
                        "sex": .string("male"),
                    ]),
                    "hits": .array([]),
                ])
            ])
        ])
        let queries = PastQuery.queries(in: Self.record("screen", role: .checkpointOfficer, details: details))
        let query = try #require(queries.first)
        #expect(query.kind == .document)
        #expect(query.document == "401234567")
        guard case .person(let screening) = query.subject else {
            Issue.record("a document is a person query")
            return
        }
        #expect(screening.birthDate == ScreeningDate(year: 1981, month: 3, day: 9))
        #expect(screening.nationality == "TJ")
        #expect(screening.gender == .male)
        #expect(screening.documentNumber == "401234567")
        let finding = try #require(LookBack(persons: [Self.wanted], vehicles: [], threshold: 0.95).screen(query).first)
        #expect(finding.entry == "p-sattorov-bahrom")
        #expect(finding.explanation["evidence"]?.arrayValue.isEmpty == false)
    }

    @Test func onlyCheckpointsQueriesAndReportsAreRead() throws {
        let screened = JSONValue.object([
            "queries": .array([
                .object([
                    "name": .string("Satorov Bakhrom"),
                    "hits": .array([.object(["id": .string("p-x"), "score": .number(0.97), "alert": .bool(true)])]),
                ]),
                .object(["name": .string("Sattorov Farhod"), "hits": .array([])]),
            ])
        ])
        let byOfficer = PastQuery.queries(in: Self.record("screen.batch", role: .checkpointOfficer, details: screened))
        #expect(byOfficer.map(\.text) == ["Satorov Bakhrom", "Sattorov Farhod"])
        #expect(byOfficer.map(\.index) == [0, 1])
        #expect(byOfficer[0].alerted == ["p-x"])
        #expect(PastQuery.queries(in: Self.record("screen", role: .analyst, details: screened)).isEmpty)
        #expect(PastQuery.queries(in: Self.record("persons.replace", role: .commander, details: screened)).isEmpty)

        let uploaded = JSONValue.object([
            "accepted": .array([.string("r-00000001")]),
            "reports": .array([
                .object([
                    "id": .string("r-00000001"),
                    "kind": .string("hit"),
                    "observed_at": .string("2026-11-24T09:30:00Z"),
                    "query": .string("Satorov Bakhrom"),
                    "document": .null,
                    "person": .string("p-x"),
                    "vehicle": .null,
                ]),
                .object([
                    "id": .string("r-00000002"),
                    "kind": .string("hit"),
                    "observed_at": .string("2026-11-24T09:31:00Z"),
                    "query": .string("P<TJKSATOROV<<BAKHROM<<<<<<<<<<<<<<<<<<<<<<<"),
                    "person": .string("p-x"),
                ]),
            ]),
        ])
        let reports = PastQuery.queries(
            in: Self.record(
                "checkpoint.reports",
                role: .checkpointOfficer,
                target: "checkpoint/cp-east",
                details: uploaded
            )
        )
        let report = try #require(reports.first)
        #expect(reports.count == 1, "a zone's line is not a name")
        #expect(report.checkpoint?.rawValue == "cp-east")
        #expect(report.at == Instant.parse("2026-11-24T09:30:00Z"))
        #expect(report.report == "r-00000001")
        #expect(report.alerted == ["p-x"])
    }
}

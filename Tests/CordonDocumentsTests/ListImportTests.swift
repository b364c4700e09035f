import CordonCore
import CordonDocuments
import Foundation
import Testing

private let listedAt = Instant.parse("2010-08-25T10:00:00+05:00")!
private let context = ValidationContext(now: listedAt)

@Suite struct ListImportTests {
    @Test func readsFollowTheMoneyPersonsAndOrganisations() throws {
        let text = [
            #"{"id":"ofac-1","schema":"Person","properties":{"name":["Nurullo Abdulloev"],"firstName":["Nurullo"],"lastName":["Abdulloev"],"alias":["Domullo"],"weakAlias":["Mullo"],"birthDate":["1975-09"],"nationality":["tj","xk"],"gender":["male"],"passportNumber":["A0512904"]}}"#,
            #"{"id":"ofac-2","schema":"Organization","properties":{"name":["Islamic Movement of Uzbekistan"],"alias":["IMU"],"abbreviation":["IMU"]}}"#,
        ].joined(separator: "\n")
        let list = FollowTheMoney.read(text, listedAt: listedAt, context: context)
        #expect(list.rejected.isEmpty)
        let person = try #require(list.persons.first)
        #expect(person.id.rawValue == "ofac-1")
        #expect(person.name.part(.given) == "Nurullo")
        #expect(person.name.part(.family) == "Abdulloev")
        #expect(person.aliases.contains { $0.kind == .weak && $0.value == "Mullo" })
        #expect(person.birthDate?.description == "1975-09")
        #expect(person.nationalities.map(\.rawValue) == ["TJ"])
        #expect(person.documents.first?.number == "A0512904")
        #expect(person.wanted?.status == .atLarge)
        #expect(list.warnings.contains { $0.line == 1 && $0.message.contains("xk") })
        #expect(list.organizations.first?.acronyms == ["IMU"])
    }

    @Test func reportsBadLinesByNumberAndKeepsTheGoodOnes() {
        let text = [
            "{not json", #"{"schema":"Person","properties":{"name":["No Id"]}}"#,
            #"{"id":"x-1","schema":"Vessel","properties":{"name":["Boat"]}}"#,
            #"{"id":"x-2","schema":"Person","properties":{}}"#, "",
            #"{"id":"x-3","schema":"Person","properties":{"name":["Good Man"]}}"#,
            #"{"id":"X-3","schema":"Person","properties":{"name":["Same Id"]}}"#,
        ].joined(separator: "\n")
        let list = FollowTheMoney.read(text, listedAt: listedAt, context: context)
        #expect(list.rejected.map(\.line) == [1, 2, 3, 4, 7])
        #expect(list.persons.map(\.id.rawValue) == ["x-3"])
    }

    @Test func readsCSVWithQuotesAndReportsBadRows() {
        let text = [
            "id,type,name,aliases,birth_date,nationalities,gender",
            #"c-1,person,"Saidov, Bahrom","Bahrom Saidov;Саидов Баҳром",1980,TJ;UZ,male"#,
            #"c-2,organization,"Group ""B""",GB,,,"#,
            "c-3,robot,X,,,,",
            "c-4,person,Short Row",
            #"c-5,person,"Unclosed,,,,,"#,
        ].joined(separator: "\n")
        let list = CSVList.read(text, listedAt: listedAt, context: context)
        #expect(list.persons.map(\.id.rawValue) == ["c-1"])
        #expect(list.persons.first?.aliases.count == 2)
        #expect(list.persons.first?.nationalities.count == 2)
        #expect(list.organizations.first?.name == "Group \"B\"")
        #expect(list.rejected.map(\.line) == [4, 5, 6])
    }

    @Test func refusesACSVWithoutItsHeader() {
        let list = CSVList.read("a,b\n1,2\n", listedAt: listedAt, context: context)
        #expect(list.rejected.first?.line == 1)
        #expect(list.persons.isEmpty)
    }

    @Test func roundTripsThroughBothFormats() throws {
        let first = FollowTheMoney.read(
            #"{"id":"p-1","schema":"Person","properties":{"name":["Hikmatullo Davlatov"],"birthDate":["1981-03-14"],"nationality":["tj"]}}"#,
            listedAt: listedAt,
            context: context
        )
        let ftm = FollowTheMoney.write(persons: first.persons, organizations: [])
        let again = FollowTheMoney.read(ftm, listedAt: listedAt, context: context)
        #expect(again.persons.first?.name.fullName == "Hikmatullo Davlatov")
        #expect(again.persons.first?.birthDate == first.persons.first?.birthDate)
        let csv = CSVList.write(persons: first.persons, organizations: [])
        let fromCSV = CSVList.read(csv, listedAt: listedAt, context: context)
        #expect(fromCSV.persons.first?.nationalities == first.persons.first?.nationalities)
    }

    /// Fuzz/Regressions/ListImport/ftm-object-across-crlf: a CR LF is one `Character`, so splitting at
    /// LF read a file with CR LF line ends as one line.
    @Test func readsFollowTheMoneyLinesEndingInCRLF() {
        let lines = [
            #"{"id":"w-1","schema":"Person","properties":{"name":["Davron Karimov"]}}"#,
            #"{"id":"w-2","schema":"Organization","properties":{"name":["River Group"]}}"#,
        ]
        let list = FollowTheMoney.read(lines.joined(separator: "\r\n") + "\r\n", listedAt: listedAt, context: context)
        #expect(list.rejected.isEmpty)
        #expect(list.persons.map(\.id.rawValue) == ["w-1"])
        #expect(list.organizations.map(\.id.rawValue) == ["w-2"])
        // An object broken over two lines is two bad lines, whatever ends them.
        let broken = "{\r\n" + #""id":"2","schema":"Organization","properties":{"name":["p"]}}"#
        for text in [broken, broken.replacingOccurrences(of: "\r\n", with: "\n")] {
            let read = FollowTheMoney.read(text, listedAt: listedAt, context: context)
            #expect(read.rejected.map(\.line) == [1, 2])
            #expect(read.organizations.isEmpty)
        }
    }

    /// Fuzz/Regressions/ListImport/long-id-slug: a long id cut just after a dash gave a slug with `--`,
    /// which read again made another slug, so a list written and read back changed its ids.
    @Test func slugsOfLongIdentifiersReadBackTheSame() throws {
        let id = String(repeating: "c", count: 50) + "(x" + String(repeating: "y", count: 20)
        let slug = try #require(ListImport.slug(id))
        #expect(!slug.contains("--") && slug.count <= 64)
        #expect(ListImport.slug(slug) == slug)
        let csv = "id,type,name,aliases,birth_date,nationalities,gender\n\(id),person,Zarina Olimova,,,,\n"
        let first = CSVList.read(csv, listedAt: listedAt, context: context)
        let written = CSVList.write(persons: first.persons, organizations: [])
        let again = CSVList.read(written, listedAt: listedAt, context: context)
        #expect(first.persons.map(\.id.rawValue) == [slug])
        #expect(again.persons.map(\.id.rawValue) == [slug])
    }

    @Test func makesSlugsFromOutsideIdentifiers() {
        #expect(ListImport.slug("NK-ABC/123") == "nk-abc-123")
        #expect(ListImport.slug("---") == nil)
        let long = ListImport.slug(String(repeating: "a", count: 100))
        #expect(long?.count == 64)
    }
}

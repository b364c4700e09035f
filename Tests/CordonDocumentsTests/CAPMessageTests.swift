import CordonCore
import CordonDocuments
import Foundation
import Testing

private let zone = TimeZone(secondsFromGMT: 5 * 3600)!

private func time(_ text: String) throws -> CAPMessage.Time { try CAPMessage.Time(text) }

/// A message that uses every element Cordon models.
private func fullMessage() throws -> CAPMessage {
    let ward = try Coordinates(latitude: 38.5712, longitude: 68.7804)
    let area = try CAPMessage.Area(
        description: "Dushanbe and the road east to Vahdat & Romit <gorge>",
        polygons: [
            try CAPMessage.Polygon("38.60,68.70 38.60,69.10 38.50,69.10 38.50,68.70 38.60,68.70")
        ],
        circles: [try CAPMessage.Circle(center: ward, radiusKM: 50)],
        geocodes: [try CAPMessage.NamedValue(name: "ISO3166-2", value: "TJ-DU")],
        altitude: 2500,
        ceiling: 12_000.5
    )
    let info = try CAPMessage.Info(
        language: "ru-TJ",
        categories: [.security, .safety],
        event: "Escape from custody",
        responseTypes: [.monitor, .avoid],
        urgency: .immediate,
        severity: .severe,
        certainty: .observed,
        audience: "Police checkpoints",
        eventCodes: [try CAPMessage.NamedValue(name: "cordon", value: "escape")],
        effective: try time("2010-08-23T01:40:00+05:00"),
        onset: try time("2010-08-23T01:10:00+05:00"),
        expires: try time("2010-08-30T00:00:00-00:00"),
        senderName: "GKNB duty officer",
        headline: "25 escaped from the GKNB ward",
        description: "Line one\nLine two with <tags> & ampersands\r\nand a carriage return\n",
        instruction: "Stop & hold.",
        web: "https://cordon.example.tj/v1/alerts/alert-0001",
        contact: "+992 37 221 00 00",
        parameters: [
            try CAPMessage.NamedValue(name: "fugitive", value: "Мирзоев Абдурасул / Abdurasul Mirzoyev"),
            try CAPMessage.NamedValue(name: "empty", value: ""),
        ],
        areas: [area]
    )
    return try CAPMessage(
        identifier: "cordon-alert-0002",
        sender: "dutyofficer@gknb.example.tj",
        sent: try time("2010-08-23T01:45:00+05:00"),
        status: .exercise,
        messageType: .update,
        source: "Cordon",
        scope: .restricted,
        restriction: "Police checkpoints and units",
        codes: ["IPAWSv1.0", "cordon"],
        note: "Adds the Romit gorge",
        references: [
            try CAPMessage.Reference(
                sender: "dutyofficer@gknb.example.tj",
                identifier: "cordon-alert-0001",
                sent: try time("2010-08-23T01:40:00+05:00")
            )
        ],
        incidents: ["inc-escape-2010-08-22", "night of 22 August"],
        infos: [info]
    )
}

@Suite struct CAPMessageTests {
    @Test func roundTripsEveryModelledElement() throws {
        let message = try fullMessage()
        let xml = message.xmlDocument()
        let read = try CAPMessage(xml: xml)
        #expect(read == message)
        #expect(read.xmlDocument() == xml)
    }

    @Test func writesElementsInTheSchemaOrderWithTheNamespaceAndEscaping() throws {
        let xml = try fullMessage().xmlDocument()
        #expect(
            xml.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
            )
        )
        let order = [
            "<identifier>", "<sender>", "<sent>", "<status>", "<msgType>", "<source>", "<scope>", "<restriction>",
            "<code>", "<note>", "<references>", "<incidents>", "<info>", "<language>", "<category>", "<event>",
            "<responseType>", "<urgency>", "<severity>", "<certainty>", "<audience>", "<eventCode>", "<effective>",
            "<onset>", "<expires>", "<senderName>", "<headline>", "<description>", "<instruction>", "<web>",
            "<contact>", "<parameter>", "<area>", "<areaDesc>", "<polygon>", "<circle>", "<geocode>", "<altitude>",
            "<ceiling>",
        ]
        let positions = try order.map { try #require(xml.range(of: $0), "\($0) missing").lowerBound }
        #expect(positions == positions.sorted())
        #expect(xml.contains("<areaDesc>Dushanbe and the road east to Vahdat &amp; Romit &lt;gorge&gt;</areaDesc>"))
        #expect(xml.contains("<expires>2010-08-30T00:00:00-00:00</expires>"))
        #expect(xml.contains("<circle>38.5712,68.7804 50</circle>"))
        #expect(xml.contains("<incidents>inc-escape-2010-08-22 \"night of 22 August\"</incidents>"))
        #expect(xml.contains("and a carriage return"))
        #expect(!xml.contains("Z<"))
    }

    @Test func writesUTCAsMinusZero() throws {
        let sent = CAPMessage.Time(Instant.parse("2010-08-22T20:10:00Z")!, in: TimeZone(secondsFromGMT: 0)!)
        #expect(sent.text == "2010-08-22T20:10:00-00:00")
        #expect(
            CAPMessage.Time(Instant.parse("2010-08-22T20:10:00.75Z")!, in: zone).text == "2010-08-23T01:10:00+05:00"
        )
        #expect(try CAPMessage.Time("2010-08-22T20:10:00+00:00").text == "2010-08-22T20:10:00-00:00")
    }

    @Test(arguments: [
        "2010-08-22T17:14:00Z", "2010-08-22T22:14:00.5+05:00", "2010-08-22T22:14:00", "2010-08-22 22:14:00+05:00",
        "2010-02-30T22:14:00+05:00", "2010-08-22T22:14:00,05:00", "2010-08-22T22:14:00+0500", "",
    ])
    func rejectsTimesCAPForbids(_ text: String) {
        #expect(throws: ValidationFailure.self) { try CAPMessage.Time(text) }
    }

    @Test func checksScopeRestrictionAndAddressesTogether() throws {
        let sent = try time("2010-08-23T01:40:00+05:00")
        func make(_ scope: CAPMessage.Scope, restriction: String?, addresses: [String]) -> [String] {
            do {
                _ = try CAPMessage(
                    identifier: "x",
                    sender: "y",
                    sent: sent,
                    status: .test,
                    messageType: .alert,
                    scope: scope,
                    restriction: restriction,
                    addresses: addresses
                )
                return []
            } catch let failure as ValidationFailure {
                return failure.issues.map(\.path)
            } catch {
                return ["?"]
            }
        }
        #expect(make(.public, restriction: nil, addresses: []) == [])
        #expect(make(.public, restriction: "police", addresses: ["a"]) == ["restriction", "addresses"])
        #expect(make(.restricted, restriction: nil, addresses: []) == ["restriction"])
        #expect(make(.restricted, restriction: "police", addresses: []) == [])
        #expect(make(.private, restriction: nil, addresses: []) == ["addresses"])
        #expect(make(.private, restriction: nil, addresses: ["a b", "c"]) == [])
    }

    @Test(arguments: ["duty officer", "a,b", "a<b", "a&b", "", "tab\there"])
    func rejectsIdentifiersAndSendersWithForbiddenCharacters(_ token: String) throws {
        let sent = try time("2010-08-23T01:40:00+05:00")
        let error = #expect(throws: ValidationFailure.self) {
            try CAPMessage(
                identifier: token,
                sender: token,
                sent: sent,
                status: .test,
                messageType: .alert,
                scope: .public
            )
        }
        #expect(error?.issues.map(\.path) == ["identifier", "sender"])
    }

    @Test func polygonsAreClosedWithFourPointsAtLeast() throws {
        #expect(throws: ValidationFailure.self) { try CAPMessage.Polygon("38.6,68.7 38.6,69.1 38.6,68.7") }
        #expect(throws: ValidationFailure.self) { try CAPMessage.Polygon("38.6,68.7 38.6,69.1 38.5,69.1 38.5,68.7") }
        #expect(throws: ValidationFailure.self) { try CAPMessage.Polygon("68.7 38.6,69.1 38.5,69.1 38.5,68.7 68.7") }
        #expect(throws: ValidationFailure.self) { try CAPMessage.Polygon("95,68.7 38.6,69.1 38.5,69.1 95,68.7") }
        let polygon = try CAPMessage.Polygon("38.6,68.7 38.6,69.1 38.5,69.1 38.6,68.7")
        #expect(polygon.points.count == 4)
        #expect(polygon.text == "38.6,68.7 38.6,69.1 38.5,69.1 38.6,68.7")
    }

    @Test(arguments: [
        "38.5598 68.7870 30", "38.5598,68.7870", "38.5598,68.7870 -1", "38.5598,68.7870 nan",
        "38.5598,68.7870 1e3", "0x1p3,68.7870 3", "38.5598,68.7870 30 km",
    ])
    func rejectsMalformedCircles(_ text: String) {
        #expect(throws: ValidationFailure.self) { try CAPMessage.Circle(text) }
    }

    @Test func readsAndWritesReferencesAsTriples() throws {
        let reference = try CAPMessage.Reference(
            "dutyofficer@gknb.example.tj,cordon-2010-08-22-0001,2010-08-22T22:14:00+05:00"
        )
        #expect(reference.identifier == "cordon-2010-08-22-0001")
        #expect(reference.text == "dutyofficer@gknb.example.tj,cordon-2010-08-22-0001,2010-08-22T22:14:00+05:00")
        #expect(throws: ValidationFailure.self) { try CAPMessage.Reference("a,b") }
        #expect(throws: ValidationFailure.self) { try CAPMessage.Reference("a,b c,2010-08-22T22:14:00+05:00") }
    }
}

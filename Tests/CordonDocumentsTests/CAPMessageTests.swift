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
        let xml = message.recordedXMLDocument()
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
                let message = try CAPMessage(
                    identifier: "x",
                    sender: "y",
                    sent: sent,
                    status: .test,
                    messageType: .alert,
                    scope: scope,
                    restriction: restriction,
                    addresses: addresses
                )
                _ = message.recordedXMLDocument()
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

/// An information block with only the required elements and the given language and web address.
private func info(language: String? = nil, web: String? = nil, areas: [CAPMessage.Area] = []) throws -> CAPMessage.Info
{
    try CAPMessage.Info(
        language: language,
        categories: [.security],
        event: "Escape from custody",
        urgency: .immediate,
        severity: .severe,
        certainty: .observed,
        web: web,
        areas: areas
    )
}

/// The values at the edges of what the CAP 1.2 schema (`xs:language`, `xs:anyURI`, `xs:dateTime`,
/// `xs:decimal`) accepts: Cordon accepts exactly these and refuses what lies beyond.
@Suite struct CAPSchemaEdgeTests {
    @Test(arguments: ["en-US", "ru", "x-klingon", "zh-Hant-TW", "abcdefgh-1234abcd"])
    func acceptsLanguageTags(_ tag: String) throws {
        #expect(try info(language: tag).language == tag)
    }

    @Test(arguments: ["en--US", "123", "abcdefghi", "-en", "en-", "en_US", "", "1en-US", "en-123456789", "ру"])
    func rejectsLanguageTagsTheSchemaRefuses(_ tag: String) {
        let error = #expect(throws: ValidationFailure.self) { try info(language: tag) }
        #expect(error?.issues.map(\.path) == ["language"])
    }

    @Test(arguments: [
        "https://cordon.example.tj/v1/alerts/alert-0001", "http://[::1]:8080/a", "mailto:duty@gknb.example.tj",
        "http://x/a%4A?b=c&d#frag", "urn:oasis:names:tc:emergency:cap:1.2", "http://user:pw@x:80/", "http://x/é",
    ])
    func acceptsAbsoluteURIs(_ web: String) throws {
        #expect(try info(web: web).web == web)
    }

    @Test(arguments: [
        "http://x/%zz", "http://x/a%4", "http://x/a%", "http://x/a#b#c", "http://x:abc/", "http://x/[a]",
        "http://[::1/", "1http://x", "h_t:x", ":x", "relative/path", "", "http://x/a b",
    ])
    func rejectsURIsTheSchemaRefuses(_ web: String) {
        let error = #expect(throws: ValidationFailure.self) { try info(web: web) }
        #expect(error?.issues.map(\.path) == ["web"])
    }

    @Test func timesStayWithinTheOffsetsXMLSchemaAllows() throws {
        #expect(try CAPMessage.Time("2010-08-22T22:14:00+14:00").offsetMinutes == 840)
        #expect(try CAPMessage.Time("2010-08-22T22:14:00-12:00").offsetMinutes == -720)
        for text in ["2010-08-22T22:14:00+14:30", "2010-08-22T22:14:00-14:01", "0000-01-01T00:00:00+05:00"] {
            let error = #expect(throws: ValidationFailure.self) { try CAPMessage.Time(text) }
            #expect(error?.issues.first?.reason == .outOfRange, "\(text)")
        }
        // A zone further from UTC than XML Schema allows is written as UTC.
        let sent = CAPMessage.Time(Instant.parse("2010-08-22T20:10:00Z")!, in: TimeZone(secondsFromGMT: 15 * 3600)!)
        #expect(sent.text == "2010-08-22T20:10:00-00:00")
    }

    @Test func writesNumbersWithoutExponentsExactly() throws {
        let circle = try CAPMessage.Circle(
            center: Coordinates(latitude: 1e-7, longitude: -1.5e-7),
            radiusKM: 1e-12
        )
        #expect(circle.text == "0.0000001,-0.00000015 0.000000000001")
        #expect(try CAPMessage.Circle(circle.text) == circle)
        let area = try CAPMessage.Area(description: "high", altitude: 1.25e-11, ceiling: 1e21)
        let xml = try CAPMessage(
            identifier: "cordon-numbers",
            sender: "dutyofficer@gknb.example.tj",
            sent: CAPMessage.Time("2010-08-22T22:14:00+05:00"),
            status: .test,
            messageType: .alert,
            scope: .public,
            infos: [try info(areas: [area])]
        ).recordedXMLDocument()
        #expect(xml.contains("<altitude>0.0000000000125</altitude>"))
        #expect(xml.contains("<ceiling>1000000000000000000000</ceiling>"))
        #expect(try CAPMessage(xml: xml).infos.first?.areas.first == area)
    }

    @Test func listItemsSplitOnlyAtXMLWhitespace() throws {
        let message = try CAPMessage(
            identifier: "cordon-lists",
            sender: "dutyofficer@gknb.example.tj",
            sent: CAPMessage.Time("2010-08-22T22:14:00+05:00"),
            status: .test,
            messageType: .alert,
            scope: .private,
            addresses: ["cp\u{A0}dushanbe", "cp khujand", "cp-isfara"],
            incidents: ["inc\u{2003}2010", "night of 22 August"]
        )
        let xml = message.recordedXMLDocument()
        #expect(xml.contains("<addresses>cp\u{A0}dushanbe \"cp khujand\" cp-isfara</addresses>"))
        #expect(try CAPMessage(xml: xml) == message)
    }

    @Test func writesEdgeValuesTheSchemaAccepts() throws {
        let area = try CAPMessage.Area(
            description: "South of the equator, west of Greenwich",
            polygons: [try CAPMessage.Polygon("-33.5,-70.6 -33.6,-70.6 -33.6,-70.7 -33.5,-70.6")],
            circles: [try CAPMessage.Circle("-33.5,-70.6 0"), try CAPMessage.Circle("90,180 20038")]
        )
        let message = try CAPMessage(
            identifier: "cordon-edges",
            sender: "dutyofficer@gknb.example.tj",
            sent: CAPMessage.Time("2010-08-22T22:14:00-12:00"),
            status: .test,
            messageType: .alert,
            scope: .public,
            infos: [
                try CAPMessage.Info(
                    language: "zh-Hant-TW",
                    categories: CAPMessage.Category.allCases,
                    event: "Escape from custody",
                    responseTypes: CAPMessage.ResponseType.allCases,
                    urgency: .unknown,
                    severity: .unknown,
                    certainty: .unknown,
                    expires: CAPMessage.Time("2010-08-23T22:14:00+14:00"),
                    web: "http://[::1]:8080/a%20b?c#d",
                    areas: [area]
                )
            ]
        )
        #expect(try CAPMessage(xml: message.recordedXMLDocument()) == message)
    }
}

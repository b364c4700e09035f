import CordonCore
import CordonDocuments
import Foundation
import Testing

/// The valid acknowledgement from VECTORS.md (OASIS CAP 1.2), verbatim.
let validAckSpecimen = """
    <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
      <identifier>cp-dushanbe-rail-ack-0001</identifier>
      <sender>cp-dushanbe-rail@police.example.tj</sender>
      <sent>2010-08-22T22:14:07+05:00</sent>
      <status>Exercise</status>
      <msgType>Ack</msgType>
      <scope>Private</scope>
      <addresses>dutyofficer@gknb.example.tj</addresses>
      <note>received and read by officer 4471</note>
      <references>dutyofficer@gknb.example.tj,cordon-2010-08-22-0001,2010-08-22T22:14:00+05:00</references>
    </alert>
    """

/// The acknowledgement with one line replaced.
private func ack(replacing old: String, with new: String) -> String {
    precondition(validAckSpecimen.contains(old), "the specimen has no \(old)")
    return validAckSpecimen.replacingOccurrences(of: old, with: new)
}

private func issues(reading xml: String) -> [ValidationFailure.Issue] {
    do {
        _ = try CAPMessage(xml: xml)
        return []
    } catch let failure as ValidationFailure {
        return failure.issues
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

@Suite struct CAPReaderTests {
    @Test func acceptsTheValidAckSpecimen() throws {
        let message = try CAPMessage(xml: validAckSpecimen)
        #expect(message.identifier == "cp-dushanbe-rail-ack-0001")
        #expect(message.sender == "cp-dushanbe-rail@police.example.tj")
        #expect(message.sent.text == "2010-08-22T22:14:07+05:00")
        #expect(message.sent.date == Instant.parse("2010-08-22T17:14:07Z"))
        #expect(message.status == .exercise)
        #expect(message.messageType == .ack)
        #expect(message.scope == .private)
        #expect(message.addresses == ["dutyofficer@gknb.example.tj"])
        #expect(message.note == "received and read by officer 4471")
        let reference = try #require(message.references.first)
        #expect(reference.sender == "dutyofficer@gknb.example.tj")
        #expect(reference.identifier == "cordon-2010-08-22-0001")
        #expect(reference.sent.text == "2010-08-22T22:14:00+05:00")
        #expect(message.infos.isEmpty)
    }

    /// The must-reject specimens of VECTORS.md, each put into the otherwise valid acknowledgement, with
    /// the element the reader must blame.
    static let mustReject: [(name: String, xml: String, path: String, reason: ValidationFailure.Reason)] = [
        (
            "sent with Z",
            ack(
                replacing: "<sent>2010-08-22T22:14:07+05:00</sent>",
                with: "<sent>2010-08-22T17:14:00Z</sent>"
            ),
            "sent", .invalidFormat
        ),
        (
            "status in lower case",
            ack(replacing: "<status>Exercise</status>", with: "<status>exercise</status>"),
            "status", .unknownCode
        ),
        (
            "note after incidents",
            ack(
                replacing: "  <note>received and read by officer 4471</note>\n",
                with: ""
            ).replacingOccurrences(
                of: "</references>\n",
                with:
                    "</references>\n  <incidents>inc-escape</incidents>\n  <note>received and read by officer 4471</note>\n"
            ),
            "note", .invalidFormat
        ),
        (
            "sender with a space",
            ack(
                replacing: "<sender>cp-dushanbe-rail@police.example.tj</sender>",
                with: "<sender>duty officer</sender>"
            ),
            "sender", .invalidFormat
        ),
    ]

    @Test(arguments: 0..<mustReject.count)
    func rejectsTheMustRejectSpecimensWithAReason(_ index: Int) {
        let specimen = Self.mustReject[index]
        let found = issues(reading: specimen.xml)
        #expect(found.count == 1, "\(specimen.name): \(found)")
        #expect(found.first?.path == specimen.path, "\(specimen.name)")
        #expect(found.first?.reason == specimen.reason, "\(specimen.name)")
        #expect(found.first?.message.isEmpty == false)
    }

    @Test func rejectsACircleWithoutTheCommaBetweenLatitudeAndLongitude() {
        let xml = """
            <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
              <identifier>cordon-alert-0001</identifier>
              <sender>dutyofficer@gknb.example.tj</sender>
              <sent>2010-08-23T01:40:00+05:00</sent>
              <status>Exercise</status>
              <msgType>Alert</msgType>
              <scope>Public</scope>
              <info>
                <category>Security</category>
                <event>Escape from custody</event>
                <urgency>Immediate</urgency>
                <severity>Severe</severity>
                <certainty>Observed</certainty>
                <area>
                  <areaDesc>Dushanbe</areaDesc>
                  <circle>38.5598 68.7870 30</circle>
                </area>
              </info>
            </alert>
            """
        let found = issues(reading: xml)
        #expect(found.map(\.path) == ["info[0].area[0].circle[0]"])
        #expect(found.first?.reason == .invalidFormat)
        #expect(found.first?.message.contains("lat,lon radius") == true)
        // The same with the comma is accepted.
        let fixed = xml.replacingOccurrences(of: "38.5598 68.7870 30", with: "38.5598,68.7870 30")
        #expect(issues(reading: fixed).isEmpty)
    }

    @Test(arguments: [
        (
            "restriction without Restricted", "  <addresses>", "  <restriction>police</restriction>\n  <addresses>",
            "restriction"
        ),
        ("scope Public keeps addresses", "<scope>Private</scope>", "<scope>Public</scope>", "addresses"),
        ("unknown element", "  <note>", "  <priority>1</priority>\n  <note>", "priority"),
        ("repeated sent", "  <status>", "  <sent>2010-08-22T22:14:07+05:00</sent>\n  <status>", "sent"),
        ("attribute", "<note>", "<note lang=\"en\">", "note"),
        ("fractional seconds", "22:14:07+05:00</sent>", "22:14:07.5+05:00</sent>", "sent"),
        (
            "UTC as Z in a reference", "2010-08-22T22:14:00+05:00</references>", "2010-08-22T17:14:00Z</references>",
            "references[0].sent"
        ),
        ("reference with two fields", ",cordon-2010-08-22-0001,", ",", "references[0]"),
        ("identifier with ampersand", "<identifier>cp-dushanbe-rail-ack-0001", "<identifier>a&amp;b", "identifier"),
        ("missing msgType", "  <msgType>Ack</msgType>\n", "", "msgType"),
        ("code after note", "  <references>", "  <code>x</code>\n  <references>", "code"),
    ])
    func rejectsOtherBreachesOfTheRules(_ name: String, _ old: String, _ new: String, _ path: String) {
        let found = issues(reading: ack(replacing: old, with: new))
        #expect(found.map(\.path).contains(path), "\(name): \(found)")
    }

    @Test func rejectsAnAckThatRefersToNothing() {
        let xml = ack(
            replacing:
                "  <references>dutyofficer@gknb.example.tj,cordon-2010-08-22-0001,2010-08-22T22:14:00+05:00</references>\n",
            with: ""
        )
        #expect(issues(reading: xml).map(\.path) == ["references"])
    }

    @Test(arguments: [
        "not xml at all",
        "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x</identifier>",
        "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.1\"></alert>",
        "<warning xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"></warning>",
        "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY x \"boom\">]><alert>&x;</alert>",
    ])
    func rejectsDocumentsThatAreNotCAPAlerts(_ xml: String) {
        #expect(!issues(reading: xml).isEmpty)
    }

    @Test func rejectsElementsOutsideTheCAPNamespace() {
        let xml = ack(
            replacing: "  <note>",
            with: "  <x:note xmlns:x=\"urn:example\">hi</x:note>\n  <note>"
        )
        let found = issues(reading: xml)
        #expect(found.first?.reason == .unknownKey)
    }

    /// Fuzz/Regressions/CAP/name-not-utf8: an element or attribute name that is not UTF-8 (which trapped
    /// the platform parser CAP was once read with) is refused before any element is read.
    @Test(
        arguments: [
            [0x3C, 0xFF, 0x6F, 0x62, 0x70],
            Array("<a ".utf8) + [0xFF] + Array("=\"1\"/>".utf8),
            Array(validAckSpecimen.utf8.prefix(60)) + [0xC3, 0x28] + Array(validAckSpecimen.utf8.dropFirst(60)),
        ] as [[UInt8]]
    )
    func refusesBytesThatAreNotUTF8(_ bytes: [UInt8]) {
        do {
            _ = try CAPMessage(xml: Data(bytes))
            Issue.record("read a document that is not UTF-8")
        } catch let failure as ValidationFailure {
            #expect(failure.issues.map(\.path) == [""])
            #expect(failure.issues.first?.reason == .invalidFormat)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// Fuzz/Regressions/CAP/instruction-without-data and instruction-after-open-declaration (which crashed
    /// the platform parser CAP was once read with): every processing instruction is refused, after an
    /// unclosed declaration too; the XML declaration is not one.
    @Test func refusesProcessingInstructions() throws {
        let instructions = [
            "<?x?>", "<?xml?>", "<?xml\n><?c?>", ack(replacing: "  <note>", with: "  <?cordon note?>\n  <note>"),
        ]
        for xml in instructions {
            let found = issues(reading: xml)
            #expect(found.map(\.path) == [""])
            #expect(found.first?.reason == .notAllowed)
        }
        let declared = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + validAckSpecimen
        #expect(try CAPMessage(xml: declared).identifier == "cp-dushanbe-rail-ack-0001")
    }

    /// Fuzz/Regressions/CAP/address-starting-with-a-mark: addresses split by a line break before a
    /// combining mark were written split by a space, which joins the mark as one character, so the message
    /// as written read as one address fewer. Lists are split by scalars now.
    @Test func addressesStartingWithACombiningMarkRoundTrip() throws {
        let xml = ack(
            replacing: "<addresses>dutyofficer@gknb.example.tj</addresses>",
            with: "<addresses>dutyofficer@gknb.example.tj\n\u{061A}veen</addresses>"
        )
        let message = try CAPMessage(xml: xml)
        #expect(message.addresses == ["dutyofficer@gknb.example.tj", "\u{061A}veen"])
        let again = try CAPMessage(xml: message.xmlDocument())
        #expect(again == message)
    }
}

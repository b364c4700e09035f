import CordonCore
import CordonDocuments
import Foundation
import Testing

private let zone = TimeZone(secondsFromGMT: 5 * 3600)!
private let origin = CAPMessage.Origin(
    sender: "dutyofficer@gknb.example.tj",
    senderName: "GKNB duty officer, Dushanbe",
    zone: zone,
    status: .exercise
)

private func at(_ text: String) -> Date { Instant.parse(text)! }

/// The night's facility, two of the escaped and the car stopped near the facility.
private struct NightCase {
    let ward: Facility
    let incident: Incident
    let fugitives: [Person]
    let car: Vehicle

    init() throws {
        ward = try Facility(
            id: FacilityID("fac-gknb-ward"),
            name: "GKNB pretrial detention ward, Dushanbe",
            kind: .detentionWard,
            operatorName: "State Committee for National Security",
            location: Coordinates(latitude: 38.5712, longitude: 68.7804),
            region: "Dushanbe"
        )
        incident = try Incident(
            id: IncidentID("inc-2010-08-22-escape"),
            kind: .escape,
            facility: ward.id,
            raisedAt: at("2010-08-22T22:14:00+05:00"),
            status: .confirmed,
            summary: "Inmates overpowered the guards of the ward and escaped with their weapons.",
            persons: [try PersonID("p-mirzoyev-abdurasul"), try PersonID("p-inm-017")]
        )
        fugitives = [
            try Person(
                id: PersonID("p-inm-017"),
                name: PersonName(given: "Ғайратҷон", family: "Саидов"),
                aliases: [try Alias(.spelling, "Gairatjon Saidov"), try Alias(.weak, "Gairat")],
                sex: .male,
                appearance: try PhysicalDescription(
                    heightCM: 178,
                    build: "slim",
                    hair: "black",
                    marks: ["scar on left cheek"]
                ),
                context: .structural
            ),
            try Person(
                id: PersonID("p-mirzoyev-abdurasul"),
                name: PersonName(parts: [.init(.family, "Мирзоев"), .init(.given, "Абдурасул")]),
                aliases: [
                    try Alias(.spelling, "Abdurasul Mirzoyev"), try Alias(.spelling, "Abdurasul Mirzoev"),
                    try Alias(.spelling, "عبدالرسول میرزایف"), try Alias(.nickname, "Rasul"),
                ],
                birthDate: try PartialDate("1974"),
                sex: .male,
                nationalities: [try CountryCode("TJ")],
                context: .structural
            ),
        ]
        car = try Vehicle(
            id: VehicleID("veh-vaz2107-white"),
            plate: PlateNumber("4519 АА 01"),
            country: CountryCode("TJ"),
            make: "VAZ (Lada)",
            model: "2107",
            colour: "white",
            year: 2004,
            isStolen: true
        )
    }

    func alert(_ kind: Alert.Kind, id: String, at instant: String, headline: String) throws -> Alert {
        try Alert(
            id: AlertID(id),
            incident: incident.id,
            kind: kind,
            sentAt: at(instant),
            headline: headline,
            persons: kind == .cancel ? [] : incident.persons,
            vehicles: kind == .update ? [car.id] : []
        )
    }
}

@Suite struct CAPBuilderTests {
    @Test func lookoutForCheckpointsNamesEveryFugitiveInEveryScript() throws {
        let night = try NightCase()
        let alert = try night.alert(
            .beOnLookout,
            id: "2010-08-22-0001",
            at: "2010-08-22T22:14:00+05:00",
            headline: "Escape from the GKNB ward: be on the lookout"
        )
        let message = try CAPMessage.make(
            from: alert,
            incident: night.incident,
            facility: night.ward,
            fugitives: night.fugitives,
            radiusKM: 60,
            origin: origin
        )
        #expect(message.identifier == "cordon-2010-08-22-0001")
        #expect(message.sent.text == "2010-08-22T22:14:00+05:00")
        #expect(message.status == .exercise)
        #expect(message.messageType == .alert)
        #expect(message.scope == .restricted)
        #expect(message.incidents == ["inc-2010-08-22-escape"])
        let info = try #require(message.infos.first)
        #expect(info.categories == [.security])
        #expect((info.urgency, info.severity, info.certainty) == (.immediate, .severe, .observed))
        let fugitives = info.parameters.filter { $0.name == "fugitive" }.map(\.value)
        // In the alert's order, each with all its names, weak aliases left out.
        #expect(
            fugitives == [
                "Мирзоев Абдурасул / Abdurasul Mirzoyev / Abdurasul Mirzoev / عبدالرسول میرزایف / Rasul",
                "Ғайратҷон Саидов / Gairatjon Saidov",
            ]
        )
        let description = try #require(info.description)
        #expect(description.contains("178 cm; slim build; black hair; marks: scar on left cheek"))
        #expect(description.contains("also called Gairat"))
        let circle = try #require(info.areas.first?.circles.first)
        #expect(circle.text == "38.5712,68.7804 60")
        #expect(try CAPMessage(xml: message.recordedXMLDocument()) == message)
    }

    @Test func refusesALookoutWithoutTheFugitivesItNames() throws {
        let night = try NightCase()
        let alert = try night.alert(.beOnLookout, id: "a-1", at: "2010-08-22T22:14:00+05:00", headline: "BOLO")
        let error = #expect(throws: ValidationFailure.self) {
            try CAPMessage.make(
                from: alert,
                incident: night.incident,
                facility: night.ward,
                fugitives: [night.fugitives[0]],
                origin: origin
            )
        }
        #expect(error?.issues.map(\.reason) == [.unknownReference])
    }

    @Test func updateAndCancelReferToTheOriginal() throws {
        let night = try NightCase()
        let first = try CAPMessage.make(
            from: try night.alert(
                .beOnLookout,
                id: "2010-08-22-0001",
                at: "2010-08-22T22:14:00+05:00",
                headline: "BOLO"
            ),
            incident: night.incident,
            facility: night.ward,
            fugitives: night.fugitives,
            origin: origin
        )
        let update = try CAPMessage.make(
            from: try night.alert(
                .update,
                id: "2010-08-22-0002",
                at: "2010-08-23T09:30:00+05:00",
                headline: "Car found"
            ),
            incident: night.incident,
            facility: night.ward,
            fugitives: night.fugitives,
            vehicles: [night.car],
            referencing: [first],
            origin: origin
        )
        #expect(update.messageType == .update)
        #expect(update.references == [first.reference])
        #expect(
            update.references.map(\.text)
                == ["dutyofficer@gknb.example.tj,cordon-2010-08-22-0001,2010-08-22T22:14:00+05:00"]
        )
        #expect(
            update.infos.first?.parameters.contains { $0.name == "vehicle" && $0.value.hasPrefix("4519 АА 01 (TJ)") }
                == true
        )
        let cancel = try CAPMessage.makeCancel(
            of: [first, update],
            identifier: "cordon-2010-08-22-0003",
            at: at("2010-09-01T12:00:00+05:00"),
            note: "Exercise over",
            origin: origin
        )
        #expect(cancel.messageType == .cancel)
        #expect(cancel.references.map(\.identifier) == ["cordon-2010-08-22-0001", "cordon-2010-08-22-0002"])
        #expect(cancel.restriction == first.restriction)
        for message in [first, update, cancel] {
            #expect(try CAPMessage(xml: message.recordedXMLDocument()) == message)
        }
        // An update with nothing to refer to is not a CAP update.
        #expect(throws: ValidationFailure.self) {
            try CAPMessage.make(
                from: try night.alert(.update, id: "x-2", at: "2010-08-23T09:30:00+05:00", headline: "Car found"),
                incident: night.incident,
                facility: night.ward,
                fugitives: night.fugitives,
                vehicles: [night.car],
                origin: origin
            )
        }
    }

    @Test func checkpointAcknowledgementEqualsTheVectorsSpecimen() throws {
        let night = try NightCase()
        let original = try CAPMessage.make(
            from: try night.alert(
                .beOnLookout,
                id: "2010-08-22-0001",
                at: "2010-08-22T22:14:00+05:00",
                headline: "BOLO"
            ),
            incident: night.incident,
            facility: night.ward,
            fugitives: night.fugitives,
            origin: origin
        )
        let ack = try CAPMessage.makeAck(
            of: original,
            sender: "cp-dushanbe-rail@police.example.tj",
            identifier: "cp-dushanbe-rail-ack-0001",
            at: at("2010-08-22T22:14:07+05:00"),
            in: zone,
            note: "received and read by officer 4471"
        )
        #expect(ack == (try CAPMessage(xml: validAckSpecimen)))
        #expect(try CAPMessage(xml: ack.recordedXMLDocument()) == ack)
    }

    @Test func lockdownIsForThePostsOfTheFacility() throws {
        let night = try NightCase()
        let alert = try Alert(
            id: AlertID("2010-08-22-0000"),
            incident: night.incident.id,
            kind: .lockdown,
            sentAt: at("2010-08-22T22:50:00+05:00"),
            headline: "Lock down the ward"
        )
        let message = try CAPMessage.make(
            from: alert,
            incident: night.incident,
            facility: night.ward,
            radiusKM: 1,
            origin: origin
        )
        #expect(message.restriction == "Posts of GKNB pretrial detention ward, Dushanbe")
        #expect(message.infos.first?.responseTypes == [.execute])
        #expect(try CAPMessage(xml: message.recordedXMLDocument()) == message)
    }
}

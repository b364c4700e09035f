import CordonCore
import CordonEvents
import Foundation
import Testing

/// The alert streams' frames: what one side writes the other reads back the same, and anything else is
/// refused with an error naming the field.
struct FrameTests {
    static func content() throws -> AlertContent {
        let alert = try Alert(
            id: AlertID("al-0123456789ab"),
            incident: IncidentID("inc-ward-escape"),
            kind: .beOnLookout,
            sentAt: Instant.parse("2010-08-23T01:05:00+05:00")!,
            headline: "Be on the lookout: 2 fugitives, 1 vehicle",
            persons: [PersonID("p-one"), PersonID("p-two")],
            vehicles: [VehicleID("v-one")],
            checkpoints: [CheckpointID("cp-road-north"), CheckpointID("cp-air-dushanbe")]
        )
        let cap = CAPReference(
            identifier: "cordon-al-0123456789ab",
            messageType: "Alert",
            references: [],
            xml: "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x</identifier></alert>"
        )
        return AlertContent(alert: alert, cap: cap)
    }

    @Test(arguments: [
        ClientFrame.hello(lastSequence: 0), .hello(lastSequence: 42), .received(sequence: 7),
        .ack(alert: "al-0123456789ab", note: nil), .ack(alert: "al-0123456789ab", note: "read by Sgt. Rahimov"),
        .ack(alert: "al-0123456789ab", note: nil, pass: "CDC1.AAAA"), .ping,
    ])
    func clientFramesRoundTrip(frame: ClientFrame) throws {
        #expect(try ClientFrame(text: frame.text) == frame)
    }

    @Test func serverFramesRoundTrip() throws {
        let content = try Self.content()
        let frames: [ServerFrame] = [
            .welcome(recipient: "checkpoints/cp-road-north", lastSequence: 3),
            .alert(AlertFrame(sequence: 4, resend: false, content: content)),
            .alert(
                AlertFrame(sequence: 5, resend: true, revocations: RevocationList(["cr-1", "cr-2"]), content: content)
            ),
            .acknowledged(alert: "al-0123456789ab", ackIdentifier: "cordon-ack-al-0123456789ab-checkpoints-cp"),
            .pong,
            .error(message: "received needs a sequence", field: "sequence"),
            .error(message: "the frame could not be taken", field: nil),
        ]
        for frame in frames {
            #expect(try ServerFrame(text: frame.text) == frame, "\(frame.text)")
        }
    }

    @Test func anAlertFrameCarriesTheAlertWithoutItsOtherRecipients() throws {
        let frame = AlertFrame(sequence: 1, resend: false, content: try Self.content())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(frame.text.utf8)) as? [String: Any])
        let alert = try #require(object["alert"] as? [String: Any])
        #expect(alert["checkpoints"] == nil)
        #expect(alert["id"] as? String == "al-0123456789ab")
        #expect(object["revoked_credentials"] == nil)
        guard case .alert(let read) = try ServerFrame(text: frame.text) else {
            Issue.record("not read as an alert")
            return
        }
        #expect(read.content.alert.persons.count == 2)
        #expect(read.content.cap.identifier == "cordon-al-0123456789ab")
    }

    @Test(
        arguments: [
            ("", nil),
            ("not json", nil),
            ("[1, 2]", nil),
            (#"{"last_sequence": 0}"#, "type"),
            (#"{"type": "hello", "last_sequence": -1}"#, "last_sequence"),
            (#"{"type": "hello", "last_sequence": 1.5}"#, "last_sequence"),
            (#"{"type": "hello", "last_sequence": "3"}"#, "last_sequence"),
            (#"{"type": "hello", "sequence": 3}"#, "sequence"),
            (#"{"type": "received"}"#, "sequence"),
            (#"{"type": "ack"}"#, "alert"),
            (#"{"type": "ack", "alert": ""}"#, "alert"),
            (#"{"type": "ack", "alert": "al-1", "note": 5}"#, "note"),
            (#"{"type": "ping", "extra": true}"#, "extra"),
            (#"{"type": "subscribe"}"#, "type"),
            (#"{"type": 3}"#, "type"),
        ] as [(String, String?)]
    )
    func malformedClientFramesAreRefusedNamingTheField(text: String, field: String?) {
        #expect {
            _ = try ClientFrame(text: text)
        } throws: { error in
            guard let error = error as? FrameError else { return false }
            return error.field == field && !error.message.isEmpty
        }
    }

    @Test func anOverlongNoteIsRefused() {
        let note = String(repeating: "n", count: ClientFrame.noteLimit + 1)
        #expect(throws: FrameError.self) { try ClientFrame(text: ClientFrame.ack(alert: "al-1", note: note).text) }
    }

    @Test(
        arguments: [
            (#"{"type": "welcome", "recipient": "checkpoints/cp"}"#, "last_sequence"),
            (#"{"type": "alert", "sequence": 1}"#, "alert"),
            (#"{"type": "acknowledged", "alert": "al-1"}"#, "ack_identifier"),
            (#"{"type": "error"}"#, "message"),
            (#"{"type": "broadcast"}"#, "type"),
            (#"{"type": "pong", "at": "now"}"#, "at"),
        ] as [(String, String?)]
    )
    func malformedServerFramesAreRefused(text: String, field: String?) {
        #expect {
            _ = try ServerFrame(text: text)
        } throws: { error in
            (error as? FrameError)?.field == field
        }
    }

    @Test func anAlertFrameWithABadAlertIsRefused() throws {
        let good = AlertFrame(sequence: 1, resend: false, content: try Self.content()).text
        let bad = good.replacingOccurrences(of: "\"kind\":\"be_on_lookout\"", with: "\"kind\":\"party\"")
        #expect(bad != good)
        #expect(throws: FrameError.self) { try ServerFrame(text: bad) }
        let zero = good.replacingOccurrences(of: "\"sequence\":1,", with: "\"sequence\":0,")
        #expect(throws: FrameError.self) { try ServerFrame(text: zero) }
    }
}

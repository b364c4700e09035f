import CordonCore
import CordonEvents
import Foundation
import Testing

/// Operations events: the wire form of each, read back the same; the in-process bus.
struct EventTests {
    static let at = Instant.parse("2010-08-22T22:45:00+05:00")!
    static let zone = TimeZone(identifier: "Asia/Dushanbe")!

    static let events: [OperationsEvent] = [
        .incidentRaised(
            .init(
                incident: "inc-1",
                kind: "missed_check_in",
                summary: "post missed",
                raisedAt: at,
                post: "post-a",
                escalated: nil
            )
        ),
        .incidentRaised(.init(incident: "inc-2", kind: "duress", summary: "duress", raisedAt: at, escalated: "duress")),
        .incidentConfirmed(incident: "inc-1", kind: "escape"),
        .incidentClosed(incident: "inc-1"),
        .incidentEscalated(incident: "inc-1", post: "post-a", reason: "second_miss", summary: "again"),
        .alertSent(alert: "al-1", recipients: 55),
        .delivered(alert: "al-1", recipient: "checkpoints/cp-1"),
        .acknowledged(alert: "al-1", recipient: "checkpoints/cp-1", by: "officer"),
        .escalated(alert: "al-1", recipient: "checkpoints/cp-2", state: "queued", since: at),
        .sighting("s-1"),
        .statusChanged(person: "p-1", status: "captured"),
        .checkIn(post: "post-a", nextDue: at),
        .checkInResumed(post: "post-a", missed: 2),
        .listReleased(version: 12),
        .recipientConnected(recipient: "checkpoints/cp-1", by: "officer", device: "desk 2", devices: 2),
        .recipientDisconnected(recipient: "checkpoints/cp-1", by: "officer", device: nil, devices: 0),
        .mention(
            .init(
                feed: "https://news.example.tj/rss",
                item: "n-1",
                title: "Escape",
                link: nil,
                entity: "p-1",
                text: "Мирзоевым Абдурасулом",
                score: 0.97
            )
        ),
        .lead(lead: "l-1", entry: "p-1", checkpoint: "cp-1"),
        .lead(lead: "l-2", entry: "v-1", checkpoint: nil),
    ]

    @Test func everyEventReadsBackTheSameFromItsFrame() throws {
        #expect(Set(Self.events.map(\.type)) == OperationsEvent.types)
        for event in Self.events {
            let record = EventRecord(event, at: Self.at)
            let frame = record.frame(in: Self.zone)
            #expect(frame.contains("\"type\":\"\(event.type)\""))
            #expect(frame.contains("+05:00"), "times in the zone asked for: \(frame)")
            #expect(try EventRecord(frame: frame) == record, "\(frame)")
        }
    }

    @Test func theWireFormKeepsItsFieldNames() throws {
        let frame = EventRecord(.alertSent(alert: "al-1", recipients: 3), at: Self.at).frame(in: Self.zone)
        #expect(frame == #"{"alert":"al-1","at":"2010-08-22T22:45:00+05:00","recipients":3,"type":"alert_sent"}"#)
    }

    @Test(arguments: [
        #"{"type": "alert_sent", "alert": "al-1", "at": "2010-08-22T22:45:00+05:00"}"#,
        #"{"type": "party", "at": "2010-08-22T22:45:00+05:00"}"#,
        #"{"type": "check_in", "post": "p", "next_due": "tomorrow", "at": "2010-08-22T22:45:00+05:00"}"#,
        #"{"type": "sighting", "sighting": "s-1"}"#,
        "{}",
    ])
    func malformedEventsAreRefused(frame: String) {
        #expect(throws: FrameError.self) { try EventRecord(frame: frame) }
    }

    @Test func theBusHandsEveryEventToEverySubscriberInOrderAndForgetsThoseWhoLeave() async throws {
        let bus = InProcessEventBus(now: { Self.at })
        let first = bus.subscribe()
        let second = bus.subscribe()
        #expect(bus.subscriberCount == 2)
        bus.publish(.sighting("s-1"))
        bus.publish(.sighting("s-2"))
        bus.unsubscribe(second.id)
        bus.publish(.sighting("s-3"))
        #expect(bus.subscriberCount == 1)
        var firstSeen: [String] = []
        for await record in first.events {
            firstSeen.append(record.event.sighting ?? "")
            #expect(record.at == Self.at)
            if firstSeen.count == 3 { break }
        }
        var secondSeen: [String] = []
        for await record in second.events { secondSeen.append(record.event.sighting ?? "") }
        #expect(firstSeen == ["s-1", "s-2", "s-3"])
        #expect(secondSeen == ["s-1", "s-2"])
    }

    @Test func aSlowSubscriberLosesTheOldestEventsNotThePublisher() async {
        let bus = InProcessEventBus(now: { Self.at }, buffer: 2)
        let subscription = bus.subscribe()
        for index in 1...5 { bus.publish(.sighting("s-\(index)")) }
        bus.finishAll()
        var seen: [String] = []
        for await record in subscription.events { seen.append(record.event.sighting ?? "") }
        #expect(seen == ["s-4", "s-5"])
    }
}

/// A bus that has shut down ends every subscription, and every one asked for after.
@Test func aFinishedBusEndsLateSubscriptionsAtOnce() async {
    let bus = InProcessEventBus(now: { EventTests.at })
    bus.finishAll()
    let late = bus.subscribe()
    bus.publish(.sighting("s-1"))
    var seen = 0
    for await _ in late.events { seen += 1 }
    #expect(seen == 0)
    #expect(bus.subscriberCount == 0)
}

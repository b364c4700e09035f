import CordonCore
import Foundation
import Testing

@Suite struct DeliveryTrackerTests {
    private typealias Tracker = DeliveryTracker<CheckpointID>

    private let rail = try! CheckpointID("cp-dushanbe-rail")
    private let vahdat = try! CheckpointID("cp-vahdat-road")
    private let airport = try! CheckpointID("cp-dushanbe-airport")
    private let lookout = try! AlertID("alert-0001")
    private let update = try! AlertID("alert-0002")
    private let t0 = Night.at("01:40")

    private func tracker() -> Tracker {
        Tracker(configuration: .init(resendInterval: .seconds(10), escalateAfter: .seconds(60)))
    }

    @Test func connectedRecipientsGetTheAlertAtOnceNumberedFromOne() {
        var tracker = tracker()
        _ = tracker.event(.reconnected(rail, lastSeenSequence: 0, at: t0))
        let action = tracker.event(.enqueued(lookout, recipients: [vahdat, rail, rail], at: t0))
        #expect(action.send == [.init(recipient: rail, sequence: 1, alert: lookout)])
        #expect(tracker.state(of: lookout, for: rail) == .queued)
        #expect(tracker.state(of: lookout, for: vahdat) == .queued)
        #expect(tracker.lastSequence(of: vahdat) == 1)
        // Enqueuing the same alert again adds nothing.
        #expect(tracker.event(.enqueued(lookout, recipients: [rail], at: t0)) == .none)
        #expect(tracker.lastSequence(of: rail) == 1)
    }

    @Test func movesFromQueuedToDeliveredToAcknowledged() {
        var tracker = tracker()
        _ = tracker.event(.reconnected(rail, lastSeenSequence: 0, at: t0))
        _ = tracker.event(.enqueued(lookout, recipients: [rail], at: t0))
        #expect(tracker.event(.delivered(rail, sequence: 1, at: t0 + 0.2)).refusal == nil)
        #expect(tracker.state(of: lookout, for: rail) == .delivered)
        #expect(tracker.event(.acknowledged(rail, alert: lookout, at: t0 + 7)).refusal == nil)
        #expect(tracker.state(of: lookout, for: rail) == .acknowledged)
        #expect(tracker.tally(of: lookout) == [.acknowledged: 1])
        #expect(tracker.nextDeadline == nil)
    }

    @Test func offlineRecipientGetsWhatItMissedInOrderOnce() {
        var tracker = tracker()
        _ = tracker.event(.reconnected(vahdat, lastSeenSequence: 0, at: t0))
        _ = tracker.event(.enqueued(lookout, recipients: [vahdat], at: t0))
        _ = tracker.event(.delivered(vahdat, sequence: 1, at: t0 + 1))
        _ = tracker.event(.disconnected(vahdat, at: t0 + 2))
        let third = try! AlertID("alert-0003")
        #expect(tracker.event(.enqueued(update, recipients: [vahdat], at: t0 + 5)).send.isEmpty)
        #expect(tracker.event(.enqueued(third, recipients: [vahdat], at: t0 + 6)).send.isEmpty)
        let action = tracker.event(.reconnected(vahdat, lastSeenSequence: 1, at: t0 + 30))
        #expect(action.send.map(\.sequence) == [2, 3])
        #expect(action.send.map(\.alert) == [update, third])
        // Reconnecting again, having seen both, re-sends nothing.
        _ = tracker.event(.disconnected(vahdat, at: t0 + 31))
        #expect(tracker.event(.reconnected(vahdat, lastSeenSequence: 3, at: t0 + 32)).send.isEmpty)
        #expect(tracker.state(of: third, for: vahdat) == .delivered)
    }

    @Test func refusesAnAcknowledgementForAnAlertNeverReceived() {
        var tracker = tracker()
        _ = tracker.event(.enqueued(lookout, recipients: [airport], at: t0))
        // Queued while offline: the checkpoint cannot have seen it.
        #expect(tracker.event(.acknowledged(airport, alert: lookout, at: t0 + 1)).refusal != nil)
        #expect(tracker.event(.acknowledged(airport, alert: update, at: t0 + 1)).refusal != nil)
        #expect(tracker.event(.acknowledged(rail, alert: lookout, at: t0 + 1)).refusal != nil)
        #expect(tracker.state(of: lookout, for: airport) == .queued)
    }

    @Test func refusesImpossibleSequenceNumbers() {
        var tracker = tracker()
        _ = tracker.event(.enqueued(lookout, recipients: [airport], at: t0))
        #expect(tracker.event(.delivered(airport, sequence: 2, at: t0)).refusal != nil)
        #expect(tracker.event(.delivered(airport, sequence: 1, at: t0)).refusal != nil)
        #expect(tracker.event(.reconnected(airport, lastSeenSequence: 5, at: t0)).refusal != nil)
        #expect(tracker.event(.reconnected(airport, lastSeenSequence: -1, at: t0)).refusal != nil)
        #expect(!tracker.isConnected(airport))
    }

    @Test func resendsToTheSilentThenEscalatesToTheCommander() {
        var tracker = tracker()
        _ = tracker.event(.reconnected(rail, lastSeenSequence: 0, at: t0))
        _ = tracker.event(.reconnected(vahdat, lastSeenSequence: 0, at: t0))
        _ = tracker.event(.enqueued(lookout, recipients: [rail, vahdat, airport], at: t0))
        _ = tracker.event(.acknowledged(rail, alert: lookout, at: t0 + 3))
        #expect(tracker.nextDeadline == t0 + 10)
        #expect(tracker.event(.tick(at: t0 + 9)) == .none)
        let resend = tracker.event(.tick(at: t0 + 10))
        #expect(resend.send == [.init(recipient: vahdat, sequence: 1, alert: lookout)])
        #expect(resend.escalate.isEmpty)
        #expect(tracker.nextDeadline == t0 + 20)
        let late = tracker.event(.tick(at: t0 + 60))
        #expect(late.escalate.map(\.recipient) == [airport, vahdat])
        #expect(late.escalate.map(\.state) == [.queued, .queued])
        #expect(tracker.event(.tick(at: t0 + 61)).escalate.isEmpty)
    }
}

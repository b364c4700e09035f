public import CordonCore
public import Foundation

extension DemoStory {
    /// What each guard on duty at the ward draws at the start of the shift: a pistol and a radio each;
    /// the corridor guards their block's cell keys, the control room the main key.
    static func issues(in ward: Facility, staff: [StaffMember], at instant: Date) -> [Step] {
        let guards = staff.filter { $0.facility == ward.id && $0.isOnDuty && $0.role == .guardOfficer }
            .sorted { $0.id.rawValue < $1.id.rawValue }
        let pistols = ward.armory.filter { $0.id.rawValue.hasPrefix("arm-ward-pm-") }.map(ArmoryLedger.key(of:))
        let radios = ward.armory.filter { $0.kind == .radio }.map(ArmoryLedger.key(of:))
        var steps: [Step] = []
        for (index, member) in guards.enumerated() {
            var items: [String] = []
            if index < pistols.count { items.append(pistols[index]) }
            if index < radios.count { items.append(radios[index]) }
            if let post = member.post?.rawValue {
                // post-ward-corridor-a carries arm-ward-key-cells-a; the control room the main key.
                if let block = post.split(separator: "-").last, post.contains("corridor") {
                    items.append("arm-ward-key-cells-\(block)")
                } else if post.hasSuffix("control") {
                    items.append("arm-ward-key-main")
                }
            }
            let known = Set(ward.armory.map(ArmoryLedger.key(of:)))
            for item in items where known.contains(item) {
                steps.append(Step(at: instant, action: .issue(facility: ward.id, item: item, staff: member.id)))
            }
        }
        return steps
    }

    /// What the fugitives took from the armory itself (what they took from the guards stays issued to
    /// them): the rifles, their ammunition and magazines, the uniforms, the armory's own key and the
    /// cell keys left in the control room.
    static let taken: Set<String> = [
        "arm-ward-ammo-545", "arm-ward-ammo-762", "arm-ward-mag-ak", "arm-ward-camo", "arm-ward-boots",
        "arm-ward-key-armory", "arm-ward-key-cells-c",
    ]

    /// The items a count finds at the ward after the escape: all but those issued and those taken
    /// (every rifle is taken, by kind, whatever its serial).
    static func found(in ward: Facility, after steps: [Step]) -> [String] {
        var issued: Set<String> = []
        for step in steps { if case .issue(_, let item, _) = step.action { issued.insert(item) } }
        return ward.armory.filter { item in
            let key = ArmoryLedger.key(of: item)
            let rifle = item.kind == .weapon && item.id.rawValue.contains("-ak")
            return !issued.contains(key) && !taken.contains(item.id.rawValue) && !rifle
        }.map(ArmoryLedger.key(of:)).sorted()
    }

    /// Every checkpoint's answer to an alert sent at `sentAt`: received within 16 seconds and, for most,
    /// acknowledged by the officer on duty within 50 seconds (before the minute after which silence is
    /// escalated); every eleventh checkpoint (in order of identifier) only confirms receipt, every ninth
    /// stays silent.
    static func deliveries(of checkpoints: [CheckpointID], sentAt: Date) -> [Step] {
        var steps: [Step] = []
        for (index, checkpoint) in checkpoints.sorted(by: { $0.rawValue < $1.rawValue }).enumerated() {
            if index % 9 == 4 { continue }
            let received = sentAt.addingTimeInterval(Double(2 + index % 15))
            steps.append(Step(at: received, action: .deliver(checkpoint: checkpoint, acknowledged: false)))
            if index % 11 == 7 { continue }
            let read = received.addingTimeInterval(Double(4 + (index * 7) % 30))
            steps.append(Step(at: read, action: .deliver(checkpoint: checkpoint, acknowledged: true)))
        }
        return steps
    }

    /// The scenario's later alerts (Cordon's own went out at the declaration, hours before the
    /// historical first), each to its checkpoints (a lockdown of the city's exits is sent to them as a
    /// be-on-the-lookout: a lockdown goes to a facility's own posts), sightings and status changes, at
    /// their own times.
    static func laterSteps(of scenario: Scenario, after declared: Date) -> [Step] {
        var steps: [Step] = []
        var composed: (id: AlertID, checkpoints: [CheckpointID])?
        for alert in scenario.alerts.sorted(by: { $0.sentAt < $1.sentAt }) where alert.sentAt > declared {
            switch alert.kind {
            case .beOnLookout, .lockdown:
                composed = (alert.id, alert.checkpoints)
                steps.append(
                    Step(
                        at: alert.sentAt,
                        action: .compose(
                            alert: alert.id,
                            kind: .beOnLookout,
                            headline: alert.headline,
                            checkpoints: alert.checkpoints
                        )
                    )
                )
                steps += deliveries(of: alert.checkpoints, sentAt: alert.sentAt)
            case .update:
                // An update goes to the recipients of the alert it updates, who answer it the same way.
                guard let composed else { continue }
                steps.append(Step(at: alert.sentAt, action: .update(alert: composed.id, headline: alert.headline)))
                steps += deliveries(of: composed.checkpoints, sentAt: alert.sentAt)
            case .cancel:
                continue
            }
        }
        for sighting in scenario.sightings { steps.append(Step(at: sighting.observedAt, action: .sighting(sighting))) }
        for person in scenario.persons {
            guard let history = person.wanted?.history else { continue }
            for change in history.dropFirst() {
                steps.append(
                    Step(at: change.at, action: .status(person: person.id, status: change.status, note: change.note))
                )
            }
        }
        return steps
    }

    /// The people as they stood at `moment` in Cordon's night: the escaped are wanted from the
    /// declaration (when it came by then), their later changes left to the steps.
    public func persons(at moment: Date) throws -> [Person] {
        try scenario.persons.map { person in
            guard let wanted = person.wanted, let first = wanted.history.first else { return person }
            guard declaredAt <= moment else { return person.replacingWanted(nil) }
            let change = try Wanted.StatusChange(status: first.status, at: declaredAt, note: first.note)
            return person.replacingWanted(try Wanted(reason: wanted.reason, history: [change]))
        }
    }
}

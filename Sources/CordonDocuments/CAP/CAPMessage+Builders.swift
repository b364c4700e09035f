public import CordonCore
public import Foundation

extension CAPMessage {
    /// Who sends Cordon's CAP messages, and how they are written.
    public struct Origin: Sendable, Hashable {
        /// The sender of every message (`dutyofficer@gknb.example.tj`).
        public var sender: String
        /// The sender's name for people.
        public var senderName: String?
        /// The time zone times are written in (the facility's).
        public var zone: TimeZone
        /// `Actual` in service, `Exercise` in drills and in the demo.
        public var status: Status
        /// Prepended to alert identifiers to make message identifiers (`cordon-`).
        public var identifierPrefix: String
        /// Whom recipients call back.
        public var contact: String?

        /// Creates an origin.
        public init(
            sender: String,
            senderName: String? = nil,
            zone: TimeZone,
            status: Status = .actual,
            identifierPrefix: String = "cordon-",
            contact: String? = nil
        ) {
            self.sender = sender
            self.senderName = senderName
            self.zone = zone
            self.status = status
            self.identifierPrefix = identifierPrefix
            self.contact = contact
        }
    }

    /// Makes the CAP message of an alert.
    ///
    /// A be-on-the-lookout alert becomes an `Alert` for checkpoints (scope `Restricted`): category
    /// `Security`, urgency `Immediate`, severity `Severe`, certainty `Observed`; the description lists
    /// each fugitive with every name they are known by, in every script, and what they look like,
    /// then each vehicle; one `fugitive` parameter per person holds their names, one `vehicle`
    /// parameter per vehicle its plate and looks; the area is a circle of `radiusKM` around the
    /// facility. A lockdown becomes an `Alert` for the facility's posts. An update becomes an
    /// `Update` with the look-out information as it now stands, and a cancellation a `Cancel`, each
    /// referring to `earlier`.
    ///
    /// - Parameters:
    ///   - alert: the alert; its identifier, prefixed, is the message identifier.
    ///   - incident: the incident it was composed from.
    ///   - facility: where the incident happened.
    ///   - fugitives: the people the alert names, in any order; each must be named by the alert.
    ///   - vehicles: the vehicles the alert names.
    ///   - earlier: the messages an update or cancellation refers to.
    ///   - radiusKM: the radius of the area around the facility.
    ///   - origin: the sender and how to write times.
    /// - Throws: ``ValidationFailure`` when a person or vehicle the alert names is not given, or the
    ///   message would break a CAP rule (an update without `earlier`, say).
    public static func make(
        from alert: Alert,
        incident: Incident,
        facility: Facility,
        fugitives: [Person] = [],
        vehicles: [Vehicle] = [],
        referencing earlier: [CAPMessage] = [],
        radiusKM: Double = 50,
        origin: Origin
    ) throws -> CAPMessage {
        var issues = IssueCollector()
        let people = Dictionary(fugitives.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let cars = Dictionary(vehicles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let named = alert.persons.compactMap { id -> Person? in
            if people[id] == nil { issues.add("persons", .unknownReference, "no person '\(id)' was given") }
            return people[id]
        }
        let namedVehicles = alert.vehicles.compactMap { id -> Vehicle? in
            if cars[id] == nil { issues.add("vehicles", .unknownReference, "no vehicle '\(id)' was given") }
            return cars[id]
        }
        let circle = issues.capture("radius") { try Circle(center: facility.location, radiusKM: radiusKM) }
        try issues.finish()
        let area = try Area(
            description: "Within \(CAPText.decimal(radiusKM)) km of \(facility.name)",
            circles: [circle!]
        )
        let identifier = origin.identifierPrefix + alert.id.rawValue
        let sent = Time(alert.sentAt, in: origin.zone)
        switch alert.kind {
        case .lockdown:
            let info = try Info(
                categories: [.security],
                event: "Facility lockdown",
                responseTypes: [.execute],
                urgency: .immediate,
                severity: .severe,
                certainty: .observed,
                audience: "Posts of \(facility.name)",
                senderName: origin.senderName,
                headline: alert.headline,
                description: incident.summary,
                instruction: "Lock every door and gate, keep every cell shut, check in now and hold your post.",
                contact: origin.contact,
                parameters: [try NamedValue(name: "incident", value: incident.id.rawValue)],
                areas: [area]
            )
            return try CAPMessage(
                identifier: identifier,
                sender: origin.sender,
                sent: sent,
                status: origin.status,
                messageType: .alert,
                scope: .restricted,
                restriction: "Posts of \(facility.name)",
                incidents: [incident.id.rawValue],
                infos: [info]
            )
        case .beOnLookout, .update:
            let info = try lookoutInfo(
                alert: alert,
                incident: incident,
                fugitives: named,
                vehicles: namedVehicles,
                area: area,
                origin: origin
            )
            return try CAPMessage(
                identifier: identifier,
                sender: origin.sender,
                sent: sent,
                status: origin.status,
                messageType: alert.kind == .update ? .update : .alert,
                scope: .restricted,
                restriction: "Police checkpoints and units",
                references: alert.kind == .update ? earlier.map(\.reference) : [],
                incidents: [incident.id.rawValue],
                infos: [info]
            )
        case .cancel:
            return try makeCancel(
                of: earlier,
                identifier: identifier,
                at: alert.sentAt,
                note: alert.headline,
                origin: origin
            )
        }
    }

    /// Makes a `Cancel` of earlier messages.
    ///
    /// - Parameters:
    ///   - earlier: the messages cancelled; their incidents carry over.
    ///   - identifier: the new message's identifier.
    ///   - instant: when it is sent.
    ///   - note: why they are cancelled.
    ///   - origin: the sender.
    /// - Throws: ``ValidationFailure`` when `earlier` is empty or a field breaks a CAP rule.
    public static func makeCancel(
        of earlier: [CAPMessage],
        identifier: String,
        at instant: Date,
        note: String,
        origin: Origin
    ) throws -> CAPMessage {
        try CAPMessage(
            identifier: identifier,
            sender: origin.sender,
            sent: Time(instant, in: origin.zone),
            status: origin.status,
            messageType: .cancel,
            scope: earlier.first?.scope ?? .restricted,
            restriction: earlier.first?.scope == .restricted ? earlier.first?.restriction : nil,
            addresses: earlier.first?.scope == .private ? earlier.first?.addresses ?? [] : [],
            note: note,
            references: earlier.map(\.reference),
            incidents: Array(Set(earlier.flatMap(\.incidents))).sorted()
        )
    }

    /// Makes an `Update` of earlier messages with new information.
    ///
    /// - Parameters:
    ///   - earlier: the messages updated, oldest first; the scope, restriction, addresses and incidents
    ///     of the latest carry over.
    ///   - identifier: the new message's identifier.
    ///   - instant: when it is sent.
    ///   - infos: the information as it now stands.
    ///   - note: what changed.
    ///   - origin: the sender.
    /// - Throws: ``ValidationFailure`` when `earlier` is empty or a field breaks a CAP rule.
    public static func makeUpdate(
        of earlier: [CAPMessage],
        identifier: String,
        at instant: Date,
        infos: [Info],
        note: String? = nil,
        origin: Origin
    ) throws -> CAPMessage {
        let latest = earlier.last
        return try CAPMessage(
            identifier: identifier,
            sender: origin.sender,
            sent: Time(instant, in: origin.zone),
            status: origin.status,
            messageType: .update,
            scope: latest?.scope ?? .restricted,
            restriction: latest?.scope == .private ? nil : latest?.restriction,
            addresses: latest?.addresses ?? [],
            note: note,
            references: earlier.map(\.reference),
            incidents: latest?.incidents ?? [],
            infos: infos
        )
    }

    /// Makes a checkpoint's acknowledgement of a message: an `Ack` addressed privately to the
    /// original sender, referring to it.
    ///
    /// - Parameters:
    ///   - original: the message acknowledged.
    ///   - sender: the checkpoint's sender address (`cp-dushanbe-rail@police.example.tj`).
    ///   - identifier: the acknowledgement's identifier.
    ///   - instant: when it is sent.
    ///   - zone: the time zone to write it in.
    ///   - note: who read it (`received and read by officer 4471`).
    /// - Throws: ``ValidationFailure`` when a field breaks a CAP rule.
    public static func makeAck(
        of original: CAPMessage,
        sender: String,
        identifier: String,
        at instant: Date,
        in zone: TimeZone,
        note: String? = nil
    ) throws -> CAPMessage {
        try CAPMessage(
            identifier: identifier,
            sender: sender,
            sent: Time(instant, in: zone),
            status: original.status,
            messageType: .ack,
            scope: .private,
            addresses: [original.sender],
            note: note,
            references: [original.reference]
        )
    }

    private static func lookoutInfo(
        alert: Alert,
        incident: Incident,
        fugitives: [Person],
        vehicles: [Vehicle],
        area: Area,
        origin: Origin
    ) throws -> Info {
        var lines = [incident.summary]
        var parameters = [try NamedValue(name: "incident", value: incident.id.rawValue)]
        if !fugitives.isEmpty { lines.append("\nWanted (\(fugitives.count)):") }
        for (index, person) in fugitives.enumerated() {
            lines.append("\(index + 1). " + describe(person))
            parameters.append(try NamedValue(name: "fugitive", value: names(of: person).joined(separator: " / ")))
        }
        if !vehicles.isEmpty { lines.append("\nVehicles (\(vehicles.count)):") }
        for (index, vehicle) in vehicles.enumerated() {
            lines.append("\(index + 1). " + describe(vehicle))
            parameters.append(try NamedValue(name: "vehicle", value: describe(vehicle)))
        }
        return try Info(
            categories: [.security],
            event: "Escape from custody",
            responseTypes: [.monitor],
            urgency: .immediate,
            severity: .severe,
            certainty: .observed,
            audience: "Police checkpoints and units",
            senderName: origin.senderName,
            headline: alert.headline,
            description: lines.joined(separator: "\n"),
            instruction: "Check every person and vehicle against the descriptions. The fugitives are armed: "
                + "do not approach alone. Hold and report to the duty officer at once, then acknowledge this message.",
            contact: origin.contact,
            parameters: parameters,
            areas: [area]
        )
    }

    /// Every name a person is known by except weak aliases: as written, then the aliases, without
    /// repeats.
    static func names(of person: Person) -> [String] {
        var seen = Set<String>()
        var names: [String] = []
        for name in [person.name.fullName] + person.aliases.filter({ $0.kind != .weak }).map(\.value)
        where seen.insert(name).inserted {
            names.append(name)
        }
        return names
    }

    static func describe(_ person: Person) -> String {
        var text = names(of: person).joined(separator: " / ")
        let weak = person.aliases.filter { $0.kind == .weak }.map(\.value)
        if !weak.isEmpty { text += "; also called \(weak.joined(separator: ", "))" }
        var facts: [String] = []
        if let birth = person.birthDate { facts.append("born \(birth)") }
        if person.sex != .unknown { facts.append(person.sex.rawValue) }
        if !person.nationalities.isEmpty {
            facts.append("nationality " + person.nationalities.map(\.rawValue).joined(separator: ", "))
        }
        if let looks = person.appearance {
            if let height = looks.heightCM { facts.append("\(height) cm") }
            if let build = looks.build { facts.append("\(build) build") }
            if let hair = looks.hair { facts.append("\(hair) hair") }
            if let eyes = looks.eyes { facts.append("\(eyes) eyes") }
            if !looks.marks.isEmpty { facts.append("marks: " + looks.marks.joined(separator: ", ")) }
            if let more = looks.text { facts.append(more) }
        }
        return facts.isEmpty ? text : text + ". " + facts.joined(separator: "; ") + "."
    }

    static func describe(_ vehicle: Vehicle) -> String {
        var text =
            "\(vehicle.plate.text) (\(vehicle.country.rawValue)), \(vehicle.colour) \(vehicle.make) \(vehicle.model)"
        if let year = vehicle.year { text += ", \(year)" }
        if vehicle.isStolen { text += ", reported stolen" }
        return text
    }
}

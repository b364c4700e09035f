public import CordonCore

extension Person: StoredEntity {
    public static var entityKind: EntityKind { .person }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] {
        var tags = [DocumentTag("wanted", wanted == nil ? "false" : "true"), DocumentTag("sex", sex.rawValue)]
        if let wanted { tags.append(DocumentTag("status", wanted.status.rawValue)) }
        tags += nationalities.map { DocumentTag("nationality", $0.rawValue) }
        tags += organizations.map { DocumentTag("organization", $0.rawValue) }
        return tags
    }
}

extension Organization: StoredEntity {
    public static var entityKind: EntityKind { .organization }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] { [DocumentTag("kind", kind.rawValue)] }
}

extension Relation: StoredEntity {
    public static var entityKind: EntityKind { .relation }
    /// `member_of~p-1~organization:org-a`: unique per pair and kind.
    public var storageID: String { "\(kind.rawValue)~\(from.rawValue)~\(to)" }
    public var tags: [DocumentTag] {
        var tags = [DocumentTag("kind", kind.rawValue), DocumentTag("person", from.rawValue)]
        switch to {
        case .person(let id): tags.append(DocumentTag("person", id.rawValue))
        case .organization(let id): tags.append(DocumentTag("organization", id.rawValue))
        }
        return tags
    }
}

extension Vehicle: StoredEntity {
    public static var entityKind: EntityKind { .vehicle }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] {
        [
            DocumentTag("country", country.rawValue), DocumentTag("stolen", isStolen ? "true" : "false"),
            DocumentTag("plate", plate.canonical),
        ]
    }
}

extension Facility: StoredEntity {
    public static var entityKind: EntityKind { .facility }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] { [DocumentTag("kind", kind.rawValue), DocumentTag("region", region)] }
}

extension Checkpoint: StoredEntity {
    public static var entityKind: EntityKind { .checkpoint }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] { [DocumentTag("kind", kind.rawValue), DocumentTag("region", region)] }
}

extension StaffMember: StoredEntity {
    public static var entityKind: EntityKind { .staff }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] {
        var tags = [DocumentTag("role", role.rawValue)]
        if let facility { tags.append(DocumentTag("facility", facility.rawValue)) }
        return tags
    }
}

extension Incident: StoredEntity {
    public static var entityKind: EntityKind { .incident }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] {
        var tags = [DocumentTag("kind", kind.rawValue), DocumentTag("status", status.rawValue)]
        if let facility { tags.append(DocumentTag("facility", facility.rawValue)) }
        return tags
    }
}

extension Alert: StoredEntity {
    public static var entityKind: EntityKind { .alert }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] { [DocumentTag("kind", kind.rawValue), DocumentTag("incident", incident.rawValue)] }
}

extension Sighting: StoredEntity {
    public static var entityKind: EntityKind { .sighting }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] {
        var tags = [DocumentTag("source", source.rawValue), DocumentTag("confidence", confidence.rawValue)]
        if let person { tags.append(DocumentTag("person", person.rawValue)) }
        if let vehicle { tags.append(DocumentTag("vehicle", vehicle.rawValue)) }
        return tags
    }
}

extension TimelineEvent: StoredEntity {
    public static var entityKind: EntityKind { .event }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] { [DocumentTag("kind", kind.rawValue)] }
}

extension Delivery: StoredEntity {
    public static var entityKind: EntityKind { .delivery }
    public var storageID: String { id }
    public var tags: [DocumentTag] {
        [
            DocumentTag("recipient", recipient), DocumentTag("alert", alert.rawValue),
            DocumentTag("state", state.rawValue),
        ]
    }
}

extension AlertMessage: StoredEntity {
    public static var entityKind: EntityKind { .alertMessage }
    public var storageID: String { id }
    public var tags: [DocumentTag] {
        [DocumentTag("alert", alert.rawValue), DocumentTag("message_type", messageType)]
    }
}

extension PostCredential: StoredEntity {
    public static var entityKind: EntityKind { .postCredential }
    public var storageID: String { post.rawValue }
    public var tags: [DocumentTag] { [DocumentTag("facility", facility.rawValue)] }
}

extension CheckIn: StoredEntity {
    public static var entityKind: EntityKind { .checkIn }
    public var storageID: String { id }
    public var tags: [DocumentTag] { [DocumentTag("post", post.rawValue), DocumentTag("facility", facility.rawValue)] }
}

extension CustodyRecord: StoredEntity {
    public static var entityKind: EntityKind { .custody }
    /// `<facility>.<person>`: a person is held once per facility.
    public var storageID: String { "\(facility.rawValue).\(person.rawValue)" }
    public var tags: [DocumentTag] { [DocumentTag("facility", facility.rawValue), DocumentTag("cell", cell.rawValue)] }
}

extension IssuedCredential: StoredEntity {
    public static var entityKind: EntityKind { .credential }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] {
        var tags = [DocumentTag("revoked", isRevoked ? "true" : "false"), DocumentTag("key", keyID)]
        if let staff { tags.append(DocumentTag("staff", staff.rawValue)) }
        if let facility { tags.append(DocumentTag("facility", facility.rawValue)) }
        return tags
    }
}

extension Lead: StoredEntity {
    public static var entityKind: EntityKind { .lead }
    public var storageID: String { id.rawValue }
    public var tags: [DocumentTag] {
        var tags = [DocumentTag("kind", query.kind.rawValue), DocumentTag("used", used == nil ? "false" : "true")]
        if let person { tags.append(DocumentTag("person", person.rawValue)) }
        if let vehicle { tags.append(DocumentTag("vehicle", vehicle.rawValue)) }
        if let checkpoint = query.checkpoint { tags.append(DocumentTag("checkpoint", checkpoint.rawValue)) }
        return tags
    }
}

extension Scenario {
    /// The writes that put every entity of the scenario into a store of type `store`, organisations
    /// first and sightings last, each as an upsert.
    public func documentWrites<S: Store>(for store: S.Type) throws -> [DocumentWrite] {
        var writes = try standingWrites(for: store, persons: persons)
        for event in events { writes.append(try S.write(event, operation: .upsert)) }
        for incident in incidents { writes.append(try S.write(incident, operation: .upsert)) }
        for alert in alerts { writes.append(try S.write(alert, operation: .upsert)) }
        for sighting in sightings { writes.append(try S.write(sighting, operation: .upsert)) }
        return writes
    }

    /// The writes of the scenario's standing record only — organisations, people (`persons` in place of
    /// the scenario's own), relations, vehicles, facilities, checkpoints, staff and custody — without its
    /// timeline, incidents, alerts and sightings, for a demo that makes those as its night is played.
    public func standingWrites<S: Store>(for store: S.Type, persons: [Person]) throws -> [DocumentWrite] {
        var writes: [DocumentWrite] = []
        func add<E: StoredEntity>(_ entities: [E]) throws {
            for entity in entities { writes.append(try S.write(entity, operation: .upsert)) }
        }
        try add(organizations)
        try add(persons)
        try add(relations)
        try add(vehicles)
        try add(facilities)
        try add(checkpoints)
        try add(staff)
        try add(custody)
        return writes
    }
}

import Foundation

extension Scenario {
    /// The decoded collections, each element with its index in the input, for cross-checks.
    struct Parts {
        var organizations: [(index: Int, value: Organization)] = []
        var facilities: [(index: Int, value: Facility)] = []
        var staff: [(index: Int, value: StaffMember)] = []
        var persons: [(index: Int, value: Person)] = []
        var custody: [(index: Int, value: CustodyRecord)] = []
        var relations: [(index: Int, value: Relation)] = []
        var vehicles: [(index: Int, value: Vehicle)] = []
        var checkpoints: [(index: Int, value: Checkpoint)] = []
        var events: [(index: Int, value: TimelineEvent)] = []
        var incidents: [(index: Int, value: Incident)] = []
        var alerts: [(index: Int, value: Alert)] = []
        var sightings: [(index: Int, value: Sighting)] = []
        /// The `id` of every element of each collection as written, including elements that failed to
        /// decode, so that one bad person does not also make every reference to them an error.
        var writtenIDs: [String: Set<String>] = [:]

        private func known<T>(_ decoded: Set<Identifier<T>>, _ collection: String) -> Set<Identifier<T>> {
            decoded.union((writtenIDs[collection] ?? []).compactMap(Identifier<T>.init(rawValue:)))
        }

        /// Checks uniqueness, cross-references, capacities and that nothing is dated after the reference time.
        func checkReferences(referenceTime: Date?, into issues: inout IssueCollector) {
            let organizationIDs = known(unique(organizations, "organizations", \.id, &issues), "organizations")
            let facilityIDs = known(unique(facilities, "facilities", \.id, &issues), "facilities")
            let staffIDs = known(unique(staff, "staff", \.id, &issues), "staff")
            let personIDs = known(unique(persons, "persons", \.id, &issues), "persons")
            let vehicleIDs = known(unique(vehicles, "vehicles", \.id, &issues), "vehicles")
            let checkpointIDs = known(unique(checkpoints, "checkpoints", \.id, &issues), "checkpoints")
            _ = unique(events, "events", \.id, &issues)
            let incidentIDs = known(unique(incidents, "incidents", \.id, &issues), "incidents")
            _ = unique(alerts, "alerts", \.id, &issues)
            _ = unique(sightings, "sightings", \.id, &issues)

            // Blocks, cells and posts are unique across the whole scenario.
            var blockOwner: [BlockID: FacilityID] = [:]
            var cellOwner: [CellID: FacilityID] = [:]
            var postOwner: [GuardPostID: FacilityID] = [:]
            var capacity: [CellID: Int] = [:]
            for (index, facility) in facilities {
                if let parent = facility.parent, !facilityIDs.contains(parent) {
                    issues.add("facilities[\(index)].parent", .unknownReference, "no facility '\(parent)'")
                }
                for (b, block) in facility.blocks.enumerated() {
                    if blockOwner.updateValue(facility.id, forKey: block.id) != nil {
                        issues.add(
                            "facilities[\(index)].blocks[\(b)].id",
                            .duplicate,
                            "block '\(block.id)' appears more than once"
                        )
                    }
                    for (c, cell) in block.cells.enumerated() {
                        if cellOwner.updateValue(facility.id, forKey: cell.id) != nil {
                            issues.add(
                                "facilities[\(index)].blocks[\(b)].cells[\(c)].id",
                                .duplicate,
                                "cell '\(cell.id)' appears more than once"
                            )
                        }
                        capacity[cell.id] = cell.capacity
                    }
                }
                for (p, post) in facility.posts.enumerated()
                where postOwner.updateValue(facility.id, forKey: post.id) != nil {
                    issues.add(
                        "facilities[\(index)].posts[\(p)].id",
                        .duplicate,
                        "post '\(post.id)' appears more than once"
                    )
                }
            }

            for (index, person) in persons {
                for (o, organization) in person.organizations.enumerated() where !organizationIDs.contains(organization)
                {
                    issues.add(
                        "persons[\(index)].organizations[\(o)]",
                        .unknownReference,
                        "no organization '\(organization)'"
                    )
                }
                if let referenceTime {
                    if let birth = person.birthDate, birth.isAfter(referenceTime) {
                        issues.add(
                            "persons[\(index)].birth_date",
                            .inFuture,
                            "\(birth) is after the scenario's reference time"
                        )
                    }
                    for (h, change) in (person.wanted?.history ?? []).enumerated() where change.at > referenceTime {
                        issues.add(
                            "persons[\(index)].wanted.history[\(h)].at",
                            .inFuture,
                            "is after the scenario's reference time"
                        )
                    }
                }
            }

            for (index, member) in staff {
                if let facility = member.facility, !facilityIDs.contains(facility) {
                    issues.add("staff[\(index)].facility", .unknownReference, "no facility '\(facility)'")
                }
                if let post = member.post, postOwner[post] != member.facility {
                    issues.add(
                        "staff[\(index)].post",
                        .unknownReference,
                        "no post '\(post)' in facility '\(member.facility?.rawValue ?? "-")'"
                    )
                }
            }

            var inCustody: [PersonID: Int] = [:]
            var occupancy: [CellID: Int] = [:]
            for (index, record) in custody {
                let path = "custody[\(index)]"
                if !personIDs.contains(record.person) {
                    issues.add("\(path).person", .unknownReference, "no person '\(record.person)'")
                }
                if let earlier = inCustody.updateValue(index, forKey: record.person) {
                    issues.add("\(path).person", .duplicate, "'\(record.person)' is already held (custody[\(earlier)])")
                }
                if !facilityIDs.contains(record.facility) {
                    issues.add("\(path).facility", .unknownReference, "no facility '\(record.facility)'")
                } else if cellOwner[record.cell] != record.facility {
                    issues.add(
                        "\(path).cell",
                        .unknownReference,
                        "no cell '\(record.cell)' in facility '\(record.facility)'"
                    )
                }
                occupancy[record.cell, default: 0] += 1
                if let limit = capacity[record.cell], occupancy[record.cell]! == limit + 1 {
                    issues.add("\(path).cell", .outOfRange, "cell '\(record.cell)' holds at most \(limit)")
                }
                if let since = record.since, let referenceTime, since.isAfter(referenceTime) {
                    issues.add("\(path).since", .inFuture, "\(since) is after the scenario's reference time")
                }
            }

            for (index, relation) in relations {
                if !personIDs.contains(relation.from) {
                    issues.add("relations[\(index)].from", .unknownReference, "no person '\(relation.from)'")
                }
                switch relation.to {
                case .person(let id) where !personIDs.contains(id):
                    issues.add("relations[\(index)].to", .unknownReference, "no person '\(id)'")
                case .organization(let id) where !organizationIDs.contains(id):
                    issues.add("relations[\(index)].to", .unknownReference, "no organization '\(id)'")
                default:
                    break
                }
            }

            var previous: Date?
            for (index, event) in events {
                let path = "events[\(index)]"
                if let facility = event.facility, !facilityIDs.contains(facility) {
                    issues.add("\(path).facility", .unknownReference, "no facility '\(facility)'")
                }
                if let post = event.post, postOwner[post] == nil {
                    issues.add("\(path).post", .unknownReference, "no post '\(post)'")
                }
                references(event.persons, personIDs, "\(path).persons", "person", &issues)
                references(event.staff, staffIDs, "\(path).staff", "staff member", &issues)
                references(event.vehicles, vehicleIDs, "\(path).vehicles", "vehicle", &issues)
                if let previous, event.at < previous {
                    issues.add(
                        "\(path).at",
                        .inconsistent,
                        "events must be in time order; this one is earlier than the one before"
                    )
                }
                previous = event.at
                notAfter(event.at, referenceTime, "\(path).at", &issues)
            }

            for (index, incident) in incidents {
                let path = "incidents[\(index)]"
                if let facility = incident.facility, !facilityIDs.contains(facility) {
                    issues.add("\(path).facility", .unknownReference, "no facility '\(facility)'")
                }
                references(incident.persons, personIDs, "\(path).persons", "person", &issues)
                references(incident.vehicles, vehicleIDs, "\(path).vehicles", "vehicle", &issues)
                notAfter(incident.raisedAt, referenceTime, "\(path).raised_at", &issues)
            }

            for (index, alert) in alerts {
                let path = "alerts[\(index)]"
                if !incidentIDs.contains(alert.incident) {
                    issues.add("\(path).incident", .unknownReference, "no incident '\(alert.incident)'")
                }
                references(alert.persons, personIDs, "\(path).persons", "person", &issues)
                references(alert.vehicles, vehicleIDs, "\(path).vehicles", "vehicle", &issues)
                references(alert.checkpoints, checkpointIDs, "\(path).checkpoints", "checkpoint", &issues)
                notAfter(alert.sentAt, referenceTime, "\(path).sent_at", &issues)
            }

            for (index, sighting) in sightings {
                let path = "sightings[\(index)]"
                if let person = sighting.person, !personIDs.contains(person) {
                    issues.add("\(path).person", .unknownReference, "no person '\(person)'")
                }
                if let vehicle = sighting.vehicle, !vehicleIDs.contains(vehicle) {
                    issues.add("\(path).vehicle", .unknownReference, "no vehicle '\(vehicle)'")
                }
                if let checkpoint = sighting.checkpoint, !checkpointIDs.contains(checkpoint) {
                    issues.add("\(path).checkpoint", .unknownReference, "no checkpoint '\(checkpoint)'")
                }
                notAfter(sighting.observedAt, referenceTime, "\(path).observed_at", &issues)
            }
        }

        private func unique<T, ID: Hashable & CustomStringConvertible>(
            _ items: [(index: Int, value: T)],
            _ path: String,
            _ id: KeyPath<T, ID>,
            _ issues: inout IssueCollector
        ) -> Set<ID> {
            var seen = Set<ID>()
            for (index, item) in items where !seen.insert(item[keyPath: id]).inserted {
                issues.add("\(path)[\(index)].id", .duplicate, "'\(item[keyPath: id])' appears more than once")
            }
            return seen
        }

        private func references<ID: Hashable & CustomStringConvertible>(
            _ ids: [ID],
            _ known: Set<ID>,
            _ path: String,
            _ noun: String,
            _ issues: inout IssueCollector
        ) {
            for (index, id) in ids.enumerated() where !known.contains(id) {
                issues.add("\(path)[\(index)]", .unknownReference, "no \(noun) '\(id)'")
            }
        }

        private func notAfter(_ instant: Date, _ referenceTime: Date?, _ path: String, _ issues: inout IssueCollector) {
            if let referenceTime, instant > referenceTime {
                issues.add(path, .inFuture, "is after the scenario's reference time")
            }
        }
    }
}

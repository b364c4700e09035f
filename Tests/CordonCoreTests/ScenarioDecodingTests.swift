import CordonCore
import Foundation
import Testing

/// A small scenario written for these tests: one ward, two people, one checkpoint.
private func fixture() -> [String: Any] {
    [
        "schema_version": 1,
        "title": "Test ward",
        "summary": "A ward with two inmates.",
        "time_zone": "Asia/Dushanbe",
        "reference_time": "2010-08-25T12:00:00+05:00",
        "organizations": [["id": "org-a", "name": "Group A", "acronyms": ["GA"], "kind": "armed_group"]],
        "facilities": [
            [
                "id": "fac-1", "name": "Ward", "kind": "detention_ward", "operator": "Service",
                "location": ["lat": 38.57, "lon": 68.78], "region": "Dushanbe",
                "blocks": [
                    ["id": "blk-1", "name": "Block 1", "cells": [["id": "cell-1", "name": "1", "capacity": 1]]]
                ],
                "posts": [
                    [
                        "id": "post-1", "name": "Corridor", "kind": "internal", "block": "blk-1",
                        "check_in_interval_minutes": 30, "grace_minutes": 5,
                    ]
                ],
            ]
        ],
        "staff": [] as [Any],
        "persons": [
            [
                "id": "p-1",
                "name": ["parts": [["kind": "family", "value": "Зиёев"], ["kind": "given", "value": "Мирзо"]]],
                "aliases": [["kind": "spelling", "value": "Mirzo Ziyoyev"]],
                "birth_date": "1973",
                "nationalities": ["TJ"],
                "organizations": ["org-a"],
                "wanted": [
                    "reason": "escaped", "history": [["status": "at_large", "at": "2010-08-23T01:10:00+05:00"]],
                ],
            ],
            ["id": "p-2", "name": ["parts": [["kind": "given", "value": "Hikmat"]]]],
        ],
        "custody": [["person": "p-1", "facility": "fac-1", "cell": "cell-1"]],
        "relations": [["kind": "member_of", "from": "person:p-1", "to": "organization:org-a"]],
        "vehicles": [
            [
                "id": "v-1", "plate": "1234 АА 01", "country": "TJ", "make": "VAZ", "model": "2107", "colour": "white",
                "stolen": true,
            ]
        ],
        "checkpoints": [
            [
                "id": "cp-1", "name": "Vahdat road", "kind": "road", "location": ["lat": 38.55, "lon": 69.01],
                "region": "Districts of Republican Subordination",
            ]
        ],
        "events": [
            [
                "id": "e-1", "at": "2010-08-22T22:15:00+05:00", "kind": "prayer", "summary": "Guards pray",
                "facility": "fac-1",
            ],
            [
                "id": "e-2", "at": "2010-08-23T01:10:00+05:00", "kind": "post_attacked",
                "summary": "Outer post attacked",
            ],
        ],
        "incidents": [
            [
                "id": "inc-1", "kind": "escape", "raised_at": "2010-08-23T01:30:00+05:00", "status": "confirmed",
                "summary": "Escape", "persons": ["p-1"], "vehicles": ["v-1"],
            ]
        ],
        "alerts": [
            [
                "id": "al-1", "incident": "inc-1", "kind": "be_on_lookout", "sent_at": "2010-08-23T02:00:00+05:00",
                "headline": "Escaped", "persons": ["p-1"], "checkpoints": ["cp-1"],
            ]
        ],
        "sightings": [
            [
                "id": "s-1", "observed_at": "2010-08-24T09:00:00+05:00", "location": ["lat": 38.9, "lon": 69.6],
                "person": "p-1", "source": "public_tip", "confidence": "low",
            ]
        ],
    ]
}

private let context = ValidationContext(now: Instant.parse("2026-01-01T00:00:00Z")!)

private func decode(_ object: [String: Any]) throws -> Scenario {
    try Scenario.decode(from: JSONSerialization.data(withJSONObject: object), context: context)
}

private func problems(_ object: [String: Any]) -> [String: ValidationFailure.Reason] {
    do {
        _ = try decode(object)
        return [:]
    } catch let failure as ValidationFailure {
        return Dictionary(failure.issues.map { ($0.path, $0.reason) }, uniquingKeysWith: { first, _ in first })
    } catch {
        Issue.record("unexpected \(error)")
        return [:]
    }
}

/// Sets a value deep inside a JSON object: `set(&json, ["persons", 0, "birth_date"], "2031")`.
private func set(_ object: inout [String: Any], _ path: [Any], _ value: Any?) {
    func update(_ node: Any, _ rest: ArraySlice<Any>) -> Any? {
        guard let head = rest.first else { return value }
        if let key = head as? String, var dictionary = node as? [String: Any] {
            dictionary[key] = update(dictionary[key] as Any, rest.dropFirst())
            return dictionary
        }
        if let index = head as? Int, var array = node as? [Any] {
            array[index] = update(array[index], rest.dropFirst()) as Any
            return array
        }
        return node
    }
    object = update(object, path[...]) as! [String: Any]
}

@Suite struct ScenarioDecodingTests {
    @Test func decodesTheFixture() throws {
        let scenario = try decode(fixture())
        #expect(scenario.persons.count == 2)
        #expect(scenario.wantedPersons.map(\.id.rawValue) == ["p-1"])
        #expect(scenario.person(try PersonID("p-1"))?.name.scripts == [.cyrillic])
        #expect(scenario.vehicles.first?.plate.canonical == "1234AA01")
        #expect(scenario.timeZone.identifier == "Asia/Dushanbe")
        let summary = ScenarioSummary(scenario)
        #expect(summary.facilities.first?.inCustody == 1)
        #expect(summary.wantedByStatus == ["at_large": 1])
    }

    @Test func roundTripsThroughJSON() throws {
        let scenario = try decode(fixture())
        let data = try JSONEncoder.cordon().encode(scenario)
        let again = try Scenario.decode(from: data, context: context)
        #expect(again == scenario)
    }

    @Test func listsEveryBadFieldWithItsPath() {
        var json = fixture()
        set(&json, ["persons", 0, "birth_date"], "2031")
        set(&json, ["persons", 0, "nationalities", 0], "XX")
        set(&json, ["persons", 1, "name", "parts", 0, "value"], "")
        set(&json, ["vehicles", 0, "plate"], "!!")
        set(&json, ["checkpoints", 0, "location", "lat"], 123.0)
        set(&json, ["facilities", 0, "blocks", 0, "cells", 0, "capacity"], 0)
        let found = problems(json)
        #expect(found["persons[0].birth_date"] == .inFuture)
        #expect(found["persons[0].nationalities[0]"] == .unknownCode)
        #expect(found["persons[1].name.parts[0].value"] == .empty)
        #expect(found["vehicles[0].plate"] == .invalidFormat)
        #expect(found["checkpoints[0].location.lat"] == .outOfRange)
        #expect(found["facilities[0].blocks[0].cells[0].capacity"] == .outOfRange)
    }

    @Test func reportsMissingWrongTypeAndUnknownKeys() {
        var json = fixture()
        set(&json, ["persons", 0, "name"], nil)
        set(&json, ["persons", 1, "sex"], "robot")
        set(&json, ["vehicles", 0, "stolen"], "yes")
        set(&json, ["checkpoints", 0, "nmae"], "typo")
        set(&json, ["title"], nil)
        let found = problems(json)
        #expect(found["persons[0].name"] == .missing)
        #expect(found["persons[1].sex"] == .unknownCode)
        #expect(found["vehicles[0].stolen"] == .wrongType)
        #expect(found["checkpoints[0].nmae"] == .unknownKey)
        #expect(found["title"] == .missing)
    }

    @Test func checksCrossReferences() {
        var json = fixture()
        set(&json, ["custody", 0, "cell"], "cell-9")
        set(&json, ["persons", 0, "organizations", 0], "org-missing")
        set(&json, ["alerts", 0, "incident"], "inc-9")
        set(&json, ["alerts", 0, "checkpoints", 0], "cp-9")
        set(&json, ["relations", 0], ["kind": "relative_of", "from": "person:p-1", "to": "person:p-9"])
        set(&json, ["sightings", 0, "person"], "p-9")
        set(&json, ["events", 1, "vehicles"], ["v-9"])
        let found = problems(json)
        #expect(found["custody[0].cell"] == .unknownReference)
        #expect(found["persons[0].organizations[0]"] == .unknownReference)
        #expect(found["alerts[0].incident"] == .unknownReference)
        #expect(found["alerts[0].checkpoints[0]"] == .unknownReference)
        #expect(found["relations[0].to"] == .unknownReference)
        #expect(found["sightings[0].person"] == .unknownReference)
        #expect(found["events[1].vehicles[0]"] == .unknownReference)
    }

    @Test func checksDuplicatesCapacityAndTime() {
        var json = fixture()
        set(&json, ["persons", 1, "id"], "p-1")
        var custody = json["custody"] as! [Any]
        custody.append(["person": "p-2", "facility": "fac-1", "cell": "cell-1"])
        json["custody"] = custody
        set(&json, ["events", 0, "at"], "2010-08-23T02:00:00+05:00")
        set(&json, ["sightings", 0, "observed_at"], "2010-09-01T00:00:00+05:00")
        set(&json, ["time_zone"], "Mars/Olympus")
        let found = problems(json)
        #expect(found["persons[1].id"] == .duplicate)
        #expect(found["custody[1].cell"] == .outOfRange)
        #expect(found["events[1].at"] == .inconsistent)
        #expect(found["sightings[0].observed_at"] == .inFuture)
        #expect(found["time_zone"] == .unknownCode)
    }

    @Test func aBadPersonDoesNotBreakTheReferencesToThem() {
        var json = fixture()
        set(&json, ["persons", 0, "nationalities", 0], "XX")
        #expect(problems(json) == ["persons[0].nationalities[0]": .unknownCode])
    }

    @Test func rejectsANotAllowedHistory() {
        var json = fixture()
        set(
            &json,
            ["persons", 0, "wanted", "history"],
            [
                ["status": "at_large", "at": "2010-08-23T01:10:00+05:00"],
                ["status": "dead", "at": "2010-08-24T01:10:00+05:00"],
                ["status": "at_large", "at": "2010-08-25T01:10:00+05:00"],
            ]
        )
        #expect(problems(json)["persons[0].wanted.history[2].status"] == .notAllowed)
    }

    @Test func rejectsSomethingThatIsNotJSON() {
        #expect(throws: ValidationFailure.self) {
            try Scenario.decode(from: Data("{not json".utf8), context: context)
        }
        #expect(throws: ValidationFailure.self) {
            try Scenario.decode(from: Data("[1, 2]".utf8), context: context)
        }
    }
}

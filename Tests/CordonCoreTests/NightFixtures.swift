import CordonCore
import Foundation

/// The GKNB ward on the night of 22–23 August 2010, cut down to what the custody rules need.
enum Night {
    static let zone = TimeZone(secondsFromGMT: 5 * 3600)!

    /// An instant on the night, local time (`22:15` is 22 August, `01:10` is 23 August).
    static func at(_ time: String) -> Date {
        let hour = Int(time.prefix(2))!
        let day = hour < 12 ? "2010-08-23" : "2010-08-22"
        return Instant.parse("\(day)T\(time):00+05:00")!
    }

    static func post(_ id: String, block: String?, interval: Int = 30, grace: Int = 5) throws -> GuardPost {
        try GuardPost(
            id: GuardPostID(id),
            name: "Post \(id)",
            kind: block == nil ? .gate : .internal,
            block: block.map { try BlockID($0) },
            checkInIntervalMinutes: interval,
            graceMinutes: grace
        )
    }

    static func ward() throws -> Facility {
        func block(_ letter: String, cells: Int) throws -> Facility.Block {
            try Facility.Block(
                id: BlockID("blk-\(letter)"),
                name: "Block \(letter.uppercased())",
                cells: (1...cells).map {
                    try Facility.Cell(id: CellID("cell-\(letter)\($0)"), name: "\($0)", capacity: 6)
                }
            )
        }
        return try Facility(
            id: FacilityID("fac-gknb-ward"),
            name: "GKNB pretrial detention ward",
            kind: .detentionWard,
            operatorName: "State Committee for National Security",
            location: Coordinates(latitude: 38.5712, longitude: 68.7804),
            region: "Dushanbe",
            blocks: [try block("a", cells: 6), try block("b", cells: 6)],
            posts: [
                try post("post-corridor-a", block: "blk-a"),
                try post("post-corridor-b", block: "blk-b"),
                try post("post-control-b", block: "blk-b", interval: 60, grace: 10),
                try post("post-gate", block: nil),
            ],
            armory: [
                try ArmoryItem(
                    id: ArmoryItemID("arm-ak74-01"),
                    kind: .weapon,
                    description: "AK-74 rifle",
                    serial: "1984 517732"
                ),
                try ArmoryItem(
                    id: ArmoryItemID("arm-pm-01"),
                    kind: .weapon,
                    description: "Makarov PM pistol",
                    serial: "ТА 4417"
                ),
                try ArmoryItem(id: ArmoryItemID("arm-key-ward"), kind: .key, description: "Ward cell keys"),
            ]
        )
    }

    static func guardOfficer(_ id: String, post: String?, onDuty: Bool = true) throws -> StaffMember {
        try StaffMember(
            id: StaffID(id),
            name: PersonName(given: id.capitalized, family: "Guard"),
            serviceNumber: "GK-\(abs(id.hashValue % 10_000))",
            role: .guardOfficer,
            facility: FacilityID("fac-gknb-ward"),
            post: post.map { try GuardPostID($0) },
            isOnDuty: onDuty
        )
    }

    /// Three guards on duty, one per corridor and one in control, as on the night.
    static func guards() throws -> [StaffMember] {
        [
            try guardOfficer("nazarov", post: "post-corridor-b"),
            try guardOfficer("qodirov", post: "post-corridor-a"),
            try guardOfficer("hakimov", post: "post-control-b"),
            try guardOfficer("rahimov", post: nil, onDuty: false),
        ]
    }
}

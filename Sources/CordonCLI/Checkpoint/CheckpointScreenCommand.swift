import ArgumentParser
import CordonCheckpoint
import CordonCore
import CordonDocuments
import CordonMatch
import CordonScreening
import Foundation

/// `cordon checkpoint screen`: screens against the checkpoint's own copy of the list, with no server.
struct CheckpointScreenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Screen a name or a plate against the checkpoint's own copy of the list, with no server needed.",
        discussion: """
            Says first how old the list is (the version, when a sync last confirmed it current, and how long \
            ago). Each alert on a wanted person is queued as a report and uploaded, once, by the next \
            `cordon checkpoint sync`.
            """
    )

    @Option(help: "The folder of the checkpoint's copy.")
    var store: String

    @Argument(help: "The name to screen, as written.")
    var name: String?

    @Option(help: "A vehicle plate to screen instead of a name (any script, spaces and region or not).")
    var plate: String?

    @Option(help: "The country that issued the plate (TJ, UZ, AF, RU), when known.")
    var plateCountry: String?

    @Option(
        parsing: .upToNextOption,
        help: "Screen a travel document instead: its machine-readable zone's 2 or 3 lines."
    )
    var mrz: [String] = []

    @Option(name: [.customLong("born"), .customLong("birth-date")], help: "Birth date: 1973, 1973-04 or 1973-04-12.")
    var born: String?

    @Option(help: "Nationality, ISO 3166-1 alpha-2 (TJ).")
    var nationality: String?

    @Option(help: "Sex: male or female.")
    var sex: String?

    @Option(help: "Travel or identity document number.")
    var document: String?

    @Option(help: "The most hits.")
    var limit: Int = 5

    @Option(
        help:
            "Screen many names with one load of the copy: JSON lines {\"id\", \"name\", \"birth_date\", \"nationality\"}, or - for standard input."
    )
    var batch: String?

    @Flag(help: "Do not queue alerts as reports.")
    var noReport = false

    @Flag(help: "Print hits as JSON.")
    var json = false

    func validate() throws {
        let given = (name == nil ? 0 : 1) + (plate == nil ? 0 : 1) + (mrz.isEmpty ? 0 : 1) + (batch == nil ? 0 : 1)
        if given != 1 {
            throw ValidationError("Give one of NAME, --plate PLATE, --mrz LINE1 LINE2 [LINE3] or --batch FILE.")
        }
        if !mrz.isEmpty && !(2...3).contains(mrz.count) {
            throw ValidationError("--mrz takes the zone's 2 or 3 lines.")
        }
        if let plate {
            do {
                _ = try PlateReading(plate)
            } catch let failure as ValidationFailure {
                throw ValidationError("--plate \"\(plate)\": \(failure.description).")
            }
        }
        if let plateCountry, (try? CountryCode(plateCountry)) == nil {
            throw ValidationError("--plate-country must be a two-letter country code, not \"\(plateCountry)\".")
        }
        if let born, ScreeningDate(iso: born) == nil {
            throw ValidationError("--born must be YYYY, YYYY-MM or YYYY-MM-DD, not \"\(born)\".")
        }
        if let nationality, nationality.count != 2 {
            throw ValidationError("--nationality must be a two-letter country code, not \"\(nationality)\".")
        }
        if let sex, WatchlistEntry.Gender(rawValue: sex.lowercased()) == nil {
            throw ValidationError("--sex must be male or female.")
        }
        if !(1...100).contains(limit) { throw ValidationError("--limit must be from 1 to 100.") }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: store + "/checkpoint.sqlite") else {
            printError("no checkpoint copy in \(store): run `cordon checkpoint sync` first")
            throw ExitCode(2)
        }
        let copy = try CheckpointStore(folder: store)
        let list: OfflineList
        do {
            list = try OfflineList(store: copy)
        } catch let empty as OfflineList.Empty {
            printError(empty.description)
            throw ExitCode(2)
        }
        let now = Date()
        if let plate {
            try screenPlate(plate, copy: copy, list: list, now: now)
            return
        }
        if let batch {
            try screenBatch(batch, copy: copy, list: list)
            return
        }
        var name = name ?? ""
        var query = ScreeningQuery(
            name: name,
            birthDate: born.flatMap(ScreeningDate.init(iso:)),
            nationality: nationality,
            gender: sex.flatMap { WatchlistEntry.Gender(rawValue: $0.lowercased()) },
            documentNumber: document
        )
        var checked: MRZDocument?
        if !mrz.isEmpty {
            do {
                let read = try DocumentScreening.read(mrz, now: now, timeZone: TimeZone.current)
                checked = read
                query = DocumentScreening.query(for: read)
                name = read.fullName
            } catch let failure as ValidationFailure {
                printError(failure.issues.map { "mrz\($0.path): \($0.message)" }.joined(separator: "; "))
                throw ExitCode(2)
            }
        }
        let hits: [ScreeningHit]
        do {
            hits = try list.index.screen(query, limit: limit)
        } catch let error as ScreeningError {
            printError(error.description)
            throw ExitCode(1)
        }
        let queued = try queueAlerts(hits, query: name, list: list, copy: copy, now: now)
        let age = list.age(now: now, zone: TimeZone.current)
        if json {
            let body = ScreenCommand.json(hits: hits, index: list.index)
            let document = checked.map { ", \"document\": \(MRZOptions.encoded(DocumentReport($0)))" } ?? ""
            print("{\"list\": \(ScreenCommand.quote(age)), \"queued\": \(queued)\(document), \"hits\": \(body)}")
        } else {
            print(age)
            if let checked {
                print(MRZOptions.text(checked))
                print("")
            }
            print(ScreenCommand.text(hits: hits, index: list.index))
            if queued > 0 {
                print("\(queued) alert\(queued == 1 ? "" : "s") queued for headquarters (sent by the next sync)")
            }
        }
        // A zone that fails its checks is screened by what it says, and the command says so by its status.
        if let checked, !checked.isValid { throw ExitCode(1) }
    }

    func screenPlate(_ plate: String, copy: CheckpointStore, list: OfflineList, now: Date) throws {
        let reading = try PlateReading(plate, country: try plateCountry.map { try CountryCode($0) })
        let vehicles = try copy.vehicles()
        let index = PlateIndex(
            vehicles.compactMap { vehicle in
                (try? PlateReading(vehicle.plate.text, country: vehicle.country)).map {
                    (id: vehicle.id.rawValue, plate: $0)
                }
            },
            threshold: PlateMatcher.defaultThreshold
        )
        let byID = Dictionary(vehicles.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })
        let hits = index.search(reading, limit: limit)
        var queued = 0
        if !noReport {
            for hit in hits where hit.isAlert {
                try copy.enqueue(
                    CheckpointReport(
                        kind: .hit,
                        observedAt: now,
                        vehicle: hit.id,
                        score: hit.match.score,
                        query: plate,
                        listVersion: list.status.listVersion
                    )
                )
                queued += 1
            }
        }
        let age = list.age(now: now, zone: TimeZone.current)
        if json {
            let body = ScreenCommand.plateJSON(hits: hits, reading: reading, vehicles: byID)
            print("{\"list\": \(ScreenCommand.quote(age)), \"queued\": \(queued), \"hits\": \(body)}")
        } else {
            print(age)
            print(ScreenCommand.plateText(hits: hits, vehicles: byID, threshold: index.threshold))
            if queued > 0 {
                print("\(queued) alert\(queued == 1 ? "" : "s") queued for headquarters (sent by the next sync)")
            }
        }
    }

    /// One JSON line per query: `{"query_id", "list", "queued", "results": [{"id", "name", "score", "alert"}]}`.
    func screenBatch(_ path: String, copy: CheckpointStore, list: OfflineList) throws {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let read = FileManager.default.contents(atPath: path) else {
                printError("cannot read \(path)")
                throw ExitCode(2)
            }
            data = read
        }
        let (items, issues) = ScreeningQueryReader.parse(data)
        for issue in issues { printError("\(path): \(issue)") }
        for item in items {
            let now = Date()
            let hits = (try? list.index.screen(item.query, limit: limit)) ?? []
            let queued = try queueAlerts(hits, query: item.query.name, list: list, copy: copy, now: now)
            let results = hits.map { hit in
                "{\"id\": \(ScreenCommand.quote(hit.entryID)), \"name\": \(ScreenCommand.quote(list.index.entry(id: hit.entryID)?.name ?? "")), \"score\": \(hit.score), \"alert\": \(hit.isAlert)}"
            }
            let age = list.age(now: now, zone: TimeZone.current)
            print(
                "{\"query_id\": \(ScreenCommand.quote(item.id)), \"list\": \(ScreenCommand.quote(age)), \"queued\": \(queued), \"results\": [\(results.joined(separator: ", "))]}"
            )
        }
        if !issues.isEmpty && items.isEmpty { throw ExitCode(2) }
    }

    /// Queues each alert on a wanted person as a report for headquarters; returns how many.
    func queueAlerts(
        _ hits: [ScreeningHit],
        query: String,
        list: OfflineList,
        copy: CheckpointStore,
        now: Date
    ) throws -> Int {
        guard !noReport else { return 0 }
        var queued = 0
        for hit in hits where hit.isAlert && list.index.entry(id: hit.entryID)?.kind == .person {
            try copy.enqueue(
                CheckpointReport(
                    kind: .hit,
                    observedAt: now,
                    person: hit.entryID,
                    score: hit.score,
                    query: String(query.prefix(300)),
                    listVersion: list.status.listVersion
                )
            )
            queued += 1
        }
        return queued
    }
}

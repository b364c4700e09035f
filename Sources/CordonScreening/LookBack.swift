public import CordonCore
public import CordonDocuments
public import CordonMatch
public import Foundation

/// Looking back: past checkpoint queries screened again against the entries that are new on the list or
/// changed, to find the ones that would alert now.
///
/// Only the new entries are indexed (a small ``ScreeningIndex`` and ``PlateIndex`` of them alone), so a
/// look back costs in proportion to the new entries and the queries of the window, never to the whole
/// list. A query that alerted on an entry when it was screened is no lead for that entry: it was seen
/// then. Pure: the caller reads the list and the audit log and stores what it finds.
public struct LookBack: Sendable {
    /// A past query that would alert now, and on what.
    public struct Finding: Sendable {
        public let query: PastQuery
        /// The person's or vehicle's id.
        public let entry: String
        public let isVehicle: Bool
        /// The entry's name on the list, or the listed plate.
        public let listed: String
        public let score: Double
        /// The hit's explanation as screening answers it.
        public let explanation: JSONValue
        public let summary: String
    }

    /// Scores this much under the threshold in the small index are checked against the whole index: a
    /// name's parts weigh by their rarity, and every part is rare in an index of a few entries.
    public static let margin = 0.05

    private let persons: ScreeningIndex
    private let plates: PlateIndex<String>
    private let vehicles: [String: Vehicle]

    /// Prepares a look back over new and changed entries.
    ///
    /// - Parameters:
    ///   - persons: the wanted persons' entries that are new or changed.
    ///   - vehicles: the vehicles of interest that are new or changed.
    ///   - threshold: the server's alert threshold for names.
    ///   - listThresholds: the thresholds of named lists: an entry on one alerts at its list's.
    public init(
        persons: [WatchlistEntry],
        vehicles: [Vehicle],
        threshold: Double,
        listThresholds: [String: Double] = [:]
    ) {
        var options = ScreeningIndex.Options()
        options.threshold = threshold
        options.listThresholds = listThresholds
        self.persons = ScreeningIndex(entries: persons.filter { $0.kind == .person }, options: options)
        self.plates = PlateIndex(vehicles.compactMap(ScreeningService.plateEntry))
        self.vehicles = Dictionary(vehicles.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })

    }

    /// Whether there is nothing new to look for.
    public var isEmpty: Bool { persons.count == 0 && plates.count == 0 }

    /// The entries that are new or differ from what was looked back for before.
    ///
    /// - Parameters:
    ///   - current: the entries now.
    ///   - previous: the entries as last looked back for, by id.
    public static func changed<Entry: Equatable>(
        _ current: [(id: String, entry: Entry)],
        since previous: [String: Entry]
    ) -> [Entry] {
        current.filter { previous[$0.id] != $0.entry }.map(\.entry)
    }

    /// What one past query would alert on now, among the new entries.
    ///
    /// - Parameters:
    ///   - query: the past query.
    ///   - confirm: screens a name query against the whole list now and answers its hit on one entry,
    ///     so that the score is the one a checkpoint would get; nil to keep the small index's score.
    /// - Returns: the findings, best first; entries that alerted for the query when it was made are left out.
    public func screen(
        _ query: PastQuery,
        confirm: ((ScreeningQuery, String) -> (hit: ScreeningHit, entry: WatchlistEntry)?)? = nil
    ) -> [Finding] {
        switch query.subject {
        case .person(let screening):
            guard persons.count > 0, let hits = try? persons.screen(screening, limit: 10) else { return [] }
            return hits.compactMap { hit -> Finding? in
                guard !query.alerted.contains(hit.entryID), hit.score >= hit.threshold - Self.margin,
                    var entry = persons.entry(id: hit.entryID)
                else { return nil }
                var hit = hit
                if let confirm {
                    guard let confirmed = confirm(screening, hit.entryID) else { return nil }
                    (hit, entry) = confirmed
                }
                guard hit.score >= hit.threshold else { return nil }
                let report = HitReport(hit, entry: entry, threshold: hit.threshold)
                return Finding(
                    query: query,
                    entry: entry.id,
                    isVehicle: false,
                    listed: entry.name,
                    score: report.score,
                    explanation: Self.json(report.explanation),
                    summary: report.explanation.summary
                )
            }
        case .plate(let written, let country):
            guard plates.count > 0, let reading = try? PlateReading(written, country: country) else { return [] }
            return plates.search(reading, limit: 10).compactMap { hit -> Finding? in
                guard hit.isAlert, !query.alerted.contains(hit.id), let vehicle = vehicles[hit.id] else { return nil }
                let report = VehicleHit(hit, vehicle: vehicle, query: reading)
                return Finding(
                    query: query,
                    entry: vehicle.id.rawValue,
                    isVehicle: true,
                    listed: vehicle.plate.text,
                    score: report.score,
                    explanation: Self.json(report.explanation),
                    summary: report.explanation.summary
                )
            }
        }
    }

    /// The lead a finding makes.
    ///
    /// - Parameters:
    ///   - checkpoint: the checkpoint that made the query, when known.
    ///   - foundAt: when the look back ran.
    ///   - listVersion: the list version it ran for.
    public static func lead(
        _ finding: Finding,
        checkpoint: CheckpointID?,
        foundAt: Date,
        listVersion: Int64
    ) -> Lead {
        let query = finding.query
        return Lead(
            id: Lead.makeID(entry: finding.entry, auditSequence: query.auditSequence, index: query.index),
            foundAt: foundAt,
            listVersion: listVersion,
            person: finding.isVehicle ? nil : PersonID(rawValue: finding.entry),
            vehicle: finding.isVehicle ? VehicleID(rawValue: finding.entry) : nil,
            listed: finding.listed,
            score: finding.score,
            explanation: finding.explanation,
            summary: finding.summary,
            query: Lead.Query(
                kind: query.kind,
                text: query.text,
                document: query.document,
                at: query.at,
                account: query.account,
                checkpoint: query.checkpoint ?? checkpoint,
                auditSequence: query.auditSequence,
                index: query.index,
                report: query.report
            )
        )
    }

    /// An explanation as the JSON screening answers it with.
    static func json(_ value: some Encodable) -> JSONValue {
        guard let data = try? JSONEncoder.cordon().encode(value),
            let json = try? JSONDecoder().decode(JSONValue.self, from: data)
        else { return .null }
        return json
    }
}

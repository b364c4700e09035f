import CordonDocuments
import Testing

@Suite struct PlateIndexTests {
    @Test func findsExactAndOneEditCandidatesAndFollowsUpdates() throws {
        var index = PlateIndex<String>()
        index.upsert(id: "vaz", plate: try PlateReading("4519 АА 01"))
        index.upsert(id: "opel", plate: try PlateReading("2287 ТА 01"))
        #expect(index.search(try PlateReading("4519 AA")).map(\.id) == ["vaz"])
        #expect(index.search(try PlateReading("2287 TA 0I")).first?.isAlert == true)
        index.upsert(id: "vaz", plate: try PlateReading("9999 XX 02"))
        #expect(index.search(try PlateReading("4519 AA")).isEmpty)
        #expect(index.search(try PlateReading("9999 XX")).map(\.id) == ["vaz"])
        let removed = index.remove(id: "vaz")
        let removedAgain = index.remove(id: "vaz")
        #expect(removed)
        #expect(!removedAgain)
        #expect(index.search(try PlateReading("9999 XX")).isEmpty)
        #expect(index.count == 1)
    }

    @Test func agreesWithABruteForceScanOnManySyntheticPlates() throws {
        var random = SplitMix64(seed: 2010)
        var plates: [(id: Int, plate: PlateReading)] = []
        plates.reserveCapacity(100_000)
        for id in 0..<100_000 {
            plates.append((id, try PlateReading(SyntheticPlates.plate(&random))))
        }
        var index = PlateIndex(plates)
        // Removing and re-adding some keeps the index in step.
        for id in stride(from: 0, to: 100_000, by: 97) { index.remove(id: id) }
        for id in stride(from: 0, to: 100_000, by: 194) { index.upsert(id: id, plate: plates[id].plate) }
        let live = plates.filter { $0.id % 97 != 0 || $0.id % 194 == 0 }
        #expect(index.count == live.count)

        var queries: [PlateReading] = []
        for _ in 0..<100 {
            let listed = plates[Int(random.next() % UInt64(plates.count))].plate
            queries.append(try PlateReading(SyntheticPlates.misread(listed.written, &random)))
        }
        for _ in 0..<20 { queries.append(try PlateReading(SyntheticPlates.plate(&random))) }
        var found = 0
        for query in queries {
            let fromIndex = index.search(query, limit: .max)
            let expected = live.compactMap { entry in
                PlateMatcher.match(query, entry.plate).map { (entry.id, $0) }
            }
            #expect(Set(fromIndex.map(\.id)) == Set(expected.map(\.0)), "query \(query.written)")
            let scores = Dictionary(uniqueKeysWithValues: expected.map { ($0.0, $0.1.score) })
            for hit in fromIndex { #expect(scores[hit.id] == hit.match.score) }
            #expect(zip(fromIndex, fromIndex.dropFirst()).allSatisfy { $0.match.score >= $1.match.score })
            found += fromIndex.count
        }
        #expect(found >= 100)
    }
}

/// Random plates of the recognised formats, and readings of them with one mistake.
enum SyntheticPlates {
    static let letters = Array("ABEKMHOPCTXY")
    static let digits = Array("0123456789")

    static func plate(_ random: inout SplitMix64) -> String {
        func pick(_ set: [Character], _ n: Int) -> String {
            String((0..<n).map { _ in set[Int(random.next() % UInt64(set.count))] })
        }
        switch random.next() % 5 {
        case 0: return "\(pick(digits, 4)) \(pick(letters, 2)) 0\(pick(digits, 1))"
        case 1: return "\(pick(letters, 1))\(pick(digits, 3))\(pick(letters, 2)) \(pick(digits, 2))"
        case 2: return "\(pick(digits, 2)) \(pick(letters, 1)) \(pick(digits, 3)) \(pick(letters, 2))"
        case 3: return "\(pick(digits, 2)) \(pick(digits, 3)) \(pick(letters, 3))"
        default: return "KBL \(pick(digits, 5))"
        }
    }

    /// The plate with a region dropped, a look-alike, a misread, a swap, or a dropped character.
    static func misread(_ written: String, _ random: inout SplitMix64) -> String {
        var scalars = Array(written.unicodeScalars.filter { $0 != " " })
        let i = Int(random.next() % UInt64(scalars.count))
        switch random.next() % 5 {
        case 0: scalars[i] = ["0", "O", "8", "B", "1", "I", "5", "S"][Int(random.next() % 8)]
        case 1 where i + 1 < scalars.count: scalars.swapAt(i, i + 1)
        case 2 where scalars.count > 3: scalars.remove(at: i)
        case 3: scalars = Array(written.unicodeScalars.map { $0 == "A" ? "А" : $0 })
        default:
            let shorter = written.split(separator: " ").dropLast().joined(separator: " ")
            return shorter.contains(where: \.isNumber) ? shorter : written
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

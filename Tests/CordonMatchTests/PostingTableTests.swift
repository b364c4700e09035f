import Testing

@testable import CordonMatch

struct PostingTableTests {
    /// Enough entries that a bulk build fills its shards on several threads.
    static let entries: [WatchlistEntry] = {
        let given = ["Rustam", "Farrukh", "Jamshed", "Dilshod", "Umed", "Anvar", "Komil", "Nodir", "Olim", "Zafar"]
        let roots = ["Shar", "Naz", "Rah", "Kar", "Yus", "Hak", "Sod", "Qod", "Nab", "Ras", "Mir", "Saf", "Dav"]
        let endings = ["ipov", "arov", "imov", "imzoda", "upov", "imov", "iqov", "irov", "iev", "ulov"]
        var entries: [WatchlistEntry] = []
        for i in 0..<5_000 {
            let surname = roots[i % roots.count] + endings[(i / roots.count) % endings.count] + "\(i / 130)"
            let name = "\(given[(i / 7) % given.count]) \(surname)"
            entries.append(WatchlistEntry(id: "e\(i)", name: name, aliases: i % 3 == 0 ? ["\(surname) Ali"] : []))
        }
        return entries
    }()

    static let queries = [
        "Rustam Sharipov0", "Sharipov3 Farrukh", "Jamshed Nazarov1", "Dilshdo Rahimov5", "Ali Kariev12",
    ]

    func hits(_ index: ScreeningIndex) throws -> [[String]] {
        try Self.queries.map { query in
            try index.screen(ScreeningQuery(name: query), limit: 10).map { "\($0.entryID) \($0.score)" }
        }
    }

    @Test("An index built in bulk and one grown entry by entry give the same hits")
    func bulkAndIncrementalAgree() throws {
        let bulk = ScreeningIndex(entries: Self.entries)
        var grown = ScreeningIndex(entries: Self.entries.prefix(2_500))
        for entry in Self.entries.dropFirst(2_500) { grown.upsert(entry) }
        var oneByOne = ScreeningIndex()
        for entry in Self.entries { oneByOne.upsert(entry) }
        let expected = try hits(bulk)
        #expect(expected.allSatisfy { !$0.isEmpty })
        #expect(try hits(grown) == expected)
        #expect(try hits(oneByOne) == expected)
    }

    @Test("A key's postings come from the build and from later additions, in slot order")
    func postingsJoinBuiltAndAdded() {
        let index = ScreeningIndex(entries: Self.entries)
        var table = index.postings
        let key = IndexKeys.hash(tag: IndexKeys.phonetic, "rustam")
        let built = Array(table.postings(key) ?? [])
        #expect(!built.isEmpty && built == built.sorted())
        table.add(Int32(Self.entries.count), keys: [key])
        #expect(Array(table.postings(key) ?? []) == built + [Int32(Self.entries.count)])
        #expect(table.postings(12_345) == nil)
    }
}

import CordonMatch
import Foundation
import Testing

@testable import CordonCheckpoint

struct CheckpointStoreTests {
    let entries = (0..<50).map { i in
        WatchlistEntry(id: "p\(i)", name: "Name\(i) Surname\(i)ov", aliases: ["Имя\(i)"], nationalities: ["TJ"])
    }

    func bodies() throws -> [Data] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try entries.map { try encoder.encode($0) }
    }

    @Test("The copy's entries decode the same in one array or several side by side", arguments: [1, 2, 3, 7, 80])
    func decodesInChunks(chunks: Int) throws {
        #expect(try CheckpointStore.decodeEntries(try bodies(), chunks: chunks) == entries)
        #expect(try CheckpointStore.decodeEntries([], chunks: chunks).isEmpty)
    }

    @Test("A body that does not decode fails the whole read")
    func aBadBodyFails() throws {
        var bodies = try bodies()
        bodies[40] = Data("{\"id\": 1}".utf8)
        #expect(throws: (any Error).self) { try CheckpointStore.decodeEntries(bodies, chunks: 3) }
    }
}

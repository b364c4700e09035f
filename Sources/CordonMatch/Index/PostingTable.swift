import Foundation

/// The posting lists of an index: for each key, the slots of the entries that have it, ascending.
///
/// Built in bulk, the lists of a shard lie end to end in one array and a dictionary gives each key its
/// range, so a list of a million entries costs four bytes a posting plus one dictionary bucket a key
/// rather than one small array a key. Entries added after the build go to a small dictionary of their
/// own until the next build. Keys are sharded by their low bits so that a build fills the shards in
/// parallel.
struct PostingTable: Sendable {
    static let shardCount = 4

    /// Per shard: key → `end << 32 | count` of its list in that shard's ``slots``.
    private var ranges: [[UInt64: UInt64]] = Array(repeating: [:], count: shardCount)
    private var slots: [[Int32]] = Array(repeating: [], count: shardCount)
    /// Postings added since the build.
    private var added: [UInt64: [Int32]] = [:]

    init() {}

    /// Builds the table from every slot's keys.
    ///
    /// - Parameters:
    ///   - keys: the keys of each slot, ascending by slot; an empty slot has none.
    ///   - parallel: whether to fill the shards on all cores.
    init(keys: SlotKeys, parallel: Bool) {
        let shards = ParallelResults<([UInt64: UInt64], [Int32])>(count: Self.shardCount)
        let fill: @Sendable (Int) -> Void = { shard in
            let mask = UInt64(Self.shardCount - 1)
            // Count each key's postings, give each key a range, then fill the ranges in slot order.
            var ranges: [UInt64: UInt64] = [:]
            var total = 0
            for slot in 0..<keys.count {
                for key in keys[slot] where Int(key & mask) == shard {
                    ranges[key, default: 0] += 1
                    total += 1
                }
            }
            var end: UInt64 = 0
            for i in ranges.indices {
                let count = ranges.values[i]
                ranges.values[i] = end << 32 | count
                end += count
            }
            // While filling, a key's value holds where its next posting goes; once full, its end.
            var slots = [Int32](repeating: 0, count: total)
            for slot in 0..<keys.count {
                for key in keys[slot] where Int(key & mask) == shard {
                    let i = ranges.index(forKey: key)!
                    let value = ranges.values[i]
                    slots[Int(value >> 32)] = Int32(slot)
                    ranges.values[i] = value &+ (1 << 32)
                }
            }
            shards.store((ranges, slots), at: shard)
        }
        if parallel {
            DispatchQueue.concurrentPerform(iterations: Self.shardCount, execute: fill)
        } else {
            for shard in 0..<Self.shardCount { fill(shard) }
        }
        let values = shards.values.map { $0! }
        ranges = values.map(\.0)
        slots = values.map(\.1)
    }

    /// The slots of the entries with `key`, ascending; nil when none has it.
    func postings(_ key: UInt64) -> ArraySlice<Int32>? {
        let shard = Int(key & UInt64(Self.shardCount - 1))
        let more = added.isEmpty ? nil : added[key]
        guard let value = ranges[shard][key] else { return more.map { $0[...] } }
        let end = Int(value >> 32)
        let built = slots[shard][(end - Int(value & 0xFFFF_FFFF))..<end]
        guard let more else { return built }
        return (Array(built) + more)[...]
    }

    /// Adds the postings of a slot newer than every slot in the table.
    mutating func add(_ slot: Int32, keys: [UInt64]) {
        for key in keys { added[key, default: []].append(slot) }
    }
}

/// The posting keys of every slot of an index under construction, held in one flat array per worker
/// so that these short-lived keys neither interleave with the entries on the heap nor cost an array
/// each.
struct SlotKeys: Sendable {
    private let workers: Int
    /// Per worker: the keys of its slots (slot `i` belongs to worker `i % workers`), end to end.
    private let keys: [[UInt64]]
    /// Per worker: where the keys of each of its slots end in its array.
    private let ends: [[Int]]
    /// How many slots.
    let count: Int

    /// Computes the keys of `slots` (nil for an empty slot) on `workers` threads.
    init(_ slots: [PreparedEntry?], normalizer: NameNormalizer, workers: Int) {
        let workers = max(1, workers)
        let results = ParallelResults<([UInt64], [Int])>(count: workers)
        let work: @Sendable (Int) -> Void = { worker in
            var keys: [UInt64] = []
            var ends: [Int] = []
            ends.reserveCapacity(slots.count / workers + 1)
            var i = worker
            while i < slots.count {
                if let entry = slots[i] { keys += entry.postingKeys(normalizer: normalizer) }
                ends.append(keys.count)
                i += workers
            }
            results.store((keys, ends), at: worker)
        }
        if workers > 1 {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        } else {
            work(0)
        }
        let values = results.values.map { $0! }
        self.workers = workers
        keys = values.map(\.0)
        ends = values.map(\.1)
        count = slots.count
    }

    /// The keys of one slot.
    subscript(slot: Int) -> ArraySlice<UInt64> {
        let worker = slot % workers
        let j = slot / workers
        let start = j == 0 ? 0 : ends[worker][j - 1]
        return keys[worker][start..<ends[worker][j]]
    }
}

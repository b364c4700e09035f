/// The votes of the entries one query's lookups touch, kept in a table sized by the postings read
/// rather than by the list: a query on a list of a million entries reads a few thousand postings, and
/// zeroing per-slot arrays of the whole list would cost more than the votes themselves.
///
/// Each lookup belongs to a group (a query part, a joined pair, the acronym); an entry gets the best
/// vote of each group, and its votes are the sum over groups. Lookups must arrive grouped: all of one
/// group before the next.
struct VoteTally {
    struct Entry {
        var slot: Int32
        var group: UInt8
        var votes: Float
        var groupVote: Float
    }

    /// The entries touched, in the order first touched; only the first ``count`` are in use.
    private(set) var entries: [Entry]
    /// How many entries have been touched.
    private(set) var count = 0
    /// Open addressing: an entry's position in ``entries`` plus one, or 0 for an empty bucket.
    private var table: [Int32]
    private let mask: Int

    /// Creates an empty tally for at most `postings` additions.
    init(postings: Int) {
        var size = 64
        while size < postings * 2 { size <<= 1 }
        table = [Int32](repeating: 0, count: size)
        entries = [Entry](repeating: Entry(slot: 0, group: 0, votes: 0, groupVote: 0), count: postings)
        mask = size - 1
    }

    /// Counts the postings of one lookup: each slot in `list` gets `weight` from `group`.
    mutating func add(_ list: ArraySlice<Int32>, weight: Float, group: UInt8) {
        let mask = self.mask
        var count = self.count
        table.withUnsafeMutableBufferPointer { table in
            entries.withUnsafeMutableBufferPointer { entries in
                for slot in list {
                    var bucket = Int(truncatingIfNeeded: UInt32(bitPattern: slot) &* 0x9E37_79B1) & mask
                    while true {
                        let position = Int(table[bucket])
                        if position == 0 {
                            table[bucket] = Int32(count + 1)
                            entries[count] = Entry(slot: slot, group: group, votes: weight, groupVote: weight)
                            count += 1
                            break
                        }
                        if entries[position - 1].slot == slot {
                            let i = position - 1
                            if entries[i].group != group {
                                entries[i].group = group
                                entries[i].groupVote = weight
                                entries[i].votes += weight
                            } else if weight > entries[i].groupVote {
                                entries[i].votes += weight - entries[i].groupVote
                                entries[i].groupVote = weight
                            }
                            break
                        }
                        bucket = (bucket + 1) & mask
                    }
                }
            }
        }
        self.count = count
    }
}

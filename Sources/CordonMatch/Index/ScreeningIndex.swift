import Foundation

/// An in-memory screening index over a watchlist.
///
/// Entries are normalised once when added; each name part is indexed under its phonetic key, its
/// consonant skeleton and the skeleton with one consonant deleted (so a typo still finds it), and
/// adjacent parts also under their joined key. A query looks up its own keys, ranks the entries
/// that share them by rarity-weighted votes and scores only the best few candidates in full — it
/// never scans the list.
///
/// Entries can be added, changed and removed without rebuilding: a removed entry leaves stale
/// postings that queries skip, and the postings are compacted once stale ones dominate.
///
/// ``ScreeningIndex`` is a value type; share it between tasks freely and mutate a copy to update.
public struct ScreeningIndex: Sendable {
    /// The alert threshold: a hit whose score reaches it is an alert. See `docs/MATCHING.md`.
    public static let defaultThreshold = 0.95

    /// Tuning knobs with sensible defaults.
    public struct Options: Sendable, Hashable {
        /// The alert threshold of an entry whose list has no threshold of its own.
        public var threshold: Double
        /// Alert thresholds by list name (``WatchlistEntry/list``): a list of tonight's fugitives may alert
        /// lower than a general sanctions list. A list not named here alerts at ``threshold``.
        public var listThresholds: [String: Double]
        /// How many candidates from the index are scored in full per query.
        public var candidateLimit: Int
        /// Posting lists longer than this are skipped when a query has rarer keys.
        public var maximumPostings: Int
        /// Candidates with fewer votes than this share of the best candidate's are not scored.
        public var minimumVoteShare: Double

        /// Creates options.
        public init(
            threshold: Double = ScreeningIndex.defaultThreshold,
            candidateLimit: Int = 64,
            maximumPostings: Int = 4000,
            minimumVoteShare: Double = 0.25,
            listThresholds: [String: Double] = [:]
        ) {
            self.threshold = threshold
            self.candidateLimit = candidateLimit
            self.maximumPostings = maximumPostings
            self.minimumVoteShare = minimumVoteShare
            self.listThresholds = listThresholds
        }

        /// The alert threshold of an entry on the named list: the list's own, or ``threshold``.
        ///
        /// - Parameter list: the entry's list name; `nil` for an entry on no named list.
        public func threshold(forList list: String?) -> Double {
            list.flatMap { listThresholds[$0] } ?? threshold
        }
    }

    /// The options in use.
    public var options: Options
    let normalizer = NameNormalizer()
    var slots: [PreparedEntry?] = []
    var slotByID: [String: Int32] = [:]
    var postings = PostingTable()
    var frequencies: [UInt64: Int32] = [:]
    var staleSlots = 0

    /// Creates an index over the given entries.
    ///
    /// - Parameters:
    ///   - entries: the watchlist; a later entry with an id already seen replaces the earlier one.
    ///   - options: threshold and tuning.
    public init(entries: some Sequence<WatchlistEntry> = [], options: Options = Options()) {
        self.options = options
        let all = Array(entries)
        // Normalising is pure and dominates the build: prepare entries on all cores, then fill the
        // posting shards on all cores.
        build(from: Self.prepare(all, normalizer: normalizer))
    }

    static func workers(for count: Int) -> Int {
        min(ProcessInfo.processInfo.activeProcessorCount, max(1, count / 2_000))
    }

    static func prepare(_ entries: [WatchlistEntry], normalizer: NameNormalizer) -> [PreparedEntry] {
        let workers = workers(for: entries.count)
        if workers <= 1 { return entries.map { PreparedEntry($0, normalizer: normalizer) } }
        let results = ParallelResults<PreparedEntry>(count: entries.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker
            while i < entries.count {
                results.store(PreparedEntry(entries[i], normalizer: normalizer), at: i)
                i += workers
            }
        }
        return results.values.map { $0! }
    }

    /// Replaces the contents with the prepared entries, in order (a later id replaces an earlier).
    mutating func build(from prepared: [PreparedEntry]) {
        var slots: [PreparedEntry?] = []
        slots.reserveCapacity(prepared.count)
        var slotByID: [String: Int32] = [:]
        slotByID.reserveCapacity(prepared.count)
        for entry in prepared {
            if let old = slotByID[entry.entry.id] { slots[Int(old)] = nil }
            slotByID[entry.entry.id] = Int32(slots.count)
            slots.append(entry)
        }
        var frequencies: [UInt64: Int32] = [:]
        frequencies.reserveCapacity(prepared.count * 2)
        for case let entry? in slots {
            for key in entry.frequencyKeys(normalizer: normalizer) { frequencies[key, default: 0] += 1 }
        }
        let workers = Self.workers(for: slots.count)
        let postings = PostingTable(
            keys: SlotKeys(slots, normalizer: normalizer, workers: workers),
            parallel: workers > 1
        )
        self.slots = slots
        self.slotByID = slotByID
        self.frequencies = frequencies
        self.postings = postings
        self.staleSlots = 0
    }

    /// Inserts a prepared entry, replacing an entry with the same id.
    mutating func insert(_ prepared: PreparedEntry) {
        if slotByID[prepared.entry.id] != nil { remove(id: prepared.entry.id) }
        let slot = Int32(slots.count)
        postings.add(slot, keys: prepared.postingKeys(normalizer: normalizer))
        for key in prepared.frequencyKeys(normalizer: normalizer) { frequencies[key, default: 0] += 1 }
        slots.append(prepared)
        slotByID[prepared.entry.id] = slot
    }

    /// The number of entries in the index.
    public var count: Int { slotByID.count }

    /// The entry with the given id, if present.
    public func entry(id: String) -> WatchlistEntry? {
        guard let slot = slotByID[id] else { return nil }
        return slots[Int(slot)]?.entry
    }

    /// Adds an entry, or replaces the entry with the same id.
    ///
    /// - Parameter entry: the entry to add or change.
    public mutating func upsert(_ entry: WatchlistEntry) {
        insert(PreparedEntry(entry, normalizer: normalizer))
    }

    /// Removes the entry with the given id.
    ///
    /// - Parameter id: the entry's id.
    /// - Returns: whether an entry was removed.
    @discardableResult
    public mutating func remove(id: String) -> Bool {
        guard let slot = slotByID.removeValue(forKey: id), let prepared = slots[Int(slot)] else { return false }
        for key in prepared.frequencyKeys(normalizer: normalizer) {
            if let c = frequencies[key], c > 1 { frequencies[key] = c - 1 } else { frequencies[key] = nil }
        }
        slots[Int(slot)] = nil
        staleSlots += 1
        if staleSlots > 1000, staleSlots > slotByID.count { compact() }
        return true
    }

    /// Rebuilds the postings without the removed entries.
    mutating func compact() {
        build(from: slots.compactMap { $0 })
    }

    // MARK: - Screening

    /// Screens a query against the index.
    ///
    /// - Parameters:
    ///   - query: the name and whatever else is known.
    ///   - limit: the most hits returned.
    /// - Returns: hits, best first, each with its score, alert flag and explanation.
    /// - Throws: ``ScreeningError/emptyName`` when the name has nothing to match on.
    public func screen(_ query: ScreeningQuery, limit: Int = 10) throws -> [ScreeningHit] {
        let parts = normalizer.parts(of: query.name)
        if parts.isEmpty { throw ScreeningError.emptyName }
        let isAcronymQuery = Self.isAcronymQuery(query.name, parts: parts)
        let candidates = self.candidates(for: parts, acronym: isAcronymQuery)
        let scorer = NameScorer(index: self, parts: parts)
        var scored: [(slot: Int32, result: NameScorer.EntryResult)] = []
        scored.reserveCapacity(candidates.count)
        for slot in candidates {
            guard let prepared = slots[Int(slot)] else { continue }
            if let kind = query.kind, kind != prepared.entry.kind { continue }
            let result = scorer.score(query: query, acronymQuery: isAcronymQuery, entry: prepared)
            if result.score > 0 { scored.append((slot, result)) }
        }
        scored.sort { $0.result.score > $1.result.score || ($0.result.score == $1.result.score && $0.slot < $1.slot) }
        return scored.prefix(max(0, limit)).map { item in
            let prepared = slots[Int(item.slot)]!
            let score = (item.result.score * 10_000).rounded() / 10_000
            let threshold = options.threshold(forList: prepared.entry.list)
            return ScreeningHit(
                entryID: prepared.entry.id,
                score: score,
                isAlert: score >= threshold,
                threshold: threshold,
                explanation: scorer.explain(item.result, entry: prepared)
            )
        }
    }

    static func isAcronymQuery(_ name: String, parts: [NamePart]) -> Bool {
        guard parts.count == 1, (2...6).contains(parts[0].latin.utf8.count) else { return false }
        let letters = name.unicodeScalars.filter { $0.properties.isAlphabetic }
        return !letters.isEmpty && letters.allSatisfy { $0.properties.isUppercase } && parts[0].script == .latin
    }

    /// How many entries have a part with the same key.
    func frequency(of part: NamePart) -> Int {
        let exact = Int(frequencies[IndexKeys.frequencyKey(part)] ?? 0)
        guard !part.isVowelless, let k = IndexKeys.skeletonFrequencyKey(part) else { return exact }
        return max(exact, Int(frequencies[k] ?? 0) / 3)
    }

    /// Rarity weight of a part in [0.2, 1]: `0.2 + 0.8 · idf / idf_max`.
    func weight(of part: NamePart) -> Double {
        if part.isInitial { return 0.25 }
        if part.isTitle { return 0.08 }
        let df = Double(frequency(of: part))
        let n = Double(max(count, 2000))
        let idf = log((n + 1) / (df + 1)) / log(n + 1)
        return 0.2 + 0.8 * min(1, max(0, idf))
    }

    /// Candidate slots for the query parts, best votes first.
    func candidates(for parts: [NamePart], acronym: Bool) -> [Int32] {
        // Each lookup belongs to a group (a query part, a joined pair, the acronym); an entry gets
        // the best vote of each group, so one part hitting through several keys counts once.
        var lookups: [(weight: Double, list: ArraySlice<Int32>, group: UInt8)] = []
        func lookUp(_ key: UInt64, weight: Double, group: Int) {
            if let list = postings.postings(key) { lookups.append((weight, list, UInt8(group))) }
        }
        for (i, part) in parts.enumerated() where !part.isInitial {
            var keys = Set<UInt64>()
            do {
                let k = IndexKeys.hash(tag: IndexKeys.phonetic, part.key)
                keys.insert(k)
                lookUp(k, weight: 1.0, group: i)
            }
            let skeleton = Array(part.skeleton.utf8)
            if !skeleton.isEmpty {
                let k = IndexKeys.hash(tag: IndexKeys.skeleton, part.skeleton)
                keys.insert(k)
                lookUp(k, weight: 0.7, group: i)
                if skeleton.count >= 3 {
                    for d in 0..<skeleton.count {
                        let k = IndexKeys.hash(tag: IndexKeys.skeleton, bytes: skeleton, skipping: d)
                        if keys.insert(k).inserted { lookUp(k, weight: 0.4, group: i) }
                    }
                }
            }
            if i + 1 < parts.count, !parts[i + 1].isInitial {
                let joined = NameNormalizer.makePart(
                    text: part.text + parts[i + 1].text,
                    latin: part.latin + parts[i + 1].latin,
                    script: part.script
                )
                lookUp(IndexKeys.hash(tag: IndexKeys.phonetic, joined.key), weight: 1.5, group: 16 + i)
                lookUp(IndexKeys.hash(tag: IndexKeys.skeleton, joined.skeleton), weight: 1.0, group: 16 + i)
            }
        }
        if acronym { lookUp(IndexKeys.hash(tag: IndexKeys.acronym, parts[0].latin), weight: 2.0, group: 40) }
        if lookups.isEmpty { return [] }
        // Very long posting lists are skipped unless nothing rarer exists.
        lookups.sort { $0.list.count < $1.list.count }
        if lookups[0].list.count <= options.maximumPostings {
            lookups.removeAll { $0.list.count > options.maximumPostings }
        } else {
            lookups = [lookups[0]]
        }
        lookups.sort { $0.group < $1.group }
        let n = Double(max(slots.count, 1))
        var tally = VoteTally(postings: lookups.reduce(0) { $0 + $1.list.count })
        for lookup in lookups {
            tally.add(
                lookup.list,
                weight: Float(lookup.weight * log(n / Double(lookup.list.count) + 1)),
                group: lookup.group
            )
        }
        let limit = options.candidateLimit
        let touched = tally.entries.prefix(tally.count)
        if touched.count <= limit {
            let top = touched.reduce(Float(0)) { max($0, $1.votes) }
            let floor = top * Float(options.minimumVoteShare)
            return touched.filter { $0.votes >= floor }.map(\.slot)
        }
        // Top `limit` by votes, kept in a small sorted buffer.
        var best: [(Float, Int32)] = []
        best.reserveCapacity(limit + 1)
        for entry in touched {
            let (v, slot) = (entry.votes, entry.slot)
            if best.count == limit, v <= best[limit - 1].0 { continue }
            var lo = 0
            var hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if best[mid].0 >= v { lo = mid + 1 } else { hi = mid }
            }
            best.insert((v, slot), at: lo)
            if best.count > limit { best.removeLast() }
        }
        // Entries far behind the best on votes share only a common part or two: not worth scoring.
        let floor = best[0].0 * Float(options.minimumVoteShare)
        return best.prefix { $0.0 >= floor }.map(\.1)
    }
}

/// Results of parallel work, one value per index.
///
/// `@unchecked Sendable`: the storage is allocated once and never resized; each index is written
/// by exactly one worker of `concurrentPerform`, and the values are read only after
/// `concurrentPerform` returns, which orders every write before the reads.
final class ParallelResults<Value>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Value?>
    let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
    }

    func store(_ value: Value, at index: Int) { base[index] = value }

    var values: [Value?] { Array(UnsafeBufferPointer(start: base, count: count)) }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

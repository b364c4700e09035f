/// Listed plates, searched for a reading's exact and one-character-off matches without scanning them all.
///
/// Each listed plate is filed under keys of its deletion neighbourhood: its canonical form and its
/// serial, each whole and with any one character deleted, and its forms written by sound, whole (see
/// ``PlateReading``). Two strings within one substitution,
/// transposition of neighbours, insertion or deletion share at least one such key, so looking up the
/// reading's keys finds every plate ``PlateMatcher`` could match; the matcher then checks each
/// candidate. Keys are 64-bit FNV-1a hashes; a collision only adds a candidate the matcher refuses.
///
/// A value type: copies are cheap until written (copy-on-write storage), so a reader may search a
/// snapshot while a writer changes another copy.
public struct PlateIndex<ID: Hashable & Sendable>: Sendable {
    /// One listed plate found for a reading.
    public struct Hit: Sendable {
        /// The listed plate's identifier.
        public let id: ID
        /// The listed plate.
        public let plate: PlateReading
        /// How the reading matches it.
        public let match: PlateMatch
        /// Whether the score reaches the index's threshold.
        public let isAlert: Bool
    }

    private struct Slot: Sendable {
        let id: ID
        let plate: PlateReading
    }

    private var slots: [Slot?] = []
    private var slotByID: [ID: Int32] = [:]
    private var heads: [UInt64: Int32] = [:]
    private var postingSlot: [Int32] = []
    private var postingNext: [Int32] = []

    /// The score from which a hit raises an alert.
    public var threshold: Double

    /// Creates an empty index.
    public init(threshold: Double = PlateMatcher.defaultThreshold) {
        self.threshold = threshold
    }

    /// Creates an index of the given plates; a later duplicate identifier replaces an earlier one.
    public init(
        _ plates: some Sequence<(id: ID, plate: PlateReading)>,
        threshold: Double = PlateMatcher.defaultThreshold
    ) {
        self.threshold = threshold
        for (id, plate) in plates { upsert(id: id, plate: plate) }
    }

    /// How many plates the index holds.
    public var count: Int { slotByID.count }

    /// The plate listed under an identifier.
    public func plate(id: ID) -> PlateReading? {
        slotByID[id].flatMap { slots[Int($0)]?.plate }
    }

    /// Adds a plate, or replaces the plate listed under its identifier.
    public mutating func upsert(id: ID, plate: PlateReading) {
        if let old = slotByID[id] { slots[Int(old)] = nil }
        let slot = Int32(slots.count)
        slots.append(Slot(id: id, plate: plate))
        slotByID[id] = slot
        for key in Self.keys(of: plate) {
            postingSlot.append(slot)
            postingNext.append(heads[key] ?? -1)
            heads[key] = Int32(postingSlot.count - 1)
        }
        compactIfSparse()
    }

    /// Removes the plate listed under an identifier.
    ///
    /// - Returns: whether there was one.
    @discardableResult
    public mutating func remove(id: ID) -> Bool {
        guard let slot = slotByID.removeValue(forKey: id) else { return false }
        slots[Int(slot)] = nil
        compactIfSparse()
        return true
    }

    /// Finds the listed plates a reading matches, best first (ties by the listed plate's canonical form).
    ///
    /// - Parameters:
    ///   - reading: the plate as read.
    ///   - limit: the most hits to return.
    public func search(_ reading: PlateReading, limit: Int = 10) -> [Hit] {
        var seen = Set<Int32>()
        var hits: [Hit] = []
        for key in Self.keys(of: reading) {
            var posting = heads[key] ?? -1
            while posting >= 0 {
                let slot = postingSlot[Int(posting)]
                posting = postingNext[Int(posting)]
                guard seen.insert(slot).inserted, let entry = slots[Int(slot)] else { continue }
                if let match = PlateMatcher.match(reading, entry.plate) {
                    hits.append(Hit(id: entry.id, plate: entry.plate, match: match, isAlert: match.score >= threshold))
                }
            }
        }
        hits.sort {
            $0.match.score != $1.match.score
                ? $0.match.score > $1.match.score
                : $0.plate.canonical != $1.plate.canonical
                    ? $0.plate.canonical < $1.plate.canonical : $0.plate.written < $1.plate.written
        }
        return Array(hits.prefix(max(0, limit)))
    }

    /// Every listed plate with its identifier, in no particular order.
    public var plates: [(id: ID, plate: PlateReading)] {
        slots.compactMap { slot in slot.map { (id: $0.id, plate: $0.plate) } }
    }

    /// Rebuilds the postings once more than half the slots are dead.
    private mutating func compactIfSparse() {
        let dead = slots.count - slotByID.count
        guard dead > 1024, dead > slotByID.count else { return }
        let live = plates
        self = PlateIndex(live, threshold: threshold)
    }

    /// The deletion-neighbourhood keys of a plate, without repeats.
    static func keys(of plate: PlateReading) -> [UInt64] {
        var keys: [UInt64] = []
        keys.reserveCapacity(2 * (plate.canonicalScalars.count + 1))
        addKeys(plate.canonicalScalars, to: &keys)
        if plate.serialScalars != plate.canonicalScalars { addKeys(plate.serialScalars, to: &keys) }
        // Written by sound, a plate may differ in more than one letter (`АВ` as `AV`): its spoken forms are
        // keys too, whole (the matcher takes no edit on them).
        if let spoken = plate.spokenScalars { keys.append(hash(spoken, skipping: -1)) }
        if let spoken = plate.spokenSerialScalars { keys.append(hash(spoken, skipping: -1)) }
        keys.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(keys.count)
        for key in keys where unique.last != key { unique.append(key) }
        return unique
    }

    private static func addKeys(_ scalars: [Unicode.Scalar], to keys: inout [UInt64]) {
        keys.append(hash(scalars, skipping: -1))
        for i in scalars.indices { keys.append(hash(scalars, skipping: i)) }
    }

    private static func hash(_ scalars: [Unicode.Scalar], skipping skipped: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (i, scalar) in scalars.enumerated() where i != skipped {
            var value = scalar.value
            for _ in 0..<3 {
                hash = (hash ^ UInt64(value & 0xFF)) &* 0x0000_0100_0000_01B3
                value >>= 8
            }
        }
        return hash
    }
}

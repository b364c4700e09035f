/// A watchlist entry with its names normalised once, at indexing time.
struct PreparedEntry: Sendable {
    struct Name: Sendable {
        var text: String
        var isPrimary: Bool
        var isWeak: Bool
        var parts: [NamePart]
        var acronym: String?
    }

    var entry: WatchlistEntry
    var names: [Name]

    init(_ entry: WatchlistEntry, normalizer: NameNormalizer) {
        self.entry = entry
        var names: [Name] = []
        var seen = Set<Int>()
        func add(_ raw: String, primary: Bool, weak: Bool) {
            for text in Self.splitParenthesised(raw) {
                let parts = normalizer.parts(of: text)
                if parts.isEmpty { continue }
                var signature = Hasher()
                for p in parts { signature.combine(p.latin) }
                if !seen.insert(signature.finalize()).inserted { continue }
                var acronym: String?
                if entry.kind == .organization {
                    let significant = parts.filter { !normalizer.isStopword($0.latin) && $0.script != .arabic }
                    if significant.count >= 2 {
                        acronym = String(significant.compactMap { $0.latin.first })
                    }
                }
                names.append(Name(text: text, isPrimary: primary, isWeak: weak, parts: parts, acronym: acronym))
            }
        }
        add(entry.name, primary: true, weak: false)
        for a in entry.aliases { add(a, primary: false, weak: false) }
        for a in entry.weakAliases { add(a, primary: false, weak: true) }
        self.names = names
    }

    /// Hashes of the keys counted for part rarity, ascending and deduplicated; computed when needed
    /// rather than kept, like ``postingKeys(normalizer:)``.
    func frequencyKeys(normalizer: NameNormalizer) -> [UInt64] {
        var frequency: [UInt64] = []
        frequency.reserveCapacity(names.count * 6)
        for name in names {
            for part in name.parts {
                if part.isInitial || (entry.kind == .organization && normalizer.isStopword(part.latin)) { continue }
                frequency.append(IndexKeys.frequencyKey(part))
                if let k = IndexKeys.skeletonFrequencyKey(part) { frequency.append(k) }
            }
        }
        return Self.sortedUnique(frequency)
    }

    /// Hashes of every index key of this entry (its postings), ascending and deduplicated; computed
    /// when the entry is indexed rather than kept, since a list of a million entries has tens of
    /// millions of them.
    func postingKeys(normalizer: NameNormalizer) -> [UInt64] {
        var postings: [UInt64] = []
        postings.reserveCapacity(names.count * 24)
        for name in names {
            let parts = name.parts
            for (i, part) in parts.enumerated() {
                if part.isInitial || (entry.kind == .organization && normalizer.isStopword(part.latin)) { continue }
                IndexKeys.partKeys(part, into: &postings, deletions: true)
                if i + 1 < parts.count, !parts[i + 1].isInitial, parts[i + 1].script == part.script {
                    // The key of the joined word is, but for rare boundary effects, the two keys
                    // run together: cheaper than normalising the joined word.
                    let next = parts[i + 1]
                    postings.append(IndexKeys.hash(tag: IndexKeys.phonetic, joining: part.key, next.key))
                    postings.append(IndexKeys.hash(tag: IndexKeys.skeleton, joining: part.skeleton, next.skeleton))
                }
            }
            if let acronym = name.acronym {
                postings.append(IndexKeys.hash(tag: IndexKeys.acronym, acronym))
            }
            if name.parts.count == 1, name.parts[0].latin.utf8.count <= 6, entry.kind == .organization {
                postings.append(IndexKeys.hash(tag: IndexKeys.acronym, name.parts[0].latin))
            }
        }
        return Self.sortedUnique(postings)
    }

    static func sortedUnique(_ keys: [UInt64]) -> [UInt64] {
        var keys = keys
        keys.sort()
        var w = 0
        for k in keys.indices where w == 0 || keys[k] != keys[w - 1] {
            keys[w] = keys[k]
            w += 1
        }
        keys.removeLast(keys.count - w)
        return keys
    }

    /// Splits `Name (Other Name)` into both names; other text is returned as is.
    static func splitParenthesised(_ raw: String) -> [String] {
        guard raw.utf8.contains(0x28), let open = raw.firstIndex(of: "("), let close = raw[open...].firstIndex(of: ")")
        else { return [raw] }
        let outside = String(raw[..<open]) + " " + String(raw[raw.index(after: close)...])
        let inside = String(raw[raw.index(after: open)..<close])
        return [outside, inside].filter { !$0.allSatisfy(\.isWhitespace) }
    }
}

/// Index keys: 64-bit FNV-1a hashes of a tag byte and a string.
enum IndexKeys {
    static let phonetic: UInt8 = 1
    static let skeleton: UInt8 = 2
    static let acronym: UInt8 = 3
    static let frequency: UInt8 = 4

    static func hash(tag: UInt8, _ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(tag)
        h = h &* 0x100_0000_01b3
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    static func hash(tag: UInt8, bytes: some Collection<UInt8>, skipping skip: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(tag)
        h = h &* 0x100_0000_01b3
        for (i, b) in bytes.enumerated() where i != skip {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    static let skeletonFrequency: UInt8 = 5

    /// The hash of two strings run together, a doubled letter at the seam written once.
    static func hash(tag: UInt8, joining a: String, _ b: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(tag)
        h = h &* 0x100_0000_01b3
        var last: UInt8 = 0
        for c in a.utf8 {
            h ^= UInt64(c)
            h = h &* 0x100_0000_01b3
            last = c
        }
        for (k, c) in b.utf8.enumerated() where !(k == 0 && c == last) {
            h ^= UInt64(c)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    /// The key by which a part's rarity is counted.
    static func frequencyKey(_ part: NamePart) -> UInt64 {
        part.isVowelless ? hash(tag: skeletonFrequency, part.skeleton) : hash(tag: frequency, part.key)
    }

    /// The skeleton key by which the rarity of all spellings of a name is counted (Muhammad,
    /// Mohammed, محمد), for skeletons long enough not to collide by chance.
    static func skeletonFrequencyKey(_ part: NamePart) -> UInt64? {
        part.skeleton.utf8.count >= 3 ? hash(tag: skeletonFrequency, part.skeleton) : nil
    }

    /// Posting keys of one part: its phonetic key, its skeleton and, for typos, the skeleton with
    /// any one consonant deleted.
    static func partKeys(_ part: NamePart, into keys: inout [UInt64], deletions: Bool) {
        keys.append(hash(tag: phonetic, part.key))
        let skeleton = Array(part.skeleton.utf8)
        guard !skeleton.isEmpty else { return }
        keys.append(hash(tag: IndexKeys.skeleton, part.skeleton))
        if deletions, skeleton.count >= 3 {
            for i in 0..<skeleton.count {
                keys.append(hash(tag: IndexKeys.skeleton, bytes: skeleton, skipping: i))
            }
        }
    }
}

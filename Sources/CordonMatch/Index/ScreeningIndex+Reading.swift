/// What a reader of running text needs from the index: the parts of every listed name, to find them in
/// text, and the scorer, to confirm one entry against the words found.
extension ScreeningIndex {
    /// One part of one listed name.
    package struct ListedPart: Sendable {
        /// The entry's slot.
        package var slot: Int32
        /// The part, normalised.
        package var part: NamePart
        /// Whether the entry is an organisation.
        package var isOrganization: Bool
        /// Whether the part is one of an organisation's legal-form or function words.
        package var isStopword: Bool
        /// The number of significant parts in the name the part belongs to.
        package var partsInName: Int
    }

    /// The normaliser the index uses, for text read against it.
    package var readingNormalizer: NameNormalizer { normalizer }

    /// Calls `body` with every part of every name of every entry (aliases and weak aliases included).
    package func forEachListedPart(_ body: (ListedPart) -> Void) {
        for case let prepared? in slots {
            guard let slot = slotByID[prepared.entry.id] else { continue }
            let isOrganization = prepared.entry.kind == .organization
            for name in prepared.names {
                let significant = name.parts.filter { !$0.isInitial && !$0.isTitle }.count
                for part in name.parts {
                    body(
                        ListedPart(
                            slot: slot,
                            part: part,
                            isOrganization: isOrganization,
                            isStopword: isOrganization && normalizer.isStopword(part.latin),
                            partsInName: significant
                        )
                    )
                }
            }
        }
    }

    /// The parts of every name of the entry in a slot.
    package func nameParts(slot: Int32) -> [[NamePart]] {
        guard slots.indices.contains(Int(slot)), let prepared = slots[Int(slot)] else { return [] }
        return prepared.names.map(\.parts)
    }

    /// The entry in a slot.
    package func entry(slot: Int32) -> WatchlistEntry? {
        slots.indices.contains(Int(slot)) ? slots[Int(slot)]?.entry : nil
    }

    /// Scores a name against the entry in one slot, as ``screen(_:limit:)`` would score it.
    ///
    /// - Returns: the hit, or `nil` when the name has nothing to match on or shares nothing with the entry.
    package func score(name: String, slot: Int32) -> ScreeningHit? {
        guard let prepared = entry(slot: slot).flatMap({ _ in slots[Int(slot)] }) else { return nil }
        let parts = normalizer.parts(of: name)
        guard !parts.isEmpty else { return nil }
        let scorer = NameScorer(index: self, parts: parts)
        let acronym = Self.isAcronymQuery(name, parts: parts)
        let result = scorer.score(query: ScreeningQuery(name: name), acronymQuery: acronym, entry: prepared)
        guard result.score > 0 else { return nil }
        let score = (result.score * 10_000).rounded() / 10_000
        let threshold = options.threshold(forList: prepared.entry.list)
        return ScreeningHit(
            entryID: prepared.entry.id,
            score: score,
            isAlert: score >= threshold,
            threshold: threshold,
            explanation: scorer.explain(result, entry: prepared)
        )
    }
}

extension NameNormalizer {
    /// The phonetic key `parts(of:)` gives a single word of ASCII or Cyrillic letters, without building its
    /// part; `nil` for a word with any other letter, a particle, or nothing to key (normalise it in full).
    /// A reader of text looks up every capitalised word: this is the cheap first look.
    package func quickKey(_ scalars: some Sequence<Unicode.Scalar>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        for scalar in scalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x61...0x7A, 0x30...0x39: bytes.append(UInt8(value))
                case 0x41...0x5A: bytes.append(UInt8(value + 0x20))
                case 0x27, 0x60: continue
                default: return nil
                }
            } else if ScriptTables.isWordInternalMark(scalar) {
                continue
            } else if let lower = Self.fastLetter(value), ScriptTables.isCyrillic(lower) {
                if let latin = ScriptTables.cyrillicLatin(lower) { bytes.append(contentsOf: latin.utf8) }
            } else {
                return nil
            }
        }
        guard !bytes.isEmpty, bytes.count <= Self.maximumScalars else { return nil }
        if Self.particles.contains(String(decoding: bytes, as: UTF8.self)) { return nil }
        return String(decoding: PhoneticKey.key(bytes), as: UTF8.self)
    }
}

extension NamePart {
    /// The consonants a reader compares across scripts (``PartSimilarity/crossScriptSkeleton(_:)``), for
    /// this part as written and as its other script would write it: a Latin or Cyrillic surname also
    /// without its -ov/-ev (Persian writes it -وف, -ف); an Arabic-script word also without a final ف and
    /// the long vowel before it, and with its inner article as spoken (صدرالدین as Sadriddin). Three
    /// consonants at least each.
    package var readingSkeletons: [String] {
        var skeletons: [String] = []
        func add(_ part: NamePart) {
            let skeleton = PartSimilarity.crossScriptSkeleton(part)
            if skeleton.utf8.count >= 3, !skeletons.contains(skeleton) { skeletons.append(skeleton) }
        }
        add(self)
        if isVowelless {
            var key = Array(key.utf8)
            if let spoken = PartSimilarity.spokenArticle(self) { add(spoken) }
            if key.count >= 5, key.last == 0x66 {
                key.removeLast()
                if let last = key.last, last == 0x69 || last == 0x75 { key.removeLast() }
                let text = String(decoding: key, as: UTF8.self)
                let skeleton = String(decoding: PhoneticKey.skeleton(key), as: UTF8.self)
                add(NamePart(text: text, latin: text, key: text, skeleton: skeleton, script: .arabic))
            }
        } else {
            var latin = Array(latin.utf8)
            for ending in [[0x79, 0x65, 0x76], [0x69, 0x65, 0x76], [0x65, 0x76], [0x6F, 0x76]] as [[UInt8]]
            where latin.count >= ending.count + 3 && Array(latin.suffix(ending.count)) == ending {
                latin.removeLast(ending.count)
                add(NameNormalizer.makePart(text: text, bytes: latin, script: script))
                break
            }
        }
        return skeletons
    }
}

import CordonMatch
import Foundation

/// Every part of every listed name, keyed for a word of text to find: by phonetic key, by consonant
/// skeleton, by the key of its stem (the part without its ending), and organisations by acronym.
///
/// Built once per list. A word of text is looked up through ``lookUp(_:)`` once per distinct spelling in
/// a document (``WordCache``), so the cost of reading grows with the text, not with the list.
struct NameLexicon: Sendable {
    /// A listed part a key leads to.
    struct Ref: Sendable {
        var slot: Int32
        /// The part as the list writes it.
        var listText: String
        var isOrganization: Bool
        /// An organisation's function word (`of`, `the`), which may join a name but never starts one.
        var isStopword: Bool
        /// How many significant parts the name the part belongs to has (1: `IMU`, `Hamas`).
        var partsInName: Int
    }

    /// How a word of text reached a listed part.
    enum Route: Int, Sendable, Comparable {
        /// An organisation's acronym, written in capitals.
        case acronym
        /// The word's phonetic key is the part's.
        case key
        /// The word without an ending has the part's key, or meets the part's own stem.
        case stem
        /// The consonants agree in place and only vowels differ (`Hekmatullo`, `Hikmatullo`): the
        /// vowels romanisations trade, which the scorer confirms one by one.
        case vowels
        /// Only the consonants agree.
        case skeleton

        static func < (a: Route, b: Route) -> Bool { a.rawValue < b.rawValue }
    }

    /// One listed part a word leads to, and the form of the word to score in its place.
    struct Hit: Sendable {
        var ref: Ref
        /// The word as scored: as written, without its ending, or the list's own inflected form.
        var form: String
        var route: Route
        var ending: Inflection.Ending?
        /// Other forms of the word that lead to the same entry (`исламская` beside `исламское`).
        var alternatives: [String] = []
    }

    let normalizer: NameNormalizer
    private(set) var byKey: [String: [Ref]] = [:]
    private(set) var bySkeleton: [String: [Ref]] = [:]
    /// Latin and Cyrillic parts by the consonants an Arabic-script word is compared on
    /// (`NamePart.readingSkeletons`): Persian text writes Mirzoyev میرزایف.
    private(set) var byCrossSkeleton: [String: [Ref]] = [:]
    private(set) var byStem: [String: [Ref]] = [:]
    /// Keys of four letters or more with every vowel written `*` (``vowelShape(_:)``).
    private(set) var byVowelShape: [String: [Ref]] = [:]
    private(set) var byAcronym: [String: [Ref]] = [:]
    /// The first four letters of organisations' words (`груп`, `движ`, `guru`): a word in lower case is
    /// looked up only when it starts like one, since such words open names like `группы Зиёева`.
    private(set) var organizationPrefixes: Set<UInt64> = []
    /// A bit per value of a prefix hash's low 16 bits: most words are ruled out without hashing the
    /// hash again for the set.
    private(set) var organizationPrefixBits = [UInt64](repeating: 0, count: 1024)
    /// The first three letters of every key a stem may meet: a word whose key starts otherwise has no
    /// stem worth normalising.
    private(set) var keyPrefixes: Set<UInt32> = []

    init(index: ScreeningIndex) {
        normalizer = index.readingNormalizer
        index.forEachListedPart { listed in
            let part = listed.part
            guard !part.isInitial else { return }
            let ref = Ref(
                slot: listed.slot,
                listText: part.text,
                isOrganization: listed.isOrganization,
                isStopword: listed.isStopword,
                partsInName: listed.partsInName
            )
            Self.add(ref, part.key, to: &byKey)
            keyPrefixes.insert(Self.keyPrefix(part.key))
            if part.skeleton.utf8.count >= 3 { Self.add(ref, part.skeleton, to: &bySkeleton) }
            if !part.isVowelless, !listed.isOrganization {
                for skeleton in part.readingSkeletons { Self.add(ref, skeleton, to: &byCrossSkeleton) }
            }
            if !part.isVowelless, let shape = Self.vowelShape(part.key) { Self.add(ref, shape, to: &byVowelShape) }
            for stem in Inflection.stems(of: part.text) {
                guard let stemmed = normalizer.parts(of: stem.text).first else { continue }
                Self.add(ref, stemmed.key, to: &byStem)
                keyPrefixes.insert(Self.keyPrefix(stemmed.key))
            }
            if listed.isOrganization, !listed.isStopword, part.text.unicodeScalars.count >= 4 {
                let hash = Self.prefixHash(Array(part.text.utf8)[...])
                organizationPrefixes.insert(hash)
                organizationPrefixBits[Int(hash & 0xFFFF) >> 6] |= 1 << (hash & 63)
            }
            if listed.isOrganization, part.latin.utf8.count <= 6, listed.partsInName == 1 {
                Self.add(ref, part.latin, to: &byAcronym)
            }
        }
    }

    private static func add(_ ref: Ref, _ key: String, to table: inout [String: [Ref]]) {
        guard !key.isEmpty else { return }
        if let existing = table[key], existing.contains(where: { $0.slot == ref.slot && $0.listText == ref.listText }) {
            return
        }
        table[key, default: []].append(ref)
    }

    /// The listed parts a word that led nowhere may still be when only its vowels differ, among the
    /// entries `allowed` admits (those the words beside it lead to), sorted by slot. Asked only of a
    /// capitalised word beside a name, so the cost of the wider net is paid where a name is.
    func vowelVariants(_ word: String, allowed: (Int32) -> Bool) -> [Hit] {
        var keys: [String] = []
        if let key = normalizer.quickKey(word.unicodeScalars) ?? normalizer.parts(of: word.lowercased()).first?.key {
            keys.append(key)
        }
        if word.utf8.contains(where: { $0 | 0x20 == 0x78 }), word.utf8.allSatisfy({ $0 < 0x80 }),
            let key = normalizer.quickKey(word.lowercased().replacingOccurrences(of: "x", with: "kh").unicodeScalars)
        {
            keys.append(key)
        }
        var offers: [Hit] = []
        for key in keys {
            guard let shape = Self.vowelShape(key), let refs = byVowelShape[shape] else { continue }
            for ref in refs where allowed(ref.slot) {
                offers.append(Hit(ref: ref, form: word, route: .vowels, ending: nil))
            }
        }
        return Self.best(offers)
    }

    /// A key of four letters or more with its vowels written `*`, or nil: `hikmatulo` as `h*km*t*l*`.
    static func vowelShape(_ key: String) -> String? {
        guard key.utf8.count >= 4 else { return nil }
        var bytes = Array(key.utf8)
        var vowels = 0
        for i in bytes.indices where [0x61, 0x65, 0x69, 0x6F, 0x75].contains(bytes[i]) {
            bytes[i] = 0x2A
            vowels += 1
        }
        return vowels == 0 ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// A key's first three bytes (keys are ASCII), packed.
    static func keyPrefix(_ key: String) -> UInt32 {
        var packed: UInt32 = 0
        for byte in key.utf8.prefix(3) { packed = packed << 8 | UInt32(byte) }
        return packed
    }

    /// Whether a word in lower case starts like a word of an organisation's name.
    func mayOpenOrganization(_ word: ArraySlice<UInt8>) -> Bool {
        let hash = Self.prefixHash(word)
        guard organizationPrefixBits[Int(hash & 0xFFFF) >> 6] & (1 << (hash & 63)) != 0 else { return false }
        return organizationPrefixes.contains(hash)
    }

    /// A hash of the UTF-8 bytes of a word's first four letters (a word of fewer: a hash no prefix has).
    static func prefixHash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var letters = 0
        for byte in bytes {
            if byte & 0xC0 != 0x80 {
                if letters == 4 { break }
                letters += 1
            }
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return letters == 4 ? hash : 0
    }

    /// The listed parts a word (as written) may be, each slot once, by the best route; other forms that
    /// lead to the same entry by the same route are kept as the hit's alternatives.
    func lookUp(_ word: String, allCaps: Bool) -> [Hit] {
        var hits = lookUpSpelling(word, allCaps: allCaps)
        // Uzbek Latin writes x for the kh of other romanisations (Farrux, Xolmatov).
        if word.utf8.contains(where: { $0 | 0x20 == 0x78 }), word.utf8.allSatisfy({ $0 < 0x80 }) {
            let variant = word.lowercased().replacingOccurrences(of: "x", with: "kh")
            let found = lookUpSpelling(variant, allCaps: false)
            if !found.isEmpty {
                for hit in found where !hits.contains(where: { $0.ref.slot == hit.ref.slot }) { hits.append(hit) }
                hits.sort { $0.ref.slot < $1.ref.slot }
            }
        }
        return hits
    }

    private func lookUpSpelling(_ word: String, allCaps: Bool) -> [Hit] {
        // Most words are ASCII or Cyrillic and not acronyms: their key alone, cheaply (the quick key
        // lower-cases as it goes); the rest in full.
        if !allCaps, let key = normalizer.quickKey(word.unicodeScalars) {
            return lookUp(word, key: key, part: nil)
        }
        guard let part = normalizer.parts(of: word.lowercased()).first else { return [] }
        return lookUp(word, key: part.key, part: part, allCaps: allCaps)
    }

    private func lookUp(_ word: String, key: String, part: NamePart?, allCaps: Bool = false) -> [Hit] {
        // Every offer in the order made; the best route per slot is chosen once, by sorting (a word may
        // lead to thousands of parts, and a table per word would cost more than the sort).
        var offers: [Hit] = []
        func offer(_ refs: [Ref]?, form: String, route: Route, ending: Inflection.Ending? = nil) {
            guard let refs else { return }
            for ref in refs { offers.append(Hit(ref: ref, form: form, route: route, ending: ending)) }
        }
        offer(byKey[key], form: word, route: .key)
        // An acronym in any script is scored in Latin capitals, as the matcher reads acronyms (ИДУ as IDU).
        if allCaps, let part { offer(byAcronym[part.latin], form: part.latin.uppercased(), route: .acronym) }
        for ref in byStem[key] ?? [] { offers.append(Hit(ref: ref, form: ref.listText, route: .stem, ending: nil)) }
        for stem in keyPrefixes.contains(Self.keyPrefix(key)) ? Inflection.stems(of: word.lowercased()) : [] {
            guard
                let stemmed = normalizer.quickKey(stem.text.unicodeScalars)
                    ?? normalizer.parts(of: stem.text).first?.key
            else { continue }
            offer(byKey[stemmed], form: stem.text, route: .stem, ending: stem.ending)
            if let refs = byStem[stemmed] {
                for ref in refs { offers.append(Hit(ref: ref, form: ref.listText, route: .stem, ending: stem.ending)) }
            }
        }
        // Consonants alone only where the script leaves vowels unwritten (Arabic script): elsewhere they
        // lead to too many names that merely share them.
        if offers.isEmpty, let part, part.isVowelless, part.skeleton.utf8.count >= 3 {
            offer(bySkeleton[part.skeleton], form: word, route: .skeleton)
            // Names of Latin and Cyrillic lists as Persian writes them (میرزایف, صدرالدین).
            for skeleton in part.readingSkeletons { offer(byCrossSkeleton[skeleton], form: word, route: .skeleton) }
        }
        return Self.best(offers)
    }

    /// For each slot, the first offer by the best route, with the other forms the same route offered as
    /// its alternatives; sorted by slot.
    static func best(_ offers: [Hit]) -> [Hit] {
        guard offers.count > 1 else { return offers }
        // Stable: among offers of one slot and route, the first made comes first.
        let order = offers.indices.sorted {
            let a = offers[$0]
            let b = offers[$1]
            if a.ref.slot != b.ref.slot { return a.ref.slot < b.ref.slot }
            if a.route != b.route { return a.route < b.route }
            return $0 < $1
        }
        var hits: [Hit] = []
        hits.reserveCapacity(order.count)
        for index in order {
            let hit = offers[index]
            guard let last = hits.last, last.ref.slot == hit.ref.slot else {
                hits.append(hit)
                continue
            }
            if last.route == hit.route, last.form != hit.form, !last.alternatives.contains(hit.form) {
                hits[hits.count - 1].alternatives.append(hit.form)
            }
        }
        return hits
    }
}

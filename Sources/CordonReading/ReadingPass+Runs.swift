import CordonMatch

/// One word of a run and the form it is scored in.
struct RunForm {
    var word: TextWord
    var form: String
    var hit: NameLexicon.Hit?
}

/// A run of words of a group that leads to one entry, scored.
struct Run {
    /// What the initials of a run say about the entry.
    enum Initials {
        /// The run has none.
        case none
        /// Each is the first letter of a part of the entry's names the other words left over, and the
        /// other words match as written or transliterated.
        case agree
        /// One is the first letter of no part left over: another person of the same surname.
        case disagree
    }

    var slot: Int32
    var range: Range<Int>
    var forms: [RunForm]
    var hit: ScreeningHit
    var initials: Initials
    /// Every word matched a part of one listed name as written or transliterated, and every part was matched.
    var complete: Bool
    /// For each initial (by its index in `forms`), the listed part it begins.
    var initialParts: [Int: String]
}

extension ReadingPass {
    /// The most entries a lone surname beside an initial is scored against.
    static let initialCandidates = 200

    /// The entries a group of words may name, before any is scored: those two of its words lead to (a
    /// person is named by two words); for a lone word, only an organisation named by one word (`IMU`),
    /// an entry its surname named in full earlier in the text, or, beside an initial, the entries it
    /// leads to. A given name shared by thousands of listed people costs nothing when it stands alone.
    func candidateSlots(_ group: [ReadingPass.Candidate]) -> [Int32] {
        // An organisation's own function words count (`Ziyoyev group`); a person's list has none.
        let counts: (NameLexicon.Hit) -> Bool = { !$0.ref.isStopword || $0.ref.isOrganization }
        let words = group.indices.filter { !group[$0].word.isInitial && group[$0].hits.contains(where: counts) }
        guard !words.isEmpty else { return [] }
        if words.count == 1 {
            let hits = group[words[0]].hits.filter(counts)
            var slots = referredSlots(hits)
            for hit in hits where hit.ref.isOrganization && hit.ref.partsInName == 1 { slots.append(hit.ref.slot) }
            if group.contains(where: { $0.word.isInitial }) {
                for hit in hits.prefix(Self.initialCandidates) where !slots.contains(hit.ref.slot) {
                    slots.append(hit.ref.slot)
                }
            }
            return slots
        }
        // Slots two words lead to: each word's hits are sorted by slot, so pairs are merged, not hashed.
        var found = Set<Int32>()
        let ordered = words.sorted { group[$0].hits.count < group[$1].hits.count }
        for (n, a) in ordered.enumerated() {
            for b in ordered[(n + 1)...] {
                Self.intersect(group[a].hits, group[b].hits) { found.insert($0) }
            }
        }
        for word in words {
            for hit in group[word].hits where hit.ref.isOrganization && hit.ref.partsInName == 1 {
                found.insert(hit.ref.slot)
            }
            // A surname named in full before may stand beside another entry's word (`Abdulloyev guruhning`:
            // Abdulloyev, the group's).
            for slot in referredSlots(group[word].hits.filter(counts)) { found.insert(slot) }
        }
        return found.sorted()
    }

    /// The people a word's hits lead to whom a surname of the same key named in full earlier in the text (an
    /// organisation's words alone, `группа`, refer to nothing).
    private func referredSlots(_ hits: [NameLexicon.Hit]) -> [Int32] {
        guard !surnameSlots.isEmpty, !hits.isEmpty else { return [] }
        var slots: [Int32] = []
        var keys: [String: String?] = [:]
        for hit in hits where surnameSlots.contains(hit.ref.slot) && !hit.ref.isOrganization {
            let key: String?
            if let known = keys[hit.form] {
                key = known
            } else {
                key = surnameKey(hit.form)
                keys[hit.form] = .some(key)
            }
            if let key, surnames[key]?.slot == hit.ref.slot { slots.append(hit.ref.slot) }
        }
        return slots
    }

    /// Calls `body` with every slot both lists of hits (sorted by slot) hold.
    static func intersect(_ a: [NameLexicon.Hit], _ b: [NameLexicon.Hit], _ body: (Int32) -> Void) {
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            let x = a[i].ref.slot
            let y = b[j].ref.slot
            if x == y {
                if !a[i].ref.isStopword || a[i].ref.isOrganization { body(x) }
                i += 1
                j += 1
            } else if x < y {
                i += 1
            } else {
                j += 1
            }
        }
    }

    /// The most extra scorings of a run spent on other forms of its words.
    static let alternativeTries = 8

    /// Scores a run: its words as found; if that does not alert, other forms of its words (an inflected
    /// form of another of the entry's names, a possessive kept); initials checked against the entry's
    /// names apart, since the matcher weighs an initial as a checkpoint's weak evidence.
    func scoreRun(slot: Int32, range: Range<Int>, forms: [RunForm]) -> Run? {
        let index = reader.index
        let words = forms.indices.filter { !forms[$0].word.isInitial }
        let initials = forms.indices.filter { forms[$0].word.isInitial }
        var chosen = forms.map(\.form)
        func score(_ trial: [String], including all: Bool) -> ScreeningHit? {
            let picked = all ? trial : words.map { trial[$0] }
            return index.score(name: picked.joined(separator: " "), slot: slot)
        }
        guard var best = score(chosen, including: initials.isEmpty) else { return nil }
        if best.score < alertThreshold(best) {
            var tries = 0
            for position in words {
                var options = forms[position].hit?.alternatives ?? []
                if forms[position].word.possessive { options.append(forms[position].form + "s") }
                for option in options where tries < Self.alternativeTries {
                    tries += 1
                    var trial = chosen
                    trial[position] = option
                    if let hit = score(trial, including: initials.isEmpty), hit.score > best.score {
                        best = hit
                        chosen = trial
                    }
                }
            }
        }
        var run = Run(
            slot: slot,
            range: range,
            forms: forms,
            hit: best,
            initials: .none,
            complete: Self.isComplete(best.explanation, unmatchedListAllowed: false),
            initialParts: [:]
        )
        for position in forms.indices { run.forms[position].form = chosen[position] }
        guard !initials.isEmpty else { return run }
        // Initials: the other words must match as written; each initial must begin a part they left over.
        let normalizer = reader.lexicon.normalizer
        let matched = Set(words.compactMap { normalizer.parts(of: chosen[$0]).first?.key })
        let parts = index.nameParts(slot: slot).joined().filter { !$0.isInitial && !matched.contains($0.key) }
        // The first initial is a given name's (`S. Davlatov` is not Hikmatullo Saidalievich); a second may
        // be the patronymic's (`H. S. Davlatov`).
        var agreed: [Int: String] = [:]
        for (order, position) in initials.enumerated() {
            let letter = written(forms[position].word).lowercased()
            let allowed = order == 0 ? parts.filter { !Self.isPatronymic($0) } : parts
            if let part = allowed.first(where: { Self.begins($0, letter: letter, normalizer: normalizer) }) {
                agreed[position] = part.text
            }
        }
        if agreed.count < initials.count {
            run.initials = .disagree
        } else if Self.isComplete(best.explanation, unmatchedListAllowed: true) {
            run.initials = .agree
            run.initialParts = agreed
        }
        // Reported with its initials, as the matcher scores them.
        if let withInitials = score(chosen, including: true) { run.hit = withInitials }
        return run
    }

    /// A part that reads as a patronymic (`Saidalievich`, `Саидалиевич`, `Karimovna`, `o'g'li`).
    static func isPatronymic(_ part: NamePart) -> Bool {
        ["vich", "vna", "ich", "ogli", "ugli", "qizi", "kizi"].contains { part.latin.hasSuffix($0) }
    }

    /// Every pair of parts matched as written or transliterated (and, unless allowed, no listed part left).
    static func isComplete(_ explanation: MatchExplanation, unmatchedListAllowed: Bool) -> Bool {
        !explanation.parts.isEmpty && explanation.unmatchedQueryParts.isEmpty
            && (unmatchedListAllowed || explanation.unmatchedListParts.isEmpty)
            && explanation.parts.allSatisfy {
                ($0.rule == .exact || $0.rule == .transliteration) && $0.similarity >= 0.95
            }
    }

    /// Whether an initial (`ш`, `sh`, `х`, `a`) begins a listed part, in its script or romanised; Х, Kh,
    /// H and X begin the same names, as do J and Dzh.
    static func begins(_ part: NamePart, letter: String, normalizer: NameNormalizer) -> Bool {
        if part.text.hasPrefix(letter) { return true }
        guard let latin = normalizer.parts(of: letter).first?.latin, !latin.isEmpty else { return false }
        if part.latin.hasPrefix(latin) { return true }
        let families: [Set<String>] = [
            ["kh", "h", "x"], ["j", "dzh", "dj", "zh"], ["yu", "u"], ["ya", "a"], ["e", "ye", "yo"],
        ]
        for family in families where family.contains(latin) {
            if family.contains(where: { part.latin.hasPrefix($0) }) { return true }
        }
        return false
    }
}

/// A set of slots as a bit per slot: a member test is a load and a mask.
struct SlotSet {
    private var words: [UInt64] = []
    private(set) var isEmpty = true

    mutating func insert(_ slot: Int32) {
        guard slot >= 0 else { return }
        let word = Int(slot) >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word + 1 - words.count)) }
        words[word] |= 1 << UInt64(slot & 63)
        isEmpty = false
    }

    func contains(_ slot: Int32) -> Bool {
        let word = Int(slot) >> 6
        return slot >= 0 && word < words.count && words[word] & (1 << UInt64(slot & 63)) != 0
    }
}

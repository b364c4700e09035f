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
        if best.score < threshold {
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
        var agreed: [Int: String] = [:]
        for position in initials {
            let letter = written(forms[position].word).lowercased()
            if let part = parts.first(where: { Self.begins($0, letter: letter, normalizer: normalizer) }) {
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

import CordonDocuments
import CordonMatch

/// One reading of one text: the scan, the groups of name-like words, the mentions found.
struct ReadingPass {
    struct Candidate {
        var word: TextWord
        var hits: [NameLexicon.Hit]
    }

    let reader: TextReader
    /// The text being read (in a stream, the current part).
    var text: [UInt8]
    /// A stricter threshold asked for, or nil: a mention alerts at its entry's list threshold
    /// (``alertThreshold(_:)``).
    let requested: Double?
    var mentions: [Mention] = []
    /// What each spelling met so far leads to, found by a hash of its bytes (no string is made for a
    /// spelling met before): the hash's entry in `cachedHits`, and the spelling's bytes in `cachedBytes`.
    var cache: [UInt64: Int32] = [:]
    var cachedHits: [[NameLexicon.Hit]] = []
    var cachedBytes: [UInt8] = []
    var cachedRanges: [Range<Int>] = []
    /// For each surname's key: who it last named in full (`nil`: someone not on the list).
    var surnames: [String: (slot: Int32?, mention: Int?)] = [:]
    /// Every entry `surnames` has named (a superset of those it names now): a word's hits are checked
    /// against it before any key is made.
    var surnameSlots = SlotSet()
    private var scalars = 0

    init(reader: TextReader, text: [UInt8], threshold: Double?) {
        self.reader = reader
        self.text = text
        requested = threshold
    }

    /// Reads the text, or one part of a text whose first scalar is `scalarBase`; the part must end at a
    /// paragraph or line break, so that no name is cut (what the part names is kept for the next).
    mutating func run(scalarBase: Int = 0) {
        var splitter = WordSplitter(text, scalarBase: scalarBase)
        var group: [Candidate] = []
        var beforeGroup: TextWord?
        var last: TextWord?
        var beforeLast: TextWord?
        // The last word, when it was capitalised, led nowhere and joined no group.
        var unmatched: TextWord?
        var recent: [TextWord] = []
        // A closed group waits one word more: what follows the word after it tells a surname-first full
        // name (`Давлатовым Неъматулло Саидалиевичем`) from a surname and a place (`Xolmatov Namanganda,`).
        var closed: (group: [Candidate], before: TextWord?, after: TextWord)?
        while let word = splitter.next() {
            if let waiting = closed {
                process(waiting.group, before: waiting.before, after: waiting.after, afterNext: word)
                closed = nil
            }
            scalars = word.end
            if word.hasDigit || recent.contains(where: \.hasDigit) { spotPlate(ending: word, recent: recent) }
            recent.append(word)
            if recent.count > 3 { recent.removeFirst() }
            let continuing = !group.isEmpty && word.boundary <= .lineBreak
            let inOrganization = continuing && group.contains { $0.hits.contains { $0.ref.isOrganization } }
            var hits = lookUp(word, continuingOrganization: inOrganization)
            let cased = (word.isCapitalized && !word.isAllCaps) || word.isCaseless
            if hits.isEmpty, continuing, cased, word.letters >= 4 {
                // After a name, a capitalised word that leads nowhere may be a part of it with other vowels.
                hits = vowelVariants(word, beside: group)
            }
            // `of`, `the`, `и`: a short word in lower case may join the words of an organisation's name.
            let bridge = inOrganization && hits.isEmpty && !word.isCapitalized && word.letters <= 3 && !word.hasDigit
            let nameLike = !hits.isEmpty || word.isInitial || bridge
            if continuing && nameLike {
                group.append(Candidate(word: word, hits: hits))
                unmatched = nil
            } else {
                if !group.isEmpty { closed = (group, beforeGroup, word) }
                group = nameLike ? [Candidate(word: word, hits: hits)] : []
                beforeGroup = last
                // Before a name, the same: the capitalised word just before it that led nowhere.
                if !hits.isEmpty, let previous = unmatched, word.boundary <= .lineBreak {
                    let variants = vowelVariants(previous, beside: group)
                    if !variants.isEmpty {
                        group.insert(Candidate(word: previous, hits: variants), at: 0)
                        beforeGroup = beforeLast
                    }
                }
                unmatched = !nameLike && cased && word.letters >= 4 && !word.hasDigit ? word : nil
            }
            beforeLast = last
            last = word
        }
        if let waiting = closed { process(waiting.group, before: waiting.before, after: waiting.after, afterNext: nil) }
        if !group.isEmpty { process(group, before: beforeGroup, after: nil, afterNext: nil) }
    }

    // MARK: Words

    private mutating func lookUp(_ word: TextWord, continuingOrganization: Bool) -> [NameLexicon.Hit] {
        guard word.letters >= 2 || (word.letters >= 1 && word.isCaseless) else { return [] }
        let cased = word.isCapitalized || word.isAllCaps || word.isCaseless
        guard cased || continuingOrganization || reader.lexicon.mayOpenOrganization(text[word.bytes]) else {
            return []
        }
        let hits = cachedLookUp(word)
        if cased { return hits }
        return hits.filter { $0.ref.isOrganization }
    }

    /// The lexicon's hits for a word, from the cache when its spelling was met before.
    private mutating func cachedLookUp(_ word: TextWord) -> [NameLexicon.Hit] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text[word.bytes] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        if let slot = cache[hash] {
            let range = cachedRanges[Int(slot)]
            if cachedBytes[range].elementsEqual(text[word.bytes]) { return cachedHits[Int(slot)] }
            // Another spelling with the same hash: looked up each time, never cached.
            return reader.lexicon.lookUp(written(word), allCaps: word.isAllCaps)
        }
        let hits = reader.lexicon.lookUp(written(word), allCaps: word.isAllCaps)
        if cachedHits.count < 200_000 {
            cache[hash] = Int32(cachedHits.count)
            cachedHits.append(hits)
            cachedRanges.append(cachedBytes.count..<(cachedBytes.count + word.bytes.count))
            cachedBytes.append(contentsOf: text[word.bytes])
        }
        return hits
    }

    /// A word's listed parts by vowels alone, among the entries the group's words lead to.
    private func vowelVariants(_ word: TextWord, beside group: [Candidate]) -> [NameLexicon.Hit] {
        var allowed = SlotSet()
        for candidate in group {
            for hit in candidate.hits where !hit.ref.isOrganization { allowed.insert(hit.ref.slot) }
        }
        guard !allowed.isEmpty else { return [] }
        return reader.lexicon.vowelVariants(written(word), allowed: allowed.contains)
    }

    /// The score a hit alerts at: its entry's list threshold (the index's default for an entry on no
    /// named list), or a stricter one asked for.
    func alertThreshold(_ hit: ScreeningHit) -> Double { max(requested ?? 0, hit.threshold) }

    func written(_ word: TextWord) -> String { String(decoding: text[word.bytes], as: UTF8.self) }

    // MARK: Groups

    mutating func process(_ group: [Candidate], before: TextWord?, after: TextWord?, afterNext: TextWord?) {
        let slots = candidateSlots(group)
        var runs: [Run] = []
        for slot in slots {
            var k = 0
            while k < group.count {
                guard belongs(group[k], to: slot) else {
                    k += 1
                    continue
                }
                var end = k
                while end < group.count, belongs(group[end], to: slot) { end += 1 }
                var range = k..<end
                // Function words and bridges neither open nor close a run; initials may.
                while !range.isEmpty, isFiller(group[range.lowerBound], slot: slot) {
                    range = (range.lowerBound + 1)..<range.upperBound
                }
                while !range.isEmpty, isFiller(group[range.upperBound - 1], slot: slot) {
                    range = range.lowerBound..<(range.upperBound - 1)
                }
                k = end
                guard range.contains(where: { !group[$0].word.isInitial }) else { continue }
                let forms = range.map { i -> RunForm in
                    let hit = group[i].hits.first { $0.ref.slot == slot }
                    return RunForm(word: group[i].word, form: hit?.form ?? written(group[i].word), hit: hit)
                }
                if let run = scoreRun(slot: slot, range: range, forms: forms) { runs.append(run) }
            }
        }
        // The best reading of each stretch of words wins.
        runs.sort {
            $0.hit.score > $1.hit.score || ($0.hit.score == $1.hit.score && $0.range.lowerBound < $1.range.lowerBound)
        }
        var taken: [Range<Int>] = []
        var accepted: [Run] = []
        for run in runs where !taken.contains(where: { $0.overlaps(run.range) }) {
            taken.append(run.range)
            accepted.append(run)
        }
        accepted.sort { $0.range.lowerBound < $1.range.lowerBound }
        for run in accepted {
            let previous = run.range.lowerBound > 0 ? group[run.range.lowerBound - 1].word : before
            // After a surname, a capitalised word makes it someone else's name when it is a listed name part
            // or is followed by another capitalised word (a given name and a patronymic); otherwise it is
            // more often a place (`Xolmatov Namanganda, …`).
            let next: TextWord?
            if run.range.upperBound < group.count {
                next = group[run.range.upperBound].word
            } else if let after, let afterNext, isNameLike(afterNext), afterNext.boundary <= .lineBreak {
                next = after
            } else {
                next = nil
            }
            record(run, previous: previous, next: next, groupStart: run.range.lowerBound == 0)
        }
    }

    /// Whether a word may stand in a run of words naming the entry in `slot`.
    private func belongs(_ candidate: Candidate, to slot: Int32) -> Bool {
        candidate.hits.contains { $0.ref.slot == slot } || candidate.word.isInitial
            || (candidate.hits.isEmpty && !candidate.word.isCapitalized && candidate.word.letters <= 3)
    }

    /// A word that joins a run but cannot open or close it: a bridge (`of`, `и`) that is no part of the name.
    /// An organisation's own function word that the name has (`group`, `группа`) may open or close it.
    private func isFiller(_ candidate: Candidate, slot: Int32) -> Bool {
        if candidate.word.isInitial { return false }
        return !candidate.hits.contains { $0.ref.slot == slot }
    }

    private mutating func record(_ run: Run, previous: TextWord?, next: TextWord?, groupStart: Bool) {
        let significant = run.forms.filter { !$0.word.isInitial }
        let first = run.forms[0].word
        // A capitalised word right before or after a lone surname makes it someone else's full name.
        let namedWithOther =
            significant.count == 1
            && ((previous.map { isNameLike($0) && first.boundary <= .lineBreak && $0.boundary != .sentence } ?? false)
                || (next.map { isNameLike($0) && $0.boundary <= .lineBreak } ?? false))
        let surnameKeys = significant.compactMap { surnameKey($0.form) }
        let kind = reader.kind(of: run.hit.entryID)
        // A person is named by two words at least (an initial counts); one word alone, however well it
        // matches, is a given name or a surname, and alerts only as a reference to a full name before.
        let named: Bool
        switch (kind, run.initials) {
        case (.organization, _):
            named = run.hit.score >= alertThreshold(run.hit) || (run.complete && run.forms.count >= 2)
        case (_, .agree): named = run.forms.count >= 2
        case (_, .disagree): named = false
        case (_, .none): named = run.hit.score >= alertThreshold(run.hit) && run.forms.count >= 2
        }
        if named, kind == .person, let conflict = birthConflict(after: run) {
            // A namesake the text dates apart (a boy of 12, born in 1997): reported, not alerted, and his
            // surname alone later is his.
            let index = append(run, basis: .name, score: run.hit.score, alert: false, refersTo: nil)
            mentions[index].ambiguity = conflict
            for key in surnameKeys { surnames[key] = (nil, nil) }
            return
        }
        if named {
            let index = append(run, basis: .name, score: run.hit.score, alert: true, refersTo: nil)
            for key in surnameKeys { surnames[key] = (run.slot, index) }
            surnameSlots.insert(run.slot)
            return
        }
        if significant.count >= 2 || namedWithOther || run.initials == .disagree {
            // Someone named in full who is not the listed person: later lone surnames are theirs.
            for key in surnameKeys { surnames[key] = (nil, nil) }
            for form in significant where namedWithOther || run.initials == .disagree {
                if let key = surnameKey(form.form) ?? reader.lexicon.normalizer.parts(of: form.form).first?.key {
                    surnames[key] = (nil, nil)
                }
            }
            if run.hit.score >= TextReader.reportingFloor && !namedWithOther && run.initials != .disagree {
                append(run, basis: .name, score: run.hit.score, alert: false, refersTo: nil)
            }
            return
        }
        if let key = surnameKeys.first, let earlier = surnames[key], let slot = earlier.slot, slot == run.slot,
            let antecedent = earlier.mention
        {
            let source = mentions[antecedent]
            append(run, basis: .earlierMention, score: source.score, alert: source.alert, refersTo: source.start)
            return
        }
        if run.hit.score >= TextReader.reportingFloor {
            append(run, basis: .name, score: run.hit.score, alert: false, refersTo: nil)
        }
    }

    /// Whether a capitalised word next to a lone surname may be another person's given name (or surname):
    /// not a title, rank, day, month, institution or nationality, which are capitalised without naming.
    private func isNameLike(_ word: TextWord) -> Bool {
        guard word.isCapitalized, !word.isAllCaps, word.letters >= 2, !word.hasDigit else { return false }
        return !CapitalisedWords.notNames.contains(written(word).lowercased())
    }

    /// The key of a form that reads as a surname (`-ov`, `-eva`, `-zoda`…), or `nil`.
    func surnameKey(_ form: String) -> String? {
        guard let part = reader.lexicon.normalizer.parts(of: form).first else { return nil }
        let latin = part.latin
        // Persian writes a Russian -ov/-ev -وف, -یف or -ف (میرزایف, دولتف); a given name ends so only when
        // short (شریف, یوسف).
        if part.isVowelless, latin.hasSuffix("f") {
            let letters = Array(latin.utf8)
            let before = letters.count >= 2 ? letters[letters.count - 2] : 0
            if (letters.count >= 6 && (before == 0x69 || before == 0x75))
                || (letters.count >= 5 && before != 0x69 && before != 0x75 && before != 0x61)
            {
                return part.key
            }
        }
        for ending in Self.surnameEndings where latin.hasSuffix(ending) && latin.count >= ending.count + 2 {
            return part.key
        }
        return nil
    }

    static let surnameEndings = [
        "ov", "ev", "ova", "eva", "in", "ina", "zoda", "zada", "zade", "iy", "sky", "skiy", "yan", "dze", "shvili",
        "oglu", "uly", "yev", "yeva", "i",
    ]

    @discardableResult
    private mutating func append(_ run: Run, basis: Mention.Basis, score: Double, alert: Bool, refersTo: Int?) -> Int {
        let first = run.forms[0].word
        let last = run.forms[run.forms.count - 1].word
        let entity = run.hit.entryID
        var words = MentionExplainer.words(run.forms.map { ($0.word, written($0.word), $0.form, $0.hit) }, hit: run.hit)
        for (index, part) in run.initialParts where words.indices.contains(index) {
            words[index].listPart = part
            words[index].rule = .initial
            words[index].similarity = 1
        }
        let mention = Mention(
            entity: entity,
            kind: reader.kind(of: entity),
            start: first.start,
            end: last.end,
            text: String(decoding: text[first.bytes.lowerBound..<last.bytes.upperBound], as: UTF8.self),
            score: score,
            alert: alert,
            basis: basis,
            ambiguity: MentionExplainer.ambiguity(words, entry: reader.index.entry(id: entity)),
            refersTo: refersTo,
            words: words,
            explanation: MentionExplainer.sentence(
                words,
                hit: run.hit,
                basis: basis,
                score: score,
                threshold: alertThreshold(run.hit)
            ),
            matchedName: run.hit.explanation.matchedName
        )
        mentions.append(mention)
        return mentions.count - 1
    }

    // MARK: Result

    func result() -> ReadingResult {
        var best: [String: EntityFinding] = [:]
        for mention in mentions {
            var finding =
                best[mention.entity]
                ?? EntityFinding(
                    entity: mention.entity,
                    kind: mention.kind,
                    name: reader.name(of: mention.entity),
                    score: 0,
                    alert: false,
                    mentions: 0
                )
            finding.score = max(finding.score, mention.score)
            finding.alert = finding.alert || mention.alert
            finding.mentions += 1
            best[mention.entity] = finding
        }
        let entities = best.values.sorted {
            $0.alert != $1.alert ? $0.alert : $0.score != $1.score ? $0.score > $1.score : $0.entity < $1.entity
        }
        let ordered = mentions.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }
        return ReadingResult(mentions: ordered.map(\.element), entities: entities, scalarsRead: scalars)
    }
}

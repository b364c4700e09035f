import CordonMatch

/// Words a mention is made of, what each was read as, and the sentence that says so.
enum MentionExplainer {
    static func words(
        _ forms: [(word: TextWord, written: String, form: String, hit: NameLexicon.Hit?)],
        hit: ScreeningHit
    ) -> [Mention.Word] {
        let normalizer = NameNormalizer()
        var parts = hit.explanation.parts
        return forms.map { item in
            var word = Mention.Word(written: item.written, read: item.form)
            if let ending = item.hit?.ending {
                word.ending = "-\(ending.text) (\(ending.family.rawValue))"
            } else if item.word.possessive {
                word.ending = "-'s (\(Inflection.Family.englishPossessive.rawValue))"
            }
            let normal = normalizer.parts(of: item.form).first?.text
            if let at = parts.firstIndex(where: { $0.queryPart == normal }) {
                let part = parts.remove(at: at)
                word.listPart = part.listPart
                word.rule = part.rule
                word.similarity = part.similarity
            }
            return word
        }
    }

    /// Why a mention may not be the listed person: a Russian surname in `-ova`/`-eva`/`-ina` (or `-ой`)
    /// read as a listed man's is a genitive or a woman's name.
    static func ambiguity(_ words: [Mention.Word], entry: WatchlistEntry?) -> String? {
        guard let entry, entry.kind == .person, entry.gender != .female else { return nil }
        let genitives = words.filter { $0.ending?.hasPrefix("-а ") == true || $0.ending?.hasPrefix("-я ") == true }
        for word in words {
            guard let ending = word.ending, ending.hasPrefix("-а ") || ending.hasPrefix("-ой ") else { continue }
            let read = word.read.lowercased()
            guard read.hasSuffix("ов") || read.hasSuffix("ев") || read.hasSuffix("ин") || read.hasSuffix("ёв") else {
                continue
            }
            if ending.hasPrefix("-а "), genitives.count >= 2 { return nil }
            return "«\(word.written)» may be the listed man's surname in another case, or a woman's surname"
        }
        return nil
    }

    static func sentence(
        _ words: [Mention.Word],
        hit: ScreeningHit,
        basis: Mention.Basis,
        score: Double,
        threshold: Double
    ) -> String {
        var clauses: [String] = []
        for word in words {
            var clause = "«\(word.written)»"
            if word.read != word.written, word.read.lowercased() != word.written.lowercased() {
                clause += " read as «\(word.read)»"
            }
            if let ending = word.ending { clause += " (\(ending))" }
            if let listPart = word.listPart, let rule = word.rule {
                clause += " matches «\(listPart)»: \(rule.wording)"
            } else {
                clause += " matches no part of the name"
            }
            clauses.append(clause)
        }
        var text = clauses.joined(separator: "; ")
        let name = hit.explanation.matchedName
        text += ". Listed name «\(name)»\(hit.explanation.isPrimaryName ? "" : " (an alias)")"
        if !hit.explanation.unmatchedListParts.isEmpty {
            text += "; not named here: \(hit.explanation.unmatchedListParts.joined(separator: " "))"
        }
        for evidence in hit.explanation.evidence { text += "; \(evidence.detail)" }
        switch basis {
        case .earlierMention:
            text += ". The surname alone (\(format(hit.score))) refers to the person named in full earlier in this text"
        case .name, .plate:
            break
        }
        text += ". Score \(format(score)), alert at \(format(threshold))."
        return text
    }

    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

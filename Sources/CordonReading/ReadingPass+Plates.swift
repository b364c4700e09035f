import CordonDocuments

extension ReadingPass {
    /// Looks for a listed plate in the words up to `word` (one to three words, one line, a digit among
    /// them): `4519 АА 01`, `4519АА01`, `4519 AA` without its region. A longer reading of the same plate
    /// replaces a shorter one found a word before (`4519 AA` then `4519 AA 01`).
    mutating func spotPlate(ending word: TextWord, recent: [TextWord]) {
        guard reader.plates.count > 0 else { return }
        var words = recent
        words.append(word)
        for count in stride(from: min(3, words.count), through: 1, by: -1) {
            let span = words.suffix(count)
            guard let first = span.first, span.contains(where: \.hasDigit) else { continue }
            if span.dropFirst().contains(where: { $0.boundary > .space }) { continue }
            var replacing: Int?
            if let last = mentions.indices.last, mentions[last].kind == .vehicle, mentions[last].end > first.start {
                guard mentions[last].start >= first.start, word.end > mentions[last].end else { return }
                replacing = last
            }
            let bytes = text[first.bytes.lowerBound..<word.bytes.upperBound]
            guard bytes.count >= 5, bytes.count <= 16 else { continue }
            let written = String(decoding: bytes, as: UTF8.self)
            guard let reading = try? PlateReading(written), let hit = reader.plates.search(reading, limit: 1).first,
                hit.isAlert
            else { continue }
            if let replacing {
                guard mentions[replacing].entity == hit.id, hit.match.score >= mentions[replacing].score else { return }
                mentions.remove(at: replacing)
            }
            let percent = Int((hit.match.score * 100).rounded())
            mentions.append(
                Mention(
                    entity: hit.id,
                    kind: .vehicle,
                    start: first.start,
                    end: word.end,
                    text: written,
                    score: hit.match.score,
                    alert: true,
                    basis: .plate,
                    ambiguity: nil,
                    refersTo: nil,
                    words: [],
                    explanation: "the plate \(written) reads as \(hit.plate.written) (\(percent) %)",
                    matchedName: hit.plate.written
                )
            )
            return
        }
    }
}

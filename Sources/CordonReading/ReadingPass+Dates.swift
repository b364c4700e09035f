import CordonMatch

extension ReadingPass {
    /// Words that say a year next to them is a birth year.
    static let birthMarkers = [
        "born", "b.", "г.р", "г. р", "года рождения", "род.", "родился", "родилась", "рождения", "tug'ilgan",
        "tugʻilgan", "tug‘ilgan", "туғилган", "таваллуд", "соли таваллуд",
    ]
    /// Words that say a number right before them is an age (not `лет` or `год` alone: prison terms read so).
    static let ageMarkers = ["year-old", "year old", "years old", "летн", "yoshli", "yoshda", "сола", "ёшли"]

    /// What the words right after a person's mention say of his age that the list contradicts: a birth
    /// year more than five years from the listed one (`Шамиль Магомедов (1997 г.р.)`), or the age of a
    /// child for a listed adult (`Alisher Rustamov, 12,`). `nil` when they say nothing of it, or agree.
    func birthConflict(after run: Run) -> String? {
        guard let entry = reader.index.entry(id: run.hit.entryID), let listed = entry.birthDates.first?.year
        else { return nil }
        let end = run.forms[run.forms.count - 1].word.bytes.upperBound
        var window = text[end..<min(text.count, end + 160)]
        if let line = window.firstIndex(of: 0x0A) { window = window[..<line] }
        // Most names are followed by no number at all.
        guard window.contains(where: { (0x30...0x39).contains($0) }) else { return nil }
        let after = String(decoding: window, as: UTF8.self).lowercased()
        let scalars = Array(after.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard ("0"..."9").contains(scalars[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
            let number = Int(String(String.UnicodeScalarView(scalars[index..<end]))) ?? 0
            let before = String(String.UnicodeScalarView(scalars[max(0, index - 24)..<index]))
            let following = String(String.UnicodeScalarView(scalars[end..<min(scalars.count, end + 24)]))
            if (1900...2030).contains(number), end - index == 4,
                before.hasSuffix("(")
                    || Self.birthMarkers.contains(where: { before.contains($0) || following.contains($0) })
            {
                if abs(number - listed) > 5 {
                    return "the text dates this man's birth to \(number); the listed one was born in \(listed)"
                }
                return nil
            }
            if (1...17).contains(number), end - index <= 2, listed <= 2000,
                Self.ageMarkers.contains(where: { following.hasPrefix("-" + $0) || following.hasPrefix(" " + $0) })
                    || (index <= 2 && following.hasPrefix(","))
            {
                return "the text gives this person's age as \(number); the listed one was born in \(listed)"
            }
            index = end
        }
        return nil
    }
}

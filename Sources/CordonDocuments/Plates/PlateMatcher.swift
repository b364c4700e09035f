/// Compares a plate as read with a listed plate: the same plate, or one character off.
///
/// Rules and scores (the best applicable rule wins):
///
/// | Rule | Score |
/// |---|---|
/// | exact | 1 |
/// | look-alike letters (Cyrillic А read as Latin A) | 0.99 |
/// | Cyrillic letters written by sound on one side (`АВ` as `AV`, ``PlateCharacters/spoken``) | 0.97; 0.93 with the region written on one side only |
/// | same plate, region written on one side only | 0.95 |
/// | one character misread | 0.75 for an arbitrary pair up to 0.9 for a typical confusion (``PlateConfusion``) |
/// | two neighbours transposed | 0.8 |
/// | one character dropped or extra | 0.7 |
/// | same serial, another region | 0.6 |
///
/// An edit found only once the region is left out scores 0.98 of the above. Two or more differences
/// never match. Plates are compared on their canonical forms, and on their serials when the region
/// is written on one side only (or is the same on both).
public enum PlateMatcher {
    /// The score from which a match raises an alert, by default.
    public static let defaultThreshold = 0.8

    /// Compares a reading with a listed plate.
    ///
    /// - Returns: the best match, or nil when they differ by more than one character.
    public static func match(_ reading: PlateReading, _ listed: PlateReading) -> PlateMatch? {
        let folded = reading.hasFoldedLetters != listed.hasFoldedLetters
        if reading.canonical == listed.canonical {
            if reading.literal == listed.literal {
                return make(.exact, 1, reading, listed, folded: false, regionIgnored: false, "the same plate")
            }
            return make(
                .lookAlike,
                0.99,
                reading,
                listed,
                folded: true,
                regionIgnored: false,
                "the same plate, Cyrillic and Latin look-alike letters taken as one"
            )
        }
        let regionsAgree = reading.region == nil || listed.region == nil || reading.region == listed.region
        if let spoken = transliteration(reading, listed, regionsAgree: regionsAgree) { return spoken }
        var best = edit(reading.canonicalScalars, listed.canonicalScalars, reading, listed, folded, false)
        if regionsAgree {
            if reading.serial == listed.serial {
                let note = regionNote(reading, listed)
                return make(
                    .withoutRegion,
                    folded ? 0.94 : 0.95,
                    reading,
                    listed,
                    folded: folded,
                    regionIgnored: true,
                    "the same plate; \(note)" + (folded ? "; look-alike letters taken as one" : "")
                )
            }
            if let serialEdit = edit(reading.serialScalars, listed.serialScalars, reading, listed, folded, true),
                serialEdit.score > best?.score ?? 0
            {
                best = serialEdit
            }
        } else if reading.serial == listed.serial, (best?.score ?? 0) < 0.6 {
            best = make(
                .otherRegion,
                0.6,
                reading,
                listed,
                folded: folded,
                regionIgnored: false,
                "the same number \(listed.serial) but region \(reading.region ?? "") instead of \(listed.region ?? ""): "
                    + "likely another vehicle"
            )
        }
        return best
    }

    /// The same plate once one side's Cyrillic letters are written by sound (`1164 АВ 01` as `1164 AV 01`).
    private static func transliteration(
        _ reading: PlateReading,
        _ listed: PlateReading,
        regionsAgree: Bool
    ) -> PlateMatch? {
        let whole =
            listed.spokenScalars == reading.canonicalScalars || reading.spokenScalars == listed.canonicalScalars
        let serial =
            !whole && regionsAgree && (reading.region == nil) != (listed.region == nil)
            && (listed.spokenSerialScalars == reading.serialScalars
                || reading.spokenSerialScalars == listed.serialScalars)
        guard whole || serial else { return nil }
        let cyrillic = listed.spokenScalars != nil ? listed : reading
        let letters = cyrillic.literal.unicodeScalars.compactMap { letter in
            PlateCharacters.spoken[letter].map { "\(letter) as \($0)" }
        }
        var summary = "the same plate, its Cyrillic letters written by sound (\(letters.joined(separator: ", ")))"
        if serial { summary += "; \(regionNote(reading, listed))" }
        return make(
            .transliterated,
            serial ? 0.93 : 0.97,
            reading,
            listed,
            folded: false,
            regionIgnored: serial,
            summary
        )
    }

    private static func regionNote(_ reading: PlateReading, _ listed: PlateReading) -> String {
        if let region = listed.region, reading.region == nil { return "region \(region) not written" }
        if let region = reading.region, listed.region == nil {
            return "the listed plate has no region (\(region) read)"
        }
        return "region compared apart"
    }

    private static func edit(
        _ read: [Unicode.Scalar],
        _ listed: [Unicode.Scalar],
        _ reading: PlateReading,
        _ listedPlate: PlateReading,
        _ folded: Bool,
        _ regionIgnored: Bool
    ) -> PlateMatch? {
        let factor = (regionIgnored ? 0.98 : 1) * (folded ? 0.99 : 1)
        let suffix =
            (regionIgnored ? "; \(regionNote(reading, listedPlate))" : "")
            + (folded ? "; look-alike letters taken as one" : "")
        func build(
            _ rule: PlateMatch.Rule,
            _ base: Double,
            _ position: Int,
            listedCharacter: Unicode.Scalar?,
            readCharacter: Unicode.Scalar?,
            confusion: Double? = nil,
            _ text: String
        ) -> PlateMatch {
            PlateMatch(
                rule: rule,
                score: base * factor,
                comparedReading: String(String.UnicodeScalarView(read)),
                comparedListed: String(String.UnicodeScalarView(listed)),
                position: position + 1,
                listedCharacter: listedCharacter.map { String($0) },
                readCharacter: readCharacter.map { String($0) },
                confusion: confusion,
                isRegionIgnored: regionIgnored,
                isLookAlikeFolded: folded,
                summary: text + suffix
            )
        }
        if read.count == listed.count {
            var first = -1
            var second = -1
            for i in 0..<read.count where read[i] != listed[i] {
                if first < 0 {
                    first = i
                } else if second < 0 {
                    second = i
                } else {
                    return nil
                }
            }
            guard first >= 0 else { return nil }
            if second < 0 {
                let weight = PlateConfusion.weight(listed[first], readAs: read[first])
                let kind = weight >= 0.8 ? " (a typical confusion)" : weight > 0 ? " (a possible confusion)" : ""
                return build(
                    .misread,
                    0.75 + 0.15 * weight,
                    first,
                    listedCharacter: listed[first],
                    readCharacter: read[first],
                    confusion: weight,
                    "one character misread at position \(first + 1): '\(listed[first])' read as '\(read[first])'\(kind)"
                )
            }
            if second == first + 1, read[first] == listed[second], read[second] == listed[first] {
                return build(
                    .transposed,
                    0.8,
                    first,
                    listedCharacter: listed[first],
                    readCharacter: read[first],
                    "characters \(first + 1) and \(second + 1) swapped: '\(listed[first])\(listed[second])' read as "
                        + "'\(read[first])\(read[second])'"
                )
            }
            return nil
        }
        if read.count + 1 == listed.count, let i = deletion(from: listed, giving: read) {
            return build(
                .dropped,
                0.7,
                i,
                listedCharacter: listed[i],
                readCharacter: nil,
                "character '\(listed[i])' at position \(i + 1) missing from the reading"
            )
        }
        if read.count == listed.count + 1, let i = deletion(from: read, giving: listed) {
            return build(
                .extra,
                0.7,
                i,
                listedCharacter: nil,
                readCharacter: read[i],
                "an extra character '\(read[i])' read at position \(i + 1)"
            )
        }
        return nil
    }

    /// The first index whose removal from `longer` gives `shorter`, if any.
    private static func deletion(from longer: [Unicode.Scalar], giving shorter: [Unicode.Scalar]) -> Int? {
        var i = 0
        while i < shorter.count, longer[i] == shorter[i] { i += 1 }
        var j = i
        while j < shorter.count, longer[j + 1] == shorter[j] { j += 1 }
        return j == shorter.count ? i : nil
    }

    private static func make(
        _ rule: PlateMatch.Rule,
        _ score: Double,
        _ reading: PlateReading,
        _ listed: PlateReading,
        folded: Bool,
        regionIgnored: Bool,
        _ summary: String
    ) -> PlateMatch {
        PlateMatch(
            rule: rule,
            score: score,
            comparedReading: regionIgnored ? reading.serial : reading.canonical,
            comparedListed: regionIgnored ? listed.serial : listed.canonical,
            position: nil,
            listedCharacter: nil,
            readCharacter: nil,
            confusion: nil,
            isRegionIgnored: regionIgnored,
            isLookAlikeFolded: folded,
            summary: summary
        )
    }
}

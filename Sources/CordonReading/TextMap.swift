/// Where each scalar of text taken out of markup came from in the source, so that a mention found in
/// the text can be given as offsets of the document as it was given.
struct TextMap: Sendable {
    /// A stretch of text and the stretch of source it came from: equal lengths for text copied as it
    /// was, unequal for a decoded reference (`&amp;`) or an inserted break (no source at all).
    struct Segment: Sendable {
        var text: Int
        var source: Int
        var textLength: Int
        var sourceLength: Int
    }

    private(set) var segments: [Segment] = []

    mutating func append(text: Int, source: Int, textLength: Int, sourceLength: Int) {
        guard textLength > 0 else { return }
        if var last = segments.last, last.textLength == last.sourceLength, textLength == sourceLength,
            last.text + last.textLength == text, last.source + last.sourceLength == source
        {
            last.textLength += textLength
            last.sourceLength += sourceLength
            segments[segments.count - 1] = last
            return
        }
        segments.append(Segment(text: text, source: source, textLength: textLength, sourceLength: sourceLength))
    }

    private func segment(containing offset: Int) -> Segment? {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].text + segments[middle].textLength <= offset { low = middle + 1 } else { high = middle }
        }
        return low < segments.count ? segments[low] : segments.last
    }

    /// The source offset of the scalar at `offset` in the text.
    func source(ofStart offset: Int) -> Int {
        guard let segment = segment(containing: offset) else { return offset }
        guard segment.textLength == segment.sourceLength else { return segment.source }
        return segment.source + min(offset - segment.text, segment.sourceLength)
    }

    /// The source offset just after the scalar before `offset` in the text.
    func source(ofEnd offset: Int) -> Int {
        guard offset > 0, let segment = segment(containing: offset - 1) else { return offset }
        guard segment.textLength == segment.sourceLength else { return segment.source + segment.sourceLength }
        return segment.source + min(offset - segment.text, segment.sourceLength)
    }
}

/// Text being taken out of markup: UTF-8 bytes and the map back to the source.
struct TextBuilder {
    var bytes: [UInt8] = []
    var map = TextMap()
    private(set) var scalars = 0

    /// Appends source bytes copied as they are, starting at scalar `source` of the source.
    mutating func literal(_ slice: ArraySlice<UInt8>, source: Int) {
        let count = slice.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        bytes.append(contentsOf: slice)
        map.append(text: scalars, source: source, textLength: count, sourceLength: count)
        scalars += count
    }

    /// Appends one decoded scalar standing for `sourceLength` scalars of source.
    mutating func scalar(_ scalar: Unicode.Scalar, source: Int, sourceLength: Int) {
        bytes.append(contentsOf: String(scalar).utf8)
        map.append(text: scalars, source: source, textLength: 1, sourceLength: sourceLength)
        scalars += 1
    }

    /// Appends a break the source does not have (between paragraphs, items), unless one is there.
    mutating func paragraph(at source: Int) {
        guard !bytes.isEmpty, !bytes.suffix(2).elementsEqual([0x0A, 0x0A]) else { return }
        let needed: [UInt8] = bytes.last == 0x0A ? [0x0A] : [0x0A, 0x0A]
        bytes.append(contentsOf: needed)
        map.append(text: scalars, source: source, textLength: needed.count, sourceLength: 0)
        scalars += needed.count
    }

    /// Appends a line break the source does not have (`<br>`).
    mutating func lineBreak(at source: Int) {
        guard !bytes.isEmpty, bytes.last != 0x0A else { return }
        bytes.append(0x0A)
        map.append(text: scalars, source: source, textLength: 1, sourceLength: 0)
        scalars += 1
    }
}

/// Scalar offsets of byte offsets of UTF-8 text, counted forward as they are asked for.
struct ScalarCounter {
    let bytes: [UInt8]
    private var byte = 0
    private var scalar = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func scalar(at offset: Int) -> Int {
        if offset < byte {
            byte = 0
            scalar = 0
        }
        while byte < offset && byte < bytes.count {
            if bytes[byte] & 0xC0 != 0x80 { scalar += 1 }
            byte += 1
        }
        return scalar
    }
}

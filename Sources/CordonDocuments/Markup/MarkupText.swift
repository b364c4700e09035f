/// Decodes the character data of markup: character references (`&#1052;`, `&#x41C;`) and the entities
/// of its dialect (XML's five; HTML's common named ones).
///
/// XML is strict: a reference that is unknown, malformed or names no Unicode scalar is a failure. HTML
/// is read as browsers do: an `&` that starts no known reference stays an `&`.
public enum MarkupText {
    /// A run of decoded text: either bytes copied from the source, or one decoded reference.
    public enum Piece: Sendable, Equatable {
        /// Source bytes copied as they are.
        case literal(Range<Int>)
        /// A reference (`source` is the bytes from `&` to `;`) and the scalar it stands for.
        case reference(source: Range<Int>, scalar: Unicode.Scalar)
    }

    /// A reference that breaks XML's rules.
    public struct Failure: Error, Sendable {
        /// What is wrong.
        public var message: String
    }

    /// The text of `bytes` with its references decoded.
    public static func decode(_ bytes: ArraySlice<UInt8>, dialect: MarkupScanner.Dialect) throws(Failure) -> String {
        guard bytes.contains(Byte.ampersand) else { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        try pieces(of: bytes, dialect: dialect) { piece in
            switch piece {
            case .literal(let range):
                scalars.append(contentsOf: String(decoding: bytes[range], as: UTF8.self).unicodeScalars)
            case .reference(_, let scalar): scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Calls `body` with the pieces of `bytes` in order: literal runs and decoded references.
    public static func pieces(
        of bytes: ArraySlice<UInt8>,
        dialect: MarkupScanner.Dialect,
        _ body: (Piece) -> Void
    ) throws(Failure) {
        var runStart = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes[index] == Byte.ampersand else {
                index += 1
                continue
            }
            guard let (scalar, end) = try reference(in: bytes, at: index, dialect: dialect) else {
                index += 1
                continue
            }
            if runStart < index { body(.literal(runStart..<index)) }
            body(.reference(source: index..<end, scalar: scalar))
            index = end
            runStart = end
        }
        if runStart < bytes.endIndex { body(.literal(runStart..<bytes.endIndex)) }
    }

    /// The reference starting at `start` (an `&`) and the index after its `;`; `nil` for an HTML `&`
    /// that opens none.
    private static func reference(
        in bytes: ArraySlice<UInt8>,
        at start: Int,
        dialect: MarkupScanner.Dialect
    ) throws(Failure) -> (Unicode.Scalar, Int)? {
        let limit = min(bytes.endIndex, start + 40)
        guard let semicolon = bytes[start..<limit].firstIndex(of: Byte.semicolon), semicolon > start + 1 else {
            if dialect == .xml { throw Failure(message: "an '&' starts no reference (write &amp;)") }
            return nil
        }
        let body = bytes[(start + 1)..<semicolon]
        let name = String(decoding: body, as: UTF8.self)
        if body.first == Byte.hash {
            let hex = body.dropFirst().first.map { $0 | 0x20 == UInt8(ascii: "x") } ?? false
            let digits = String(decoding: body.dropFirst(hex ? 2 : 1), as: UTF8.self)
            guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: hex ? 16 : 10),
                let scalar = Unicode.Scalar(value), value != 0
            else {
                if dialect == .xml { throw Failure(message: "'&\(name);' names no character") }
                return nil
            }
            return (scalar, semicolon + 1)
        }
        let table = dialect == .xml ? xmlEntities : htmlEntities
        guard let scalar = table[name] else {
            if dialect == .xml { throw Failure(message: "'&\(name);' is not one of XML's five entities") }
            return nil
        }
        return (scalar, semicolon + 1)
    }

    static let xmlEntities: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
    ]

    /// The named references reports and feeds use; others stay as written.
    static let htmlEntities: [String: Unicode.Scalar] = xmlEntities.merging(
        [
            "nbsp": "\u{A0}", "shy": "\u{AD}", "laquo": "«", "raquo": "»", "lsquo": "‘", "rsquo": "’",
            "sbquo": "‚", "ldquo": "“", "rdquo": "”", "bdquo": "„", "ndash": "–", "mdash": "—", "hellip": "…",
            "middot": "·", "bull": "•", "copy": "©", "reg": "®", "trade": "™", "deg": "°", "numero": "№",
            "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}", "zwnj": "\u{200C}", "zwj": "\u{200D}",
            "lrm": "\u{200E}", "rlm": "\u{200F}", "prime": "′", "Prime": "″", "times": "×", "euro": "€",
            "sect": "§", "para": "¶", "iexcl": "¡", "iquest": "¿", "acute": "´", "uml": "¨",
            "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Auml": "Ä", "agrave": "à", "aacute": "á", "acirc": "â",
            "auml": "ä", "Eacute": "É", "eacute": "é", "egrave": "è", "ecirc": "ê", "euml": "ë", "iacute": "í",
            "icirc": "î", "iuml": "ï", "Ouml": "Ö", "ouml": "ö", "oacute": "ó", "ocirc": "ô", "Uuml": "Ü",
            "uuml": "ü", "uacute": "ú", "ucirc": "û", "ccedil": "ç", "Ccedil": "Ç", "ntilde": "ñ", "szlig": "ß",
        ]
    ) { first, _ in first }
}

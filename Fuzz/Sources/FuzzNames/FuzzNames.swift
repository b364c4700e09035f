import CordonMatch
import FuzzSupport

/// Name normalisation: the input is a name as a query or a list writes it, in any script, normalised by
/// `NameNormalizer.parts(of:)` as the index and every query are.
///
/// Invariants: at most `maximumParts` parts, each romanised to ASCII letters and digits (lower case, but
/// for the key-form capitals Arabic-script letters give) with an ASCII key and skeleton; the fast path
/// (ASCII, Cyrillic and Arabic only) gives what the general path gives for the same name; the romanised
/// parts of a name without Arabic script, normalised again, are the same parts.
let normalizer = NameNormalizer()

func isASCIIWord(_ text: String, capitals: Bool) -> Bool {
    text.utf8.allSatisfy {
        (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || (capitals && (0x41...0x5A).contains($0))
    }
}

/// Whether a part holds Arabic-script letters (after NFKC, the base block and its supplements).
func hasArabic(_ part: NamePart) -> Bool {
    part.text.unicodeScalars.contains { (0x600...0x6FF).contains($0.value) || (0x750...0x77F).contains($0.value) }
}

func shape(_ parts: [NamePart]) -> [String] {
    parts.map { "\($0.latin)/\($0.key)/\($0.skeleton)/\($0.script)" }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzNames(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let name = text(start, count)
    let parts = normalizer.parts(of: name)
    invariant(parts.count <= NameNormalizer.maximumParts, "\(parts.count) parts")
    for part in parts {
        let romanised = isASCIIWord(part.latin, capitals: hasArabic(part))
        invariant(!part.latin.isEmpty && romanised, "part '\(part.latin)' of '\(part.text)'")
        invariant(part.key.utf8.allSatisfy { $0 < 0x80 }, "key '\(part.key)' of '\(part.text)'")
        invariant(part.skeleton.utf8.allSatisfy { $0 < 0x80 }, "skeleton '\(part.skeleton)' of '\(part.text)'")
    }
    // An ideographic space is read only by the general path; at the end of a name it only ends a word.
    if name.unicodeScalars.count < NameNormalizer.maximumScalars {
        let general = normalizer.parts(of: name + "\u{3000}")
        invariant(shape(general) == shape(parts), "the general path reads otherwise: \(shape(general)) \(shape(parts))")
    }
    let latin = parts.map(\.latin).joined(separator: " ")
    if latin.unicodeScalars.count <= NameNormalizer.maximumScalars, !parts.contains(where: hasArabic) {
        let again = normalizer.parts(of: latin)
        invariant(again.map(\.latin) == parts.map(\.latin), "'\(latin)' normalises to \(again.map(\.latin))")
    }
    return 0
}

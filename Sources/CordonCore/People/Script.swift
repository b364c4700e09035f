/// The writing systems Cordon tells apart in names.
public enum Script: String, CodedEnum, Comparable {
    case latin
    case cyrillic
    case arabic
    case other

    /// The scripts of the letters in `text`, ignoring digits, spaces and punctuation.
    public static func scripts(of text: String) -> Set<Script> {
        var found = Set<Script>()
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            found.insert(script(of: scalar))
        }
        return found
    }

    /// The script of one letter.
    public static func script(of scalar: Unicode.Scalar) -> Script {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF, 0x2BB, 0x2BC: return .latin
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return .cyrillic
        case 0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
        default: return .other
        }
    }

    public static func < (lhs: Script, rhs: Script) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How likely one plate character is misread as another, by eye or by a camera.
///
/// Typical confusions weigh 1 (0/O/D/Q, 1/I, 8/B, 5/S, 2/Z, 6/G, Cyrillic Д and Latin D), near
/// confusions less (1/7, 4/A, 3/8, 7/T, M/N, …); any other pair weighs 0. The table is symmetric.
public enum PlateConfusion {
    /// The pairs and their weights.
    public static let pairs: [(Unicode.Scalar, Unicode.Scalar, Double)] = [
        ("0", "O", 1), ("0", "D", 1), ("O", "D", 1), ("0", "Q", 0.8), ("O", "Q", 0.8), ("D", "Д", 1),
        ("1", "I", 1), ("1", "7", 0.8), ("1", "L", 0.6), ("1", "T", 0.5), ("I", "L", 0.6), ("I", "T", 0.5),
        ("8", "B", 1), ("5", "S", 1), ("2", "Z", 1), ("6", "G", 0.8), ("4", "A", 0.6), ("4", "Ч", 0.8),
        ("3", "8", 0.6), ("3", "B", 0.6), ("6", "8", 0.5), ("6", "B", 0.5), ("9", "G", 0.5), ("7", "T", 0.6),
        ("7", "Z", 0.5), ("M", "N", 0.7), ("H", "N", 0.6), ("H", "M", 0.5), ("U", "V", 0.7), ("V", "Y", 0.6),
        ("K", "X", 0.6), ("P", "R", 0.7), ("E", "F", 0.7), ("C", "G", 0.6), ("C", "O", 0.5), ("B", "E", 0.5),
        ("Ж", "X", 0.5), ("П", "N", 0.5), ("Л", "N", 0.4), ("И", "N", 0.6), ("Г", "T", 0.5),
    ]

    private static let table: [UInt64: Double] = {
        var table: [UInt64: Double] = [:]
        for (a, b, weight) in pairs {
            table[key(a, b)] = weight
            table[key(b, a)] = weight
        }
        return table
    }()

    private static func key(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> UInt64 {
        UInt64(a.value) << 32 | UInt64(b.value)
    }

    /// The weight of reading `listed` as `read`: 1 for a typical confusion, 0 for an arbitrary one.
    public static func weight(_ listed: Unicode.Scalar, readAs read: Unicode.Scalar) -> Double {
        table[key(listed, read)] ?? 0
    }
}

/// A weighted Damerau–Levenshtein distance on phonetic keys.
///
/// Substitutions between vowels and between sounds that romanisations confuse cost less than other
/// edits; a vowel inserted or dropped costs less than a consonant.
enum EditDistance {
    static let maxLength = 40

    static func substitutionCost(_ a: UInt8, _ b: UInt8, typed: Bool = false) -> Double {
        if a == b { return 0 }
        let va = PhoneticKey.isVowel(a)
        let vb = PhoneticKey.isVowel(b)
        if va && vb { return 0.45 }
        switch (min(a, b), max(a, b)) {
        case (0x4A, 0x69),  // J / i (j as y)
            (0x67, 0x68),  // g / h (Ukrainian г)
            (0x68, 0x6B),  // h / k (x, kh)
            (0x73, 0x7A),  // s / z
            (0x64, 0x7A),  // d / z (Arabic ض ذ)
            (0x73, 0x74),  // s / t (Arabic ث)
            (0x62, 0x76),  // b / v
            (0x62, 0x70),  // b / p
            (0x66, 0x70),  // f / p
            (0x4A, 0x67),  // J / g (Arabic ج in Egyptian romanisation)
            (0x63, 0x73),  // c / s
            (0x43, 0x53),  // ch / sh
            (0x4A, 0x7A),  // J / z
            (0x64, 0x74):  // d / t
            return 0.5
        default:
            // Neighbouring keys on a Latin keyboard: a slip of the finger, not another name.
            return typed && Keyboard.areNeighbours(a, b) ? 0.6 : 1
        }
    }

    static func indelCost(_ c: UInt8) -> Double {
        PhoneticKey.isVowel(c) ? 0.55 : (c == 0x68 ? 0.6 : 1)
    }

    /// Substitution costs for all byte pairs below 128, computed once; and the same for typed text,
    /// where neighbouring keys cost less.
    static let substitutionTable = table(typed: false)
    static let typedSubstitutionTable = table(typed: true)

    private static func table(typed: Bool) -> [Float] {
        var t = [Float](repeating: 1, count: 128 * 128)
        for a in 0..<128 {
            for b in 0..<128 { t[a * 128 + b] = Float(substitutionCost(UInt8(a), UInt8(b), typed: typed)) }
        }
        return t
    }

    /// Insertion/deletion costs for bytes below 128.
    static let indelTable: [Float] = (0..<128).map { Float(indelCost(UInt8($0))) }

    static func weighted(_ a: String, _ b: String, typed: Bool = false) -> Double {
        var a = a
        var b = b
        return a.withUTF8 { pa in b.withUTF8 { pb in weighted(pa, pb, typed: typed) } }
    }

    /// The distance, or any value above `limit` as soon as the distance is known to exceed it.
    static func weighted(
        _ a: UnsafeBufferPointer<UInt8>,
        _ b: UnsafeBufferPointer<UInt8>,
        limit: Double = .infinity,
        typed: Bool = false
    ) -> Double {
        let n = min(a.count, maxLength)
        let m = min(b.count, maxLength)
        let sub = typed ? typedSubstitutionTable : substitutionTable
        let indel = indelTable
        return sub.withUnsafeBufferPointer { sub in
            indel.withUnsafeBufferPointer { indel in
                @inline(__always) func del(_ c: UInt8) -> Float { indel[Int(c & 127)] }
                if n == 0 { return Double((0..<m).reduce(Float(0)) { $0 + del(b[$1]) }) }
                if m == 0 { return Double((0..<n).reduce(Float(0)) { $0 + del(a[$1]) }) }
                let width = m + 1
                let cap = Float(limit)
                return withUnsafeTemporaryAllocation(of: Float.self, capacity: (n + 1) * width) { d in
                    d[0] = 0
                    for j in 1...m { d[j] = d[j - 1] + del(b[j - 1]) }
                    for i in 1...n {
                        let ai = a[i - 1]
                        let rowCost = Int(ai & 127) * 128
                        let row = i * width
                        d[row] = d[row - width] + del(ai)
                        var rowMin = d[row]
                        for j in 1...m {
                            let bj = b[j - 1]
                            var v = d[row - width + j - 1] + sub[rowCost + Int(bj & 127)]
                            let x = d[row - width + j] + del(ai)
                            if x < v { v = x }
                            let y = d[row + j - 1] + del(bj)
                            if y < v { v = y }
                            if i > 1, j > 1, ai == b[j - 2], a[i - 2] == bj, ai != bj {
                                let t = d[row - 2 * width + j - 2] + 0.8
                                if t < v { v = t }
                            }
                            d[row + j] = v
                            if v < rowMin { rowMin = v }
                        }
                        if rowMin > cap + 0.9 { return Double(rowMin) }
                    }
                    return Double(d[n * width + m])
                }
            }
        }
    }
}

/// Which letters sit side by side on a QWERTY keyboard, where names are typed at a desk or checkpoint.
enum Keyboard {
    private static let rows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"].map { Array($0.utf8) }

    /// For each lower-case letter, a bit per letter beside it in its row or diagonally in the next.
    private static let neighbours: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 26)
        func bit(_ c: UInt8) -> UInt32 { 1 << UInt32(c - 0x61) }
        for (r, row) in rows.enumerated() {
            for (i, c) in row.enumerated() {
                var mask: UInt32 = 0
                if i > 0 { mask |= bit(row[i - 1]) }
                if i + 1 < row.count { mask |= bit(row[i + 1]) }
                // The row below is set half a key to the right: keys i-1 and i of it touch key i.
                if r + 1 < rows.count {
                    let below = rows[r + 1]
                    for j in [i - 1, i] where j >= 0 && j < below.count { mask |= bit(below[j]) }
                }
                if r > 0 {
                    let above = rows[r - 1]
                    for j in [i, i + 1] where j < above.count { mask |= bit(above[j]) }
                }
                table[Int(c - 0x61)] |= mask
            }
        }
        return table
    }()

    static func areNeighbours(_ a: UInt8, _ b: UInt8) -> Bool {
        guard (0x61...0x7A).contains(a), (0x61...0x7A).contains(b) else { return false }
        return neighbours[Int(a - 0x61)] & (1 << UInt32(b - 0x61)) != 0
    }
}

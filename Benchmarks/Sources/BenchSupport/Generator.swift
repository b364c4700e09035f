// Deterministic synthetic material shared by the benchmark tools.

/// A deterministic generator (SplitMix64).
public struct Generator: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    public mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
    public mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
}

/// Name material written for the generator (not taken from any list).
public enum Syllables {
    public static let onsets = [
        "b", "d", "f", "g", "h", "j", "k", "kh", "l", "m", "n", "p", "q", "r", "s", "sh", "t", "v", "z", "zh",
        "ch", "y", "",
    ]
    public static let vowels = ["a", "o", "u", "i", "e", "a", "o"]
    public static let codas = ["", "", "n", "r", "m", "l", "d", "t", "s", "k", "b", "z"]
    public static let givenNames = [
        "Abdullo", "Farrukh", "Jamshed", "Rustam", "Dilshod", "Bahodur", "Sherali", "Umed", "Firdavs", "Anvar",
        "Akmal", "Bakhtiyor", "Davron", "Ilhom", "Komil", "Mansur", "Nodir", "Olim", "Parviz", "Rahmon", "Sadriddin",
        "Tohir", "Ulugbek", "Zafar", "Ivan", "Sergei", "Aleksandr", "Dmitriy", "Mikhail", "Nikolai", "Yuriy",
        "Vladimir", "Pavel", "Andrei", "Muhammad", "Ahmad", "Abdulaziz", "Hasan", "Husayn", "Ibrahim", "Yusuf",
        "Nigora", "Malika", "Zarina", "Olga", "Elena", "Tatiana", "Madina", "Gulnora", "Shahnoza",
    ]
    public static let surnameRoots = [
        "Ziyo", "Nazar", "Rahim", "Karim", "Sharip", "Yusup", "Hakim", "Sodiq", "Qodir", "Nabi", "Rasul", "Ismoil",
        "Mirzo", "Safar", "Davlat", "Ivan", "Petr", "Sidor", "Kuznets", "Volk", "Orl", "Sokol", "Beloz", "Gromy",
    ]
    public static let cyrillic: [(String, String)] = [
        ("shch", "щ"), ("kh", "х"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("ts", "ц"), ("yu", "ю"), ("ya", "я"),
        ("yo", "ё"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
        ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
        ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "ҳ"), ("j", "ҷ"), ("q", "қ"),
    ]

    public static func word(_ g: inout Generator, syllables: Int) -> String {
        var s = ""
        for _ in 0..<syllables { s += g.pick(onsets) + g.pick(vowels) + g.pick(codas) }
        return s.prefix(1).uppercased() + s.dropFirst()
    }

    public static func toCyrillic(_ latin: String) -> String {
        var s = Substring(latin.lowercased())
        var out = ""
        outer: while !s.isEmpty {
            for (l, c) in cyrillic where s.hasPrefix(l) {
                out += c
                s = s.dropFirst(l.count)
                continue outer
            }
            out += String(s.removeFirst())
        }
        return out.prefix(1).uppercased() + out.dropFirst()
    }
}

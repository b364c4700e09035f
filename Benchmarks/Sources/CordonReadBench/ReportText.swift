import BenchSupport
import CordonMatch

/// Synthetic reports: sentences of common Russian, English, Tajik and Uzbek words (written for the
/// benchmark), words made of syllables in lower case and in capitals (a large vocabulary, as real text
/// has), numbers, and now and then a listed person's name — as listed, in Cyrillic, inflected, or with
/// the given name first.
enum ReportText {
    nonisolated(unsafe) static var planted = 0

    static let common = """
        и в не на что он с как по это из но за у от к о все так его же было она вы мы для был они бы \
        мне есть уже когда только ещё сказал может при быть если или нет полиция район город границы \
        вчера сегодня после около было двое мужчин машина дорога видели сообщили задержан поиск \
        the of and to in a is that for on was with he as it by at from his an were are which this be \
        police said border road city men car seen reported yesterday today after near two search wanted \
        ва дар бо аз ки ин он як ба мо шаҳр роҳ мошин дидаанд полис гуфт имрӯз дирӯз марзи ноҳия \
        va bilan uchun bu u ham edi shahar yo'l mashina militsiya kecha bugun xabar qidiruv chegarasi
        """.split(separator: " ").map(String.init)

    static func generate(bytes target: Int, entries: [WatchlistEntry], _ g: inout Generator) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(target + 1024)
        let persons = entries.filter { $0.kind == .person }
        var sentence = 0
        while out.count < target {
            let length = 8 + g.int(11)
            var words: [String] = []
            for _ in 0..<length {
                let roll = g.int(100)
                switch roll {
                case 0..<68:
                    // Zipf-like: early words of the list far more often.
                    let k = g.int(common.count)
                    words.append(common[g.int(k + 1)])
                case 68..<88:
                    let word = Syllables.word(&g, syllables: 1 + g.int(3)).lowercased()
                    words.append(g.chance(0.5) ? Syllables.toCyrillic(word).lowercased() : word)
                case 88..<96:
                    let word = Syllables.word(&g, syllables: 2 + g.int(2))
                    words.append(g.chance(0.5) ? Syllables.toCyrillic(word) : word)
                default:
                    words.append(String(g.int(3000)))
                }
            }
            if g.chance(0.03), let person = persons.isEmpty ? nil : persons[g.int(persons.count)] {
                planted += 1
                words.insert(spelling(of: person, &g), at: g.int(words.count))
            }
            var line = words.joined(separator: " ")
            line = line.prefix(1).uppercased() + line.dropFirst() + "."
            sentence += 1
            line += sentence % 7 == 0 ? "\n\n" : " "
            out.append(contentsOf: line.utf8)
        }
        return out
    }

    static func spelling(of person: WatchlistEntry, _ g: inout Generator) -> String {
        let parts = person.name.split(separator: " ").map(String.init)
        switch g.int(4) {
        case 0: return person.name
        case 1: return person.aliases.first ?? person.name
        case 2: return parts.reversed().joined(separator: " ")
        default:
            let cyrillic = Syllables.toCyrillic(person.name)
            return cyrillic.split(separator: " ").map { String($0) + (g.chance(0.5) ? "ым" : "а") }
                .joined(separator: " ")
        }
    }
}

/// Short forms and nicknames of given names common in the region (Russian diminutives, Central
/// Asian and Arabic short forms), written from general knowledge, compared by phonetic key.
enum Nicknames {
    static let groups: [[String]] = [
        ["aleksandr", "sasha", "sanya", "shura", "alexander", "alek"],
        ["aleksandra", "sasha", "shura"],
        ["aleksei", "alyosha", "lyosha", "alexey"],
        ["anatoli", "tolya", "tolik"],
        ["andrei", "andryusha", "andrey"],
        ["boris", "borya"],
        ["vladimir", "volodya", "vova", "vovka"],
        ["vyacheslav", "slava"],
        ["stanislav", "stas", "slava"],
        ["yaroslav", "slava"],
        ["grigori", "grisha"],
        ["dmitri", "dima", "mitya"],
        ["yevgeni", "zhenya"],
        ["yevgenia", "zhenya"],
        ["ivan", "vanya"],
        ["konstantin", "kostya"],
        ["mikhail", "misha"],
        ["nikolai", "kolya"],
        ["pavel", "pasha"],
        ["pyotr", "petya"],
        ["sergei", "seryozha", "serezha"],
        ["viktor", "vitya"],
        ["yuri", "yura"],
        ["ekaterina", "katya"],
        ["elena", "lena"],
        ["maria", "masha"],
        ["natalia", "natasha"],
        ["olga", "olya"],
        ["tatiana", "tanya"],
        ["anastasia", "nastya"],
        ["svetlana", "sveta"],
        ["lyudmila", "lyuda", "mila"],
        ["valentina", "valya"],
        ["galina", "galya"],
        ["irina", "ira"],
        ["nadezhda", "nadya"],
        ["ludmila", "lyuda"],
        ["muhammad", "mohammed", "mohamed", "mukhammad", "mamad", "mohd", "md", "mehmet", "magomed", "mahomed"],
        ["ahmad", "ahmed", "akhmed", "ahmet"],
        ["yusuf", "yusup", "iosif", "joseph", "yosef"],
        ["ibrahim", "ibragim", "abraham", "ebrahim"],
        ["ismail", "ismoil", "ismayil"],
        ["sulaiman", "suleiman", "sulejman", "sulaymon", "suleyman"],
        ["yakub", "yaqub", "yakov", "jacob"],
        ["musa", "moussa", "moses"],
        ["isa", "issa", "eesa"],
        ["abdulla", "abdullo", "abdullah"],
        ["husein", "hussein", "husayn", "huseyn", "gusein", "guseyn"],
        ["hasan", "hassan", "khasan", "gasan"],
        ["osman", "usman", "uthman", "usmon"],
        ["umar", "omar", "umarali"],
        ["ali", "aly"],
        ["hikmatullo", "hikmat"],
        ["nurullo", "nur"],
        ["rahmatullo", "rahmat"],
        ["ubaydullo", "ubaid"],
        ["jumaboi", "juma"],
    ]

    static let index: [String: [Int]] = {
        var map: [String: [Int]] = [:]
        for (g, names) in groups.enumerated() {
            for n in names {
                let k = String(decoding: PhoneticKey.key(Array(n.utf8)), as: UTF8.self)
                if map[k]?.contains(g) != true { map[k, default: []].append(g) }
            }
        }
        return map
    }()

    static func areEquivalent(_ a: String, _ b: String) -> Bool {
        guard let ga = index[a], let gb = index[b] else { return false }
        return ga.contains { gb.contains($0) }
    }
}

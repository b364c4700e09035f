import CordonDocuments
import CordonMatch
import Testing

@testable import CordonReading

/// A small list of Cordon's own: two fugitives sharing nothing, one with a patronymic, an organisation
/// named in four languages, a vehicle.
let readingList: [WatchlistEntry] = [
    WatchlistEntry(
        id: "p-mirzoev",
        name: "Мирзоев Абдурасул",
        aliases: ["Abdurasul Mirzoyev", "Mirzoyev Abdurasul"],
        weakAliases: ["Abdurasul"],
        birthDates: [ScreeningDate(year: 1974)!],
        gender: .male
    ),
    WatchlistEntry(id: "p-ziyoev", name: "Зиёев Ҳикмат", aliases: ["Hikmat Ziyoyev"], gender: .male),
    WatchlistEntry(
        id: "p-davlatov",
        name: "Давлатов Хикматулло Саидалиевич",
        aliases: ["Hikmatullo Davlatov"],
        gender: .male
    ),
    WatchlistEntry(id: "p-kholmatov", name: "Холматов Жасур", aliases: ["Kholmatov Jasur"], gender: .male),
    WatchlistEntry(
        id: "org-group",
        kind: .organization,
        name: "Ziyoyev group",
        aliases: ["группа Зиёева", "Ziyoyev's group"]
    ),
    WatchlistEntry(
        id: "org-imu",
        kind: .organization,
        name: "Islamic Movement of Uzbekistan",
        aliases: ["IMU", "ИДУ", "Исламское движение Узбекистана", "O'zbekiston Islomiy Harakati"]
    ),
]

let reader = TextReader(
    index: ScreeningIndex(entries: readingList),
    vehicles: [(id: "veh-vaz", plate: try! PlateReading("4519 АА 01"))]
)

/// The alerting mentions of a text: (entity, words as written).
private func alerts(_ text: String) -> [(String, String)] {
    reader.read(text).mentions.filter(\.alert).map { ($0.entity, $0.text) }
}

private func alerted(_ text: String) -> [String] { alerts(text).map(\.0) }

@Suite struct TextReaderTests {
    @Test(arguments: [
        ("Пограничники ищут Мирзоева Абдурасула.", "Мирзоева Абдурасула"),
        ("Связь с Мирзоевым Абдурасулом установлена.", "Мирзоевым Абдурасулом"),
        ("Сообщение о Абдурасуле Мирзоеве пришло утром.", "Абдурасуле Мирзоеве"),
        ("Допрошены родственники Хикматулло Давлатова.", "Хикматулло Давлатова"),
    ])
    func readsRussianCaseEndings(_ text: String, _ words: String) {
        #expect(alerts(text).map(\.1) == [words], "\(text)")
    }

    @Test(arguments: [
        ("Abdurasul Mirzoyevning akasi ushlandi.", "Abdurasul Mirzoyevning"),
        ("Абдурасул Мирзоевнинг укаси қўлга олинди.", "Абдурасул Мирзоевнинг"),
        ("Ҳикмат Зиёевро дар Ғарм диданд.", "Ҳикмат Зиёевро"),
        ("Hikmat Ziyoyevga xabar berildi.", "Hikmat Ziyoyevga"),
    ])
    func readsUzbekAndTajikSuffixes(_ text: String, _ words: String) {
        #expect(alerts(text).map(\.1) == [words], "\(text)")
    }

    @Test func readsEnglishPossessivesSpellingsAndEitherOrder() {
        #expect(alerted("Abdurasul Mirzoyev's brother was questioned.") == ["p-mirzoev"])
        #expect(alerted("Police named Mirzoev Abdurasul as the driver.") == ["p-mirzoev"])
        #expect(alerted("Hikmat Ziyoev was seen in Gharm.") == ["p-ziyoev"])
    }

    @Test func readsInitialsAndANameBrokenOverALine() {
        let found = reader.read("Witnesses saw\nA. Mirzoyev near the bridge, and Davlatov H. later.").mentions
        #expect(found.first { $0.text == "A. Mirzoyev" }?.entity == "p-mirzoev")
        let broken = alerts("Among them was Hikmatullo\nDavlatov, the driver.")
        #expect(broken.map(\.1) == ["Hikmatullo\nDavlatov"])
    }

    @Test func aLaterSurnameAloneRefersToTheFullNameAndIsMarked() throws {
        let text = "Abdurasul Mirzoyev escaped on Monday. On Tuesday Mirzoyev was seen in Vahdat."
        let mentions = reader.read(text).mentions
        try #require(mentions.count == 2)
        let later = mentions[1]
        #expect(later.text == "Mirzoyev")
        #expect(later.basis == .earlierMention)
        #expect(later.refersTo == 0)
        #expect(later.alert)
        // The same surname with no full name before it does not alert.
        #expect(alerted("On Tuesday Mirzoyev was seen in Vahdat.").isEmpty)
    }

    @Test func aLaterSurnameBesideAnOrganisationsWordStillRefersBack() throws {
        let text = "Ziyoyev group had Jasur Kholmatov. Kholmatov group's best fighter fled; the group hid."
        let mentions = reader.read(text).mentions.filter(\.alert)
        #expect(mentions.map(\.entity) == ["org-group", "p-kholmatov", "p-kholmatov"])
        #expect(mentions.last?.text == "Kholmatov")
        #expect(mentions.last?.basis == .earlierMention)
    }

    @Test func aMentionAlertsAtItsListsThresholdUnlessAStricterOneIsAsked() throws {
        var options = ScreeningIndex.Options()
        options.listThresholds = ["tonight": 0.9]
        var tonight = WatchlistEntry(id: "p-tonight", name: "Kholiqnazarov Zafar Sharifovich Mahmadali")
        tonight.list = "tonight"
        let other = WatchlistEntry(id: "p-other", name: "Nurmatov Bahodir Saidovich Rahmonali")
        let listed = TextReader(index: ScreeningIndex(entries: [tonight, other], options: options))
        let text = "Zafar Kholiqnazarov and Bahodir Nurmatov were seen at the bazaar."
        // Half the name scores about 0.91: over tonight's 0.9, under the default 0.95.
        let mentions = listed.read(text).mentions
        #expect(mentions.map(\.entity) == ["p-tonight", "p-other"])
        #expect(mentions.map(\.alert) == [true, false])
        #expect(mentions.first?.explanation.contains("alert at 0.90") == true, "\(mentions)")
        #expect(listed.read(text, threshold: 0.95).mentions.filter(\.alert).isEmpty)
    }

    @Test func namesOfTheRegionAreReadInPersianScript() throws {
        let text = "به گزارش منابع، عبدالرسول میرزایف و جاسور خالماتوف از زندان گریختند. میرزایف مسلح است."
        let found = reader.read(text).mentions.filter(\.alert)
        #expect(found.map(\.entity) == ["p-mirzoev", "p-kholmatov", "p-mirzoev"])
        #expect(found.last?.text == "میرزایف")
        #expect(found.last?.basis == .earlierMention)
    }

    @Test func aCyrillicPlateWrittenBySoundIsRead() {
        let found = reader.read("Uning raqami 4519 AA 01 edi.").mentions
        #expect(found.map(\.entity) == ["veh-vaz"])
        let spoken = TextReader(
            index: ScreeningIndex(entries: readingList),
            vehicles: [(id: "veh-uaz", plate: try! PlateReading("1164 АВ 01"))]
        ).read("xaki rangli UAZ-469, raqami 1164 AV 01.").mentions
        #expect(spoken.map(\.entity) == ["veh-uaz"])
        #expect(spoken.first?.alert == true)
        #expect(spoken.first?.text == "1164 AV 01")
    }

    @Test func anOfficialSharingTheSurnameDoesNotAlertNorDoesHisLaterSurname() {
        let text = """
            Deputy minister Rustam Mirzoyev said the search goes on. Mirzoyev added that roads are closed.
            """
        #expect(alerted(text).isEmpty)
        // After the fugitive and then the official are named, the surname alone is the official's.
        let both = "Abdurasul Mirzoyev is at large. His brother Rustam Mirzoyev was questioned. Mirzoyev denied it."
        #expect(alerts(both).map(\.1) == ["Abdurasul Mirzoyev"])
    }

    @Test func aGivenNameAloneOrAWordInLowerCaseDoesNotAlert() {
        #expect(alerted("Абдурасул пришёл домой поздно.").isEmpty)
        #expect(alerted("Hikmat said nothing.").isEmpty)
        #expect(alerted("ҳикмат ва донишро омӯзед: hikmat ziyoyev").isEmpty)
    }

    @Test func anAmbiguousFormSaysSo() throws {
        let mention = try #require(
            reader.read("Вчера видели Ҳикмат Зиёеву на рынке, а потом Зиёеву Ҳикмату позвонили.").mentions.first
        )
        #expect(mention.entity == "p-ziyoev")
        let genitive = try #require(reader.read("Ищут родных Зиёева Ҳикмата.").mentions.first)
        #expect(genitive.ambiguity == nil)
        let woman = try #require(reader.read("Допрошена Ҳикмат Зиёева.").mentions.first)
        #expect(woman.ambiguity?.contains("woman") == true)
    }

    @Test(arguments: [
        ("Members of the IMU crossed the border.", "IMU"),
        ("Boyeviki Islamic Movement of Uzbekistan were named.", "Islamic Movement of Uzbekistan"),
        ("Членов Исламского движения Узбекистана задержали.", "Исламского движения Узбекистана"),
        ("Представитель ИДУ отказался.", "ИДУ"),
        ("O'zbekiston Islomiy Harakati a'zolari.", "O'zbekiston Islomiy Harakati"),
    ])
    func readsOrganisationsByNameAndAbbreviation(_ text: String, _ words: String) {
        #expect(alerts(text).map(\.1) == [words], "\(text)")
        #expect(alerted(text) == ["org-imu"])
    }

    @Test func readsPlatesAsPlates() {
        let found = reader.read("A white VAZ, plate 4519 AA 01, was found on the highway.").mentions
        #expect(found.map(\.entity) == ["veh-vaz"])
        #expect(found.first?.text == "4519 AA 01")
        #expect(found.first?.basis == .plate)
    }

    @Test func offsetsCountUnicodeScalarsOfTheTextAsGiven() throws {
        let text = "🙂 Ҳикмат Зиёев сбежал."
        let mention = try #require(reader.read(text).mentions.first)
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[mention.start..<mention.end])) == "Ҳикмат Зиёев")
    }

    @Test func explainsWhichWordMatchedWhichPartByWhatRule() throws {
        let mention = try #require(reader.read("Звонили Мирзоеву Абдурасулу.").mentions.first)
        #expect(mention.words.map(\.read) == ["мирзоев", "абдурасул"])
        #expect(mention.words.first?.ending?.contains("Russian case ending") == true)
        #expect(mention.words.allSatisfy { $0.rule != nil })
        #expect(mention.explanation.contains("«Мирзоеву» read as «мирзоев»"))
    }

    @Test func ranksEntitiesByTheirBestMention() {
        let result = reader.read("IMU fighters and Hikmatullo Davlatov. Davlatov was armed. Hikmat said little.")
        #expect(result.entities.first?.alert == true)
        #expect(result.entities.filter(\.alert).map(\.entity).sorted() == ["org-imu", "p-davlatov"])
        #expect(result.entities.first { $0.entity == "p-davlatov" }?.mentions == 2)
    }

    @Test func initialsMustBeginAPartTheOtherWordsLeftOver() {
        #expect(alerted("Ш. Мирзоев не явился.").isEmpty)
        #expect(alerted("Witnesses saw Kh. Davlatov at the market.") == ["p-davlatov"])
        #expect(alerted("Свидетели видели Х. Давлатова.") == ["p-davlatov"])
        // Another initial: another man of that surname, and his surname alone later is his.
        let text = "Hikmatullo Davlatov fled. Deputy prosecutor S. Davlatov said Davlatov was armed."
        #expect(alerts(text).map(\.1) == ["Hikmatullo Davlatov"])
    }

    @Test func organisationsByTheirOwnFunctionWordsAndUzbekX() {
        #expect(alerted("Members of the Ziyoyev group surrendered.") == ["org-group"])
        #expect(alerted("Задержаны члены группы Зиёева.") == ["org-group"])
        #expect(alerted("Jasur Xolmatov qochib ketdi.") == ["p-kholmatov"])
    }

    @Test func aPlateWithoutItsRegionAndTheLongerReadingOfOne() {
        #expect(reader.read("The car, 4519 AA, was stolen.").mentions.map(\.text) == ["4519 AA"])
        #expect(reader.read("The car, 4519 АА 01, was stolen.").mentions.map(\.text) == ["4519 АА 01"])
        #expect(reader.read("Номер 4519АА01 видели дважды.").mentions.map(\.entity) == ["veh-vaz"])
    }

    @Test func aGivenNameSharedByManyListedPeopleAloneCostsNoScoring() {
        // A list where a thousand people are called Abdurasul: the name alone names none of them.
        let many = (0..<1000).map { WatchlistEntry(id: "p-\($0)", name: "Abdurasul Surname\($0)ov") }
        let crowd = TextReader(index: ScreeningIndex(entries: many))
        #expect(crowd.read("Abdurasul came home. Then Abdurasul left.").mentions.isEmpty)
        #expect(crowd.read("Abdurasul Surname417ov came home.").mentions.filter(\.alert).map(\.entity) == ["p-417"])
    }

    @Test func aNamesakeTheTextDatesApartDoesNotAlert() throws {
        let boy = reader.read("Abdurasul Mirzoyev, 12, won the chess final. Mirzoyev thanked his coach.").mentions
        #expect(boy.filter(\.alert).isEmpty)
        #expect(boy.first?.ambiguity?.contains("age as 12") == true)
        let born = reader.read("Победил Абдурасул Мирзоев (1999 г.р.), ученик школы № 5.").mentions
        #expect(born.filter(\.alert).isEmpty)
        // A prison term is not an age; the listed man's own year agrees.
        #expect(alerted("Абдурасул Мирзоев приговорён к 12 годам.") == ["p-mirzoev"])
        #expect(alerted("Abdurasul Mirzoyev (born 1974) is at large.") == ["p-mirzoev"])
    }
}

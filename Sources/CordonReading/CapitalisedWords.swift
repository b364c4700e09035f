/// Words written with a capital that do not name a person: beside a lone surname they do not make it
/// someone else's full name (`On Tuesday Mirzoyev…`, `Colonel Mirzoyev…`). Lower case, as written.
enum CapitalisedWords {
    static let notNames: Set<String> = [
        // English: days, months, titles and ranks, institutions, nationalities.
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "mr",
        "mrs", "ms", "dr", "sir", "president", "minister", "deputy", "general", "colonel", "major", "captain",
        "lieutenant", "sergeant", "officer", "inspector", "commander", "judge", "prosecutor", "spokesman",
        "spokeswoman", "police", "ministry", "interior", "security", "state", "national", "committee", "court",
        "border", "guard", "guards", "service", "prison", "fugitive", "suspect", "militant", "tajik", "uzbek",
        "russian", "afghan", "kyrgyz", "iranian", "mullah", "mullo", "haji", "sheikh", "imam", "brother", "said",
        // Russian, Tajik, Uzbek: titles and ranks, institutions, nationalities (capitalised at a sentence's
        // start or in headings).
        "господин", "генерал", "полковник", "майор", "капитан", "лейтенант", "сержант", "министр", "замминистра",
        "президент", "судья", "прокурор", "следователь", "боевик", "беглец", "гражданин", "гкнб", "мвд",
        "жаноб", "полковники", "вазир", "раис", "суд", "прокурори", "таджик", "узбек", "тоҷик", "ӯзбек", "janob",
        "polkovnik", "vazir", "rais", "prokuror", "sudya", "mayor", "kapitan", "general", "mulla", "hoji",
    ]
}

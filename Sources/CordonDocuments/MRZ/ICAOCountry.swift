public import CordonCore

/// ICAO Doc 9303 nationality and issuing-state codes, and their ISO 3166-1 alpha-2 equivalents.
///
/// Doc 9303 Part 3 uses the ISO 3166-1 alpha-3 codes, with a few codes of its own: `D` for Germany
/// (written `D<<`), the British `GBD`, `GBN`, `GBO`, `GBP`, `GBS`, the United Nations `UNO`, `UNA`,
/// `UNK`, the stateless and refugee codes `XXA`, `XXB`, `XXC`, the unspecified `XXX`, and `UTO`, the
/// fictional Utopia of the specimens. Codes that name no ISO country map to `nil` and carry a
/// ``specialMeaning(of:)`` instead.
public enum ICAOCountry {
    /// The ISO 3166-1 alpha-2 country for an ICAO code (fillers already removed), or `nil` for codes
    /// that name no country or are unknown.
    ///
    /// - Parameter code: the code as read, `TJK`, `D` or `GBD`.
    /// - Returns: the country, `TJ` for `TJK`, `DE` for `D`, `GB` for the British codes.
    public static func countryCode(for code: String) -> CountryCode? {
        guard let alpha2 = alpha2(for: code) else { return nil }
        return try? CountryCode(alpha2)
    }

    /// The alpha-2 code as text, without checking it against the assigned ISO codes.
    static func alpha2(for code: String) -> String? {
        if let special = specialAlpha2[code] { return special }
        return alpha3ToAlpha2[code]
    }

    /// What an ICAO code that is not an ISO country stands for, or `nil` for ordinary codes.
    ///
    /// - Parameter code: the code as read.
    /// - Returns: a short description (`stateless person`, `United Nations`, `specimen (Utopia)`).
    public static func specialMeaning(of code: String) -> String? {
        specialMeanings[code]
    }

    /// Whether the code is an ISO alpha-3 code or one of Doc 9303's own codes.
    ///
    /// - Parameter code: the code as read.
    public static func isKnown(_ code: String) -> Bool {
        alpha3ToAlpha2[code] != nil || specialMeanings[code] != nil || specialAlpha2[code] != nil
    }

    static let specialAlpha2: [String: String] = [
        "D": "DE", "GBD": "GB", "GBN": "GB", "GBO": "GB", "GBP": "GB", "GBS": "GB",
    ]

    static let specialMeanings: [String: String] = [
        "D": "Germany",
        "GBD": "British Overseas Territories citizen",
        "GBN": "British National (Overseas)",
        "GBO": "British Overseas citizen",
        "GBP": "British protected person",
        "GBS": "British subject",
        "UNO": "United Nations Organization or one of its officials",
        "UNA": "specialized agency of the United Nations",
        "UNK": "resident of Kosovo (UN interim administration)",
        "RKS": "Kosovo",
        "EUE": "European Union",
        "XOM": "Sovereign Military Order of Malta",
        "XXA": "stateless person",
        "XXB": "refugee (1951 Convention)",
        "XXC": "refugee (other)",
        "XXX": "unspecified nationality",
        "UTO": "Utopia (specimen documents)",
    ]

    /// ISO 3166-1: alpha-3 → alpha-2, all 249 officially assigned codes.
    static let alpha3ToAlpha2: [String: String] = {
        var table: [String: String] = [:]
        for pair in pairs.split(whereSeparator: \.isWhitespace) {
            let halves = pair.split(separator: ":")
            table[String(halves[0])] = String(halves[1])
        }
        return table
    }()

    static let pairs = """
        ABW:AW AFG:AF AGO:AO AIA:AI ALA:AX ALB:AL AND:AD ARE:AE ARG:AR ARM:AM ASM:AS ATA:AQ ATF:TF ATG:AG
        AUS:AU AUT:AT AZE:AZ BDI:BI BEL:BE BEN:BJ BES:BQ BFA:BF BGD:BD BGR:BG BHR:BH BHS:BS BIH:BA BLM:BL
        BLR:BY BLZ:BZ BMU:BM BOL:BO BRA:BR BRB:BB BRN:BN BTN:BT BVT:BV BWA:BW CAF:CF CAN:CA CCK:CC CHE:CH
        CHL:CL CHN:CN CIV:CI CMR:CM COD:CD COG:CG COK:CK COL:CO COM:KM CPV:CV CRI:CR CUB:CU CUW:CW CXR:CX
        CYM:KY CYP:CY CZE:CZ DEU:DE DJI:DJ DMA:DM DNK:DK DOM:DO DZA:DZ ECU:EC EGY:EG ERI:ER ESH:EH ESP:ES
        EST:EE ETH:ET FIN:FI FJI:FJ FLK:FK FRA:FR FRO:FO FSM:FM GAB:GA GBR:GB GEO:GE GGY:GG GHA:GH GIB:GI
        GIN:GN GLP:GP GMB:GM GNB:GW GNQ:GQ GRC:GR GRD:GD GRL:GL GTM:GT GUF:GF GUM:GU GUY:GY HKG:HK HMD:HM
        HND:HN HRV:HR HTI:HT HUN:HU IDN:ID IMN:IM IND:IN IOT:IO IRL:IE IRN:IR IRQ:IQ ISL:IS ISR:IL ITA:IT
        JAM:JM JEY:JE JOR:JO JPN:JP KAZ:KZ KEN:KE KGZ:KG KHM:KH KIR:KI KNA:KN KOR:KR KWT:KW LAO:LA LBN:LB
        LBR:LR LBY:LY LCA:LC LIE:LI LKA:LK LSO:LS LTU:LT LUX:LU LVA:LV MAC:MO MAF:MF MAR:MA MCO:MC MDA:MD
        MDG:MG MDV:MV MEX:MX MHL:MH MKD:MK MLI:ML MLT:MT MMR:MM MNE:ME MNG:MN MNP:MP MOZ:MZ MRT:MR MSR:MS
        MTQ:MQ MUS:MU MWI:MW MYS:MY MYT:YT NAM:NA NCL:NC NER:NE NFK:NF NGA:NG NIC:NI NIU:NU NLD:NL NOR:NO
        NPL:NP NRU:NR NZL:NZ OMN:OM PAK:PK PAN:PA PCN:PN PER:PE PHL:PH PLW:PW PNG:PG POL:PL PRI:PR PRK:KP
        PRT:PT PRY:PY PSE:PS PYF:PF QAT:QA REU:RE ROU:RO RUS:RU RWA:RW SAU:SA SDN:SD SEN:SN SGP:SG SGS:GS
        SHN:SH SJM:SJ SLB:SB SLE:SL SLV:SV SMR:SM SOM:SO SPM:PM SRB:RS SSD:SS STP:ST SUR:SR SVK:SK SVN:SI
        SWE:SE SWZ:SZ SXM:SX SYC:SC SYR:SY TCA:TC TCD:TD TGO:TG THA:TH TJK:TJ TKL:TK TKM:TM TLS:TL TON:TO
        TTO:TT TUN:TN TUR:TR TUV:TV TWN:TW TZA:TZ UGA:UG UKR:UA UMI:UM URY:UY USA:US UZB:UZ VAT:VA VCT:VC
        VEN:VE VGB:VG VIR:VI VNM:VN VUT:VU WLF:WF WSM:WS YEM:YE ZAF:ZA ZMB:ZM ZWE:ZW
        """
}

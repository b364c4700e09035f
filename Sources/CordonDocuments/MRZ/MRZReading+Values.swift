import CordonCore

extension MRZReading {
    // MARK: - Values

    mutating func document(extended: (number: String, checkByte: UInt8, optionalStart: Int)?) -> MRZDocument {
        var code = ""
        var issuing = ""
        var number = ""
        var nationality = ""
        var birth: PartialDate?
        var expiry: PartialDate?
        var sex: Sex?
        var primary = ""
        var secondary = ""
        var truncated = false
        var optional: [String] = []
        for slot in layout.slots {
            let bytes = lines[slot.line][slot.range]
            let raw = Self.string(original[slot.line][slot.range])
            var value: String
            switch slot.name {
            case "name":
                (primary, secondary) = Self.names(Array(bytes))
                truncated = bytes.last != Self.filler
                value = secondary.isEmpty ? primary : primary + " " + secondary
                if bytes.contains(where: Self.isDigit) {
                    problems.append(.init(path: "name", reason: .invalidFormat, message: "the name has digits"))
                }
                if primary.isEmpty, secondary.isEmpty {
                    problems.append(.init(path: "name", reason: .empty, message: "the name field is empty"))
                }
            case "birth_date", "expiry_date":
                let isBirth = slot.name == "birth_date"
                let date = self.date(slot.name, Array(bytes), isBirth: isBirth)
                if isBirth { birth = date } else { expiry = date }
                value = date.map(Self.iso) ?? ""
            case "sex":
                switch bytes.first {
                case UInt8(ascii: "M"):
                    sex = .male
                    value = "male"
                case UInt8(ascii: "F"):
                    sex = .female
                    value = "female"
                case UInt8(ascii: "<"), UInt8(ascii: "X"):
                    sex = .unknown
                    value = "unspecified"
                default:
                    value = ""
                    problems.append(
                        .init(path: "sex", reason: .invalidFormat, message: "sex '\(raw)' is not M, F, X or <")
                    )
                }
            case "document_number" where extended != nil:
                value = extended!.number.filter { $0 != "<" }
                number = value
                fields.append(MRZField(name: slot.name, raw: raw, value: value, line: slot.line, position: 6))
                continue
            case "optional_data" where extended != nil:
                let rest = lines[0][extended!.optionalStart..<30]
                value = Self.trimmedFillers(rest)
                optional.append(value)
                fields.append(MRZField(name: slot.name, raw: raw, value: value, line: slot.line, position: 16))
                continue
            default:
                value = Self.trimmedFillers(bytes)
                if slot.kind == .alphabetic, bytes.contains(where: Self.isDigit) {
                    problems.append(
                        .init(path: slot.name, reason: .invalidFormat, message: "\(slot.name) '\(raw)' has digits")
                    )
                }
            }
            switch slot.name {
            case "document_code": code = value
            case "issuing_state": issuing = value
            case "nationality": nationality = value
            case "document_number": number = value
            case "optional_data", "optional_data_2": if !value.isEmpty { optional.append(value) }
            default: break
            }
            fields.append(
                MRZField(name: slot.name, raw: raw, value: value, line: slot.line, position: slot.range.lowerBound + 1)
            )
            if slot.name == "name" {
                let at = slot.range.lowerBound + 1
                fields.append(MRZField(name: "primary_name", raw: raw, value: primary, line: slot.line, position: at))
                fields.append(
                    MRZField(name: "secondary_name", raw: raw, value: secondary, line: slot.line, position: at)
                )
            }
        }
        if number.isEmpty {
            problems.append(.init(path: "document_number", reason: .empty, message: "the document number is empty"))
        }
        if code.isEmpty || !Self.isLetter(code.utf8.first ?? 0) {
            problems.append(
                .init(
                    path: "document_code",
                    reason: .invalidFormat,
                    message: "the document code must start with a letter"
                )
            )
        }
        return MRZDocument(
            format: layout.format,
            lines: original.map { Self.string($0) },
            correctedLines: lines.map { Self.string($0) },
            fields: fields,
            checks: checks,
            corrections: corrections,
            problems: problems,
            documentCode: code,
            issuingState: issuing,
            documentNumber: number,
            nationality: nationality,
            birthDate: birth,
            expiryDate: expiry,
            sex: sex,
            primaryName: primary,
            secondaryName: secondary,
            isNameTruncated: truncated,
            optionalData: optional.joined(separator: " "),
            readOn: try? PartialDate(year: today.year, month: today.month, day: today.day)
        )
    }

    /// Text with leading and trailing fillers removed and inner runs of fillers as one space.
    static func trimmedFillers(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for b in bytes {
            if b == filler {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A date in ISO 8601 form, as precise as known (`1974-08-12`, `1974`), without `String(format:)`.
    static func iso(_ date: PartialDate) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }
        var s = String(date.year)
        if let month = date.month { s += "-" + two(month) }
        if let day = date.day { s += "-" + two(day) }
        return s
    }

    /// The primary and secondary identifiers: split at the first `<<`, fillers inside as spaces.
    static func names(_ bytes: [UInt8]) -> (String, String) {
        var split: Int?
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == filler, bytes[i + 1] == filler, i > 0 {
                split = i
                break
            }
            i += 1
        }
        guard let split else { return (trimmedFillers(bytes), "") }
        return (trimmedFillers(bytes[..<split]), trimmedFillers(bytes[(split + 2)...]))
    }

    /// A YYMMDD date; `YY<<<<` and `YYMM<<` give partial dates and `<<<<<<` none.
    mutating func date(_ name: String, _ bytes: [UInt8], isBirth: Bool) -> PartialDate? {
        func number(_ a: Int) -> Int? {
            guard Self.isDigit(bytes[a]), Self.isDigit(bytes[a + 1]) else { return nil }
            return Int(bytes[a] - 0x30) * 10 + Int(bytes[a + 1] - 0x30)
        }
        func isFiller(_ a: Int) -> Bool { bytes[a] == Self.filler && bytes[a + 1] == Self.filler }
        if bytes.allSatisfy({ $0 == Self.filler }) { return nil }
        guard let yy = number(0) else {
            problems.append(.init(path: name, reason: .invalidFormat, message: "\(name) is not a date YYMMDD"))
            return nil
        }
        let month = number(2)
        let day = number(4)
        guard (month != nil || isFiller(2)) && (day != nil || isFiller(4)) && !(month == nil && day != nil) else {
            problems.append(.init(path: name, reason: .invalidFormat, message: "\(name) is not a date YYMMDD"))
            return nil
        }
        if let month, !(1...12).contains(month) {
            problems.append(.init(path: name, reason: .outOfRange, message: "\(name) has month \(month)"))
            return nil
        }
        let limit = isBirth ? today : (today.year + 10, today.month, today.day)
        let year = Self.century(yy: yy, month: month, day: day, notAfter: limit)
        do {
            return try PartialDate(year: year, month: month, day: day)
        } catch {
            problems.append(
                .init(
                    path: name,
                    reason: .outOfRange,
                    message: "\(name) \(Self.string(bytes)) names no day of the calendar"
                )
            )
            return nil
        }
    }

    /// The latest four-digit year ending in `yy` whose date is not after `limit`.
    static func century(yy: Int, month: Int?, day: Int?, notAfter limit: (year: Int, month: Int, day: Int)) -> Int {
        func isAfter(_ year: Int) -> Bool {
            if year != limit.year { return year > limit.year }
            guard let month else { return false }
            if month != limit.month { return month > limit.month }
            guard let day else { return false }
            return day > limit.day
        }
        var year = (limit.year / 100) * 100 + yy
        while isAfter(year) { year -= 100 }
        while !isAfter(year + 100) { year += 100 }
        return year
    }
}

import CordonCore
import CordonDocuments
import FuzzSupport

/// Vehicle plates: the input is one plate as written, read by `PlateReading` without a country and
/// with each country whose formats it knows, and by the model's `PlateNumber`.
///
/// Invariants: a reading has 2 to 12 letters and digits with a digit; its serial and region make up its
/// canonical form (an Afghan plate's class letters after them); reading its literal or canonical form
/// again gives the same plate, unless Arabic-script words stay in it (words are read whole, so
/// `ک ابل` is not `کابل`, Kabul); a plate matches itself exactly, and an index holding it finds it.
let countries: [CountryCode?] = [nil] + ["TJ", "RU", "UZ", "AF"].map { try! CountryCode($0) }

func same(_ a: PlateReading, _ b: PlateReading) -> Bool {
    a.canonical == b.canonical && a.serial == b.serial && a.region == b.region && a.format == b.format
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPlate(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let written = text(start, count)
    for country in countries {
        guard let reading = try? PlateReading(written, country: country) else { continue }
        let scalars = reading.canonical.unicodeScalars
        invariant((2...12).contains(scalars.count), "\(scalars.count) letters and digits in \(reading.canonical)")
        invariant(scalars.contains { ("0"..."9").contains($0) }, "no digit in \(reading.canonical)")
        if reading.format == .afghanistan {
            let head = (reading.region ?? "") + reading.serial
            invariant(reading.canonical.hasPrefix(head), "region and serial \(head) do not begin \(reading.canonical)")
        } else if let region = reading.region {
            invariant(
                reading.canonical == reading.serial + region || reading.canonical == region + reading.serial,
                "serial \(reading.serial) and region \(region) do not make \(reading.canonical)"
            )
        } else {
            invariant(reading.serial == reading.canonical, "serial \(reading.serial) of \(reading.canonical)")
        }
        if let format = reading.format, let country {
            invariant(format.country == country.rawValue, "a \(format) read for \(country)")
        }
        let keepsArabic = reading.literal.unicodeScalars.contains { (0x600...0x6FF).contains($0.value) }
        for again in keepsArabic ? [] : [reading.literal, reading.canonical] {
            guard let other = try? PlateReading(again, country: country) else {
                invariant(false, "'\(again)', read from '\(written)', is refused")
                continue
            }
            invariant(same(reading, other), "'\(again)' reads otherwise than '\(written)'")
        }
        let match = PlateMatcher.match(reading, reading)
        invariant(match?.rule == .exact && match?.score == 1, "\(reading.canonical) does not match itself")
        var index = PlateIndex<Int>()
        index.upsert(id: 1, plate: reading)
        invariant(index.search(reading).first?.id == 1, "the index does not find \(reading.canonical)")
    }
    if let number = try? PlateNumber(written) {
        let again = try? PlateNumber(number.text)
        invariant(again == number, "'\(number.text)' reads otherwise than '\(written)'")
    }
    return 0
}

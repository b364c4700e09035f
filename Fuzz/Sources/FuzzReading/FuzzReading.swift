import CordonDocuments
import CordonMatch
import CordonReading
import FuzzSupport

/// A small list of its own for the reader: two persons in two scripts, an organisation with an acronym,
/// a vehicle.
let reader = TextReader(
    index: ScreeningIndex(entries: [
        WatchlistEntry(id: "p-1", name: "Мирзоев Абдурасул", aliases: ["Abdurasul Mirzoyev"]),
        WatchlistEntry(id: "p-2", name: "Hikmatullo Davlatov", aliases: ["Давлатов Хикматулло"]),
        WatchlistEntry(
            id: "o-1",
            kind: .organization,
            name: "Islamic Movement of Uzbekistan",
            aliases: ["IMU", "ИДУ"]
        ),
    ]),
    vehicles: [(id: "v-1", plate: try! PlateReading("4519 АА 01"))]
)

/// Reports as analysts send them: the input is a document (text, HTML or a feed, whatever its first bytes
/// show), read by `ReportDocument` and then by the reader.
///
/// Invariants: a refused document says why; every mention lies within the document as given (its
/// offsets count the document's scalars), starts before it ends, and the mentions come in document
/// order; every entity named has a mention.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzReading(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = bytes(start, count)
    let document: ReportDocument
    do {
        document = try ReportDocument(bytes: input)
    } catch {
        invariant(!error.message.isEmpty, "a refusal without a reason")
        return 0
    }
    let scalars = String(decoding: input, as: UTF8.self).unicodeScalars.count
    let result = reader.read(document)
    var previous = -1
    for mention in result.mentions {
        invariant(mention.start < mention.end, "a mention ends before it starts: \(mention.start)..<\(mention.end)")
        invariant(mention.end <= scalars, "a mention ends at \(mention.end), past the document's \(scalars) scalars")
        invariant(mention.start >= previous, "mentions out of order at \(mention.start)")
        previous = mention.start
    }
    for entity in result.entities {
        invariant(result.mentions.contains { $0.entity == entity.entity }, "\(entity.entity) named without a mention")
    }
    return 0
}

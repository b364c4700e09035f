import CordonCore
import CordonDocuments
import Foundation
import FuzzSupport

/// CAP 1.2 messages: the input is an XML document, read by `CAPMessage(xml:)` as a checkpoint's
/// acknowledgement or a stored alert is read.
///
/// Invariants: a refused document throws a `ValidationFailure` with issues; a message read, written
/// with `xmlDocument()` and read again is the same message, and writing it again gives the same text.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCAP(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let message: CAPMessage
    do {
        message = try CAPMessage(xml: Data(bytes(start, count)))
    } catch let failure as ValidationFailure {
        invariant(!failure.issues.isEmpty, "a failure without issues")
        return 0
    } catch {
        invariant(false, "threw \(error)")
        return 0
    }
    let written = message.xmlDocument()
    let again: CAPMessage
    do {
        again = try CAPMessage(xml: written)
    } catch {
        invariant(false, "the message as written is refused: \(error)\n\(written)")
        return 0
    }
    invariant(again == message, "the message as written reads otherwise:\n\(written)")
    invariant(again.xmlDocument() == written, "the message is written otherwise the second time")
    return 0
}

import CordonCore
import CordonEvents
import Foundation
import FuzzSupport

/// The stream frames: the input is one WebSocket text frame, read as a client's frame (what the server
/// reads from a checkpoint or post), a server's frame (what a checkpoint reads) and an operations
/// stream record (what the dashboard and listeners read).
///
/// Invariants: a frame read, written and read again is the same frame; an operations record written
/// and read again is written the same from then on.
let utc = TimeZone(secondsFromGMT: 0)!

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzFrames(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let frame = text(start, count)
    if let client = try? ClientFrame(text: frame) {
        let again = try? ClientFrame(text: client.text)
        invariant(again == client, "the client frame reads otherwise as written: \(client.text)")
    }
    if let server = try? ServerFrame(text: frame) {
        let again = try? ServerFrame(text: server.text)
        invariant(again == server, "the server frame reads otherwise as written: \(server.text)")
        invariant(again?.text == server.text, "the server frame is written otherwise the second time")
    }
    if let record = try? EventRecord(frame: frame) {
        let written = record.frame(in: utc)
        guard let read = try? EventRecord(frame: written) else {
            invariant(false, "the record as written is refused: \(written)")
            return 0
        }
        invariant(read.frame(in: utc) == written, "the record is written otherwise the second time")
        invariant((try? EventRecord(frame: read.frame(in: utc))) == read, "the record reads otherwise")
    }
    return 0
}

/// Stops the run when an invariant does not hold, so that libFuzzer keeps the input as a crash.
///
/// - Parameters:
///   - condition: what must hold for every input.
///   - message: what went wrong, with the values involved.
public func invariant(
    _ condition: @autoclosure () -> Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() { fatalError("invariant broken: \(message())", file: file, line: line) }
}

/// The fuzzer's input as bytes.
public func bytes(_ start: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
    guard let start, count > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: start, count: count))
}

/// The fuzzer's input read as UTF-8, invalid sequences replaced by U+FFFD.
public func text(_ start: UnsafePointer<UInt8>?, _ count: Int) -> String {
    String(decoding: bytes(start, count), as: UTF8.self)
}

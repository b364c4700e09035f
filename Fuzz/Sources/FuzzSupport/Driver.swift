import Foundation
import LibFuzzer

/// Hands the process to libFuzzer, which reads its flags and inputs from the command line and calls
/// `harness` on every input.
///
/// SwiftPM renames an executable's entry point and links `main` to it, so libFuzzer's own `main` is
/// never used: each harness's `main.swift` calls this instead.
///
/// - Parameter harness: the harness, also exported as `LLVMFuzzerTestOneInput`.
public func runFuzzer(_ harness: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, harness))
}

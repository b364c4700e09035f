import CordonCore
import Foundation
import FuzzSupport

/// Scenario files: the input is a scenario as `cordon scenario check` and `scenario show` read it,
/// through `Scenario.decode(from:context:)`.
///
/// Invariants: a scenario is refused only with a `ValidationFailure` that has issues; a scenario taken,
/// encoded and decoded again is taken, and from then on encoding and decoding change nothing; its
/// summary can be made.
let context = ValidationContext(now: Instant.parse("2025-06-01T00:00:00Z")!)
let encoder = JSONEncoder.cordon()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzScenario(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let scenario: Scenario
    do {
        scenario = try Scenario.decode(from: Data(bytes(start, count)), context: context)
    } catch let failure as ValidationFailure {
        invariant(!failure.issues.isEmpty, "a failure without issues")
        return 0
    } catch {
        invariant(false, "refused with \(error)")
        return 0
    }
    _ = ScenarioSummary(scenario)
    do {
        let written = try encoder.encode(scenario)
        let read = try Scenario.decode(from: written, context: context)
        let rewritten = try encoder.encode(read)
        invariant(rewritten == written, "the scenario is written otherwise the second time")
        let reread = try Scenario.decode(from: rewritten, context: context)
        invariant(reread == read, "the scenario reads otherwise the second time")
    } catch {
        invariant(false, "the scenario as written is refused: \(error)")
    }
    return 0
}

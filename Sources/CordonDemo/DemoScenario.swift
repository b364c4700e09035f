public import CordonCore
public import Foundation

/// The demo scenario bundled with Cordon: the night of 22–23 August 2010 in Dushanbe.
public enum DemoScenario {
    /// The raw JSON of the bundled demo.
    ///
    /// - Throws: `CocoaError` when the resource is missing from the bundle.
    public static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "demo-scenario", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }

    /// The bundled demo, decoded and validated.
    ///
    /// - Parameter context: what "now" is; pass the real present at the edges, or ``defaultContext``.
    /// - Throws: ``ValidationFailure`` if the bundled file is broken (a bug, caught by the tests).
    public static func load(context: ValidationContext = defaultContext) throws -> Scenario {
        try Scenario.decode(from: data(), context: context)
    }

    /// Validation against the scenario's own reference time, which needs no clock.
    public static let defaultContext = ValidationContext(now: Instant.parse("2010-08-25T12:00:00+05:00"))

    /// The bundled demo with every instant (a date with a time of day) moved by `offset` seconds, so
    /// that its night can be played to end now; dates without a time (births, documents) stay.
    ///
    /// - Throws: ``ValidationFailure`` if the bundled file is broken.
    public static func load(shiftedBy offset: TimeInterval) throws -> Scenario {
        let zone = TimeZone(identifier: "Asia/Dushanbe") ?? TimeZone(secondsFromGMT: 5 * 3600)!
        func shift(_ value: Any) -> Any {
            switch value {
            case let text as String:
                guard text.count >= 20, let instant = Instant.parse(text) else { return text }
                return Instant.format(instant.addingTimeInterval(offset), in: zone)
            case let array as [Any]:
                return array.map(shift)
            case let object as [String: Any]:
                return object.mapValues(shift)
            default:
                return value
            }
        }
        let shifted = shift(try JSONSerialization.jsonObject(with: data()))
        let now = defaultContext.now.map { $0.addingTimeInterval(offset) }
        return try Scenario.decode(
            from: try JSONSerialization.data(withJSONObject: shifted),
            context: ValidationContext(now: now)
        )
    }
}

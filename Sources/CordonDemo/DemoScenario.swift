public import Foundation

/// Access to the bundled demo scenario.
public enum DemoScenario {
    /// The raw JSON of the bundled demo scenario.
    public static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "demo-scenario", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}

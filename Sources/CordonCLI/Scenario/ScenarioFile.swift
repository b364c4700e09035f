import CordonCore
import CordonDemo
import Foundation

/// Reads scenario files for the commands, with a size limit and one-line errors.
enum ScenarioFile {
    /// The largest scenario file the commands read.
    static let maximumSize = 64 * 1024 * 1024

    /// A problem reading a scenario file, printed as one line.
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads a file, or standard input for `-`.
    static func read(_ path: String) throws -> Data {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard data.count <= maximumSize else {
                throw ReadError(description: "standard input is larger than 64 MiB")
            }
            return data
        }
        let url = URL(fileURLWithPath: path)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
            throw ReadError(description: "cannot read \(path): no such file")
        }
        if let size = attributes[.size] as? Int, size > maximumSize {
            throw ReadError(description: "cannot read \(path): larger than 64 MiB")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ReadError(description: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// The validation context at the command's edge: the real present.
    static func presentContext() -> ValidationContext {
        ValidationContext(now: Date())
    }
}

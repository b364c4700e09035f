import Foundation
import Testing

/// Writes the CAP messages the server tests receive to the folder named by `CORDON_CAP_DIR`, one
/// `.xml` file each, so that `scripts/check_cap.py` checks them against the CAP 1.2 schema and parses
/// them with capparselib. Does nothing when the variable is unset.
enum CAPRecording {
    static let directory: URL? = ProcessInfo.processInfo.environment["CORDON_CAP_DIR"].flatMap {
        $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true)
    }

    static func record(_ xml: String, name: String) {
        guard let directory else { return }
        let stem = String(name.prefix(80).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" })
        let file = directory.appendingPathComponent("server-\(stem)-\(UUID().uuidString).xml")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(xml.utf8).write(to: file, options: [.atomic])
        } catch {
            Issue.record("could not record a CAP message in \(directory.path): \(error)")
        }
    }
}

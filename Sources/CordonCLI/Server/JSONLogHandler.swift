import CordonEvents
import Foundation
import Logging
import Synchronization

/// Writes each log entry as one JSON object on a line of standard error (`cordon serve --log-format json`):
/// `time`, `level`, `label`, `message`, then every metadata key (the request id, the node, whether it leads).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = [:]
        for (key, value) in metadataProvider?.get() ?? [:] { fields[key] = Self.json(value) }
        for (key, value) in metadata { fields[key] = Self.json(value) }
        for (key, value) in event.metadata ?? [:] { fields[key] = Self.json(value) }
        fields["time"] = Self.time(Date())
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = "\(event.message)"
        guard
            var line = try? JSONSerialization.data(
                withJSONObject: fields,
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
        else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    private static func time(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)
        )
    }
}

/// What every log line of a server says of its node: its name, and whether it leads.
final class NodeLogState: Sendable {
    private let state = Mutex<(node: String?, leadership: (any Leadership)?)>((nil, nil))

    func set(node: String) { state.withLock { $0.node = node } }

    func set(leadership: any Leadership) { state.withLock { $0.leadership = leadership } }

    /// The metadata provider that adds `node` and `leader` to every entry.
    var provider: Logger.MetadataProvider {
        Logger.MetadataProvider { [self] in
            let (node, leadership) = state.withLock { ($0.node, $0.leadership) }
            var metadata: Logger.Metadata = [:]
            if let node { metadata["node"] = .string(node) }
            if let leadership { metadata["leader"] = .string(leadership.isLeader ? "true" : "false") }
            return metadata
        }
    }
}

import CordonCore
public import Foundation

/// An event as the bus carries it: what happened and when the bus took it.
///
/// On the wire it is the event's flat object with `at` added: the frame of the operations stream.
public struct EventRecord: Sendable, Hashable, Codable {
    public let event: OperationsEvent
    public let at: Date

    public init(_ event: OperationsEvent, at: Date) {
        self.event = event
        self.at = at
    }

    public func encode(to encoder: any Encoder) throws {
        try event.encode(to: encoder)
        var container = encoder.container(keyedBy: FieldKey.self)
        let zone = encoder.userInfo[OperationsEvent.zoneKey] as? TimeZone ?? TimeZone(identifier: "UTC")!
        try container.encode(Instant.format(at, in: zone), forKey: FieldKey("at"))
    }

    public init(from decoder: any Decoder) throws {
        event = try OperationsEvent(from: decoder)
        let container = try decoder.container(keyedBy: FieldKey.self)
        let text = try container.decode(String.self, forKey: FieldKey("at"))
        guard let at = Instant.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: FieldKey("at"),
                in: container,
                debugDescription: "'\(text)' is not an RFC 3339 time"
            )
        }
        self.at = at
    }

    /// The record as one JSON text frame of the operations stream, times written in `zone`.
    public func frame(in zone: TimeZone) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.userInfo[OperationsEvent.zoneKey] = zone
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a frame of the operations stream.
    ///
    /// - Throws: ``FrameError`` naming what is wrong.
    public init(frame: String) throws(FrameError) {
        do {
            self = try JSONDecoder().decode(EventRecord.self, from: Data(frame.utf8))
        } catch {
            throw FrameError.decoding(error)
        }
    }
}

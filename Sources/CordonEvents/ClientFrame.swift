import CordonCore

/// What a checkpoint or post sends on its alert stream: one JSON text frame each.
///
/// - `{"type": "hello", "last_sequence": N, "device": "…"}` first, N the last sequence it saw (0, or
///   absent, for none), and optionally the name of the device (a desk, a tablet) among several that hold
///   the same recipient's stream;
/// - `{"type": "received", "sequence": N}` for each alert it got;
/// - `{"type": "ack", "alert": ID, "note": "…", "pass": "CDC1.…"}` once a person has read it, with that
///   officer's signed pass when a station knows who pressed the button (the server verifies it and
///   names the officer);
/// - `{"type": "ping"}` to see the link is alive.
public enum ClientFrame: Sendable, Hashable {
    case hello(lastSequence: Int, device: String? = nil)
    case received(sequence: Int)
    case ack(alert: String, note: String?, pass: String? = nil)
    case ping

    /// The longest alert identifier and note a frame may carry.
    public static let alertLimit = 128
    public static let noteLimit = 500
    public static let deviceLimit = 64
    public static let passLimit = 4096

    /// Reads a frame, refusing anything that is not one of the four with its fields right.
    public init(text: String) throws(FrameError) {
        let fields = try FrameFields(
            text: text,
            allowed: ["last_sequence", "device", "sequence", "alert", "note", "pass"]
        )
        guard let type = fields.type else { throw FrameError("the frame has no type", field: "type") }
        let expected: Set<String>
        switch type {
        case "hello":
            expected = ["last_sequence", "device"]
            self = .hello(
                lastSequence: try fields.integer("last_sequence") ?? 0,
                device: try fields.string("device", limit: Self.deviceLimit)
            )
        case "received":
            expected = ["sequence"]
            self = .received(sequence: try fields.requireInteger("sequence", in: "received"))
        case "ack":
            expected = ["alert", "note", "pass"]
            self = .ack(
                alert: try fields.requireString("alert", in: "ack", limit: Self.alertLimit),
                note: try fields.string("note", limit: Self.noteLimit),
                pass: try fields.string("pass", limit: Self.passLimit)
            )
        case "ping":
            expected = []
            self = .ping
        default:
            throw FrameError("unknown frame type '\(type)': send received, ack or ping", field: "type")
        }
        if let extra = fields.object.keys.sorted().first(where: { $0 != "type" && !expected.contains($0) }) {
            throw FrameError("\(type) takes no \(extra)", field: extra)
        }
    }

    /// The frame as JSON text.
    public var text: String {
        switch self {
        case .hello(let lastSequence, let device):
            frameText(
                ["type": .string("hello"), "last_sequence": .number(Double(lastSequence))]
                    .merging(device.map { ["device": .string($0)] } ?? [:]) { $1 }
            )
        case .received(let sequence):
            frameText(["type": .string("received"), "sequence": .number(Double(sequence))])
        case .ack(let alert, let note, let pass):
            frameText(
                ["type": .string("ack"), "alert": .string(alert)]
                    .merging(note.map { ["note": .string($0)] } ?? [:]) { $1 }
                    .merging(pass.map { ["pass": .string($0)] } ?? [:]) { $1 }
            )
        case .ping:
            frameText(["type": .string("ping")])
        }
    }
}

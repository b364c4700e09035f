public import CordonCore
import Foundation

/// What the server sends on a checkpoint's or post's alert stream: one JSON text frame each.
///
/// - `{"type": "welcome", "recipient": …, "last_sequence": N}` once the hello is taken;
/// - `{"type": "alert", "sequence": N, "resend": …, "alert": {…}, "cap": {…}}` for each alert in the
///   outbox after the client's last sequence, in order, then for each new one at once (a checkpoint's
///   also carry `revoked_credentials`);
/// - `{"type": "acknowledged", "alert": ID, "ack_identifier": …}` once an acknowledgement is committed;
/// - `{"type": "pong"}`; `{"type": "error", "message": …, "field": …}` for a frame that was not taken.
public enum ServerFrame: Sendable, Hashable {
    case welcome(recipient: String, lastSequence: Int)
    /// Boxed, so that a frame waiting in a connection's buffer takes a few words, not the whole alert.
    indirect case alert(AlertFrame)
    case acknowledged(alert: String, ackIdentifier: String)
    case pong
    case error(message: String, field: String?)

    /// An error frame for any error: a frame error or validation failure says what; anything else
    /// says only that the frame was not taken.
    public static func error(_ error: any Error) -> ServerFrame {
        switch error {
        case let error as FrameError: .error(message: error.message, field: error.field)
        case let failure as ValidationFailure:
            .error(message: failure.issues.map(\.description).joined(separator: "; "), field: nil)
        case let error as OperationError: .error(message: error.message, field: nil)
        default: .error(message: "the frame could not be taken", field: nil)
        }
    }

    /// The frame as JSON text. An alert's content is encoded once, whatever the number of recipients.
    public var text: String {
        switch self {
        case .welcome(let recipient, let lastSequence):
            frameText([
                "type": .string("welcome"), "recipient": .string(recipient),
                "last_sequence": .number(Double(lastSequence)),
            ])
        case .alert(let frame):
            frame.text
        case .acknowledged(let alert, let ackIdentifier):
            frameText([
                "type": .string("acknowledged"), "alert": .string(alert), "ack_identifier": .string(ackIdentifier),
            ])
        case .pong:
            frameText(["type": .string("pong")])
        case .error(let message, let field):
            frameText(
                ["type": .string("error"), "message": .string(message)].merging(
                    field.map { ["field": .string($0)] } ?? [:]
                ) { $1 }
            )
        }
    }

    /// Reads a frame, refusing an unknown type or a known one with its fields wrong.
    public init(text: String) throws(FrameError) {
        let allowed: Set<String> = [
            "recipient", "last_sequence", "sequence", "resend", "revoked_credentials", "tree_head", "alert", "cap",
            "ack_identifier", "message", "field",
        ]
        let fields = try FrameFields(text: text, allowed: allowed)
        guard let type = fields.type else { throw FrameError("the frame has no type", field: "type") }
        let expected: Set<String>
        switch type {
        case "welcome":
            expected = ["recipient", "last_sequence"]
            self = .welcome(
                recipient: try fields.requireString("recipient", in: type, limit: 256),
                lastSequence: try fields.requireInteger("last_sequence", in: type)
            )
        case "alert":
            expected = ["sequence", "resend", "revoked_credentials", "tree_head", "alert", "cap"]
            self = .alert(try AlertFrame(text: text))
        case "acknowledged":
            expected = ["alert", "ack_identifier"]
            self = .acknowledged(
                alert: try fields.requireString("alert", in: type, limit: ClientFrame.alertLimit),
                ackIdentifier: try fields.requireString("ack_identifier", in: type, limit: 512)
            )
        case "pong":
            expected = []
            self = .pong
        case "error":
            expected = ["message", "field"]
            self = .error(
                message: try fields.requireString("message", in: type, limit: 4096),
                field: try fields.string("field", limit: 256)
            )
        default:
            throw FrameError("unknown frame type '\(type)'", field: "type")
        }
        if let extra = fields.object.keys.sorted().first(where: { $0 != "type" && !expected.contains($0) }) {
            throw FrameError("\(type) takes no \(extra)", field: extra)
        }
    }
}

/// An alert as one recipient gets it: its place in that recipient's outbox, and the content every
/// recipient shares.
public struct AlertFrame: Sendable, Hashable {
    /// The alert's sequence number in this recipient's outbox, from 1.
    public var sequence: Int
    /// Whether this recipient was sent it before.
    public var resend: Bool
    /// The revoked officer credentials, for a checkpoint to check passes offline; nil for posts.
    public var revocations: RevocationList?
    /// The audit log's latest signed tree head, for a checkpoint to witness; nil for posts.
    public var treeHead: EncodedTreeHead?
    public var content: AlertContent

    public init(
        sequence: Int,
        resend: Bool,
        revocations: RevocationList? = nil,
        treeHead: EncodedTreeHead? = nil,
        content: AlertContent
    ) {
        self.sequence = sequence
        self.resend = resend
        self.revocations = revocations
        self.treeHead = treeHead
        self.content = content
    }

    /// The frame's text: a few per-recipient fields, then the shared content as encoded once.
    public var text: String { head + content.tail }

    /// The part of the frame that is this recipient's own: `{"type":"alert","sequence":N,…,` up to the
    /// shared content (``AlertContent/tail``), which follows it unchanged for every recipient.
    public var head: String {
        var head = "{\"type\":\"alert\",\"sequence\":\(sequence),\"resend\":\(resend),"
        if let revocations { head += "\"revoked_credentials\":\(revocations.json)," }
        if let treeHead { head += "\"tree_head\":\(treeHead.json)," }
        return head
    }

    private struct Wire: Decodable {
        let sequence: Int
        let resend: Bool?
        let revokedCredentials: [String]?
        let treeHead: SignedTreeHead?
        let alert: Alert
        let cap: CAPReference

        enum CodingKeys: String, CodingKey {
            case sequence, resend, alert, cap
            case revokedCredentials = "revoked_credentials"
            case treeHead = "tree_head"
        }
    }

    init(text: String) throws(FrameError) {
        let wire: Wire
        do {
            wire = try JSONDecoder.cordon().decode(Wire.self, from: Data(text.utf8))
        } catch {
            throw FrameError.decoding(error)
        }
        guard wire.sequence >= 1 else { throw FrameError("sequence must be 1 or more", field: "sequence") }
        self.sequence = wire.sequence
        self.resend = wire.resend ?? false
        self.revocations = wire.revokedCredentials.map(RevocationList.init)
        self.treeHead = wire.treeHead.map(EncodedTreeHead.init)
        self.content = AlertContent(alert: wire.alert, cap: wire.cap)
    }
}

/// What every recipient of an alert is sent: the alert (without the list of its other recipients) and
/// its CAP message, encoded once when it is made.
///
/// Two contents are equal when they say the same to a recipient: the list of the alert's other
/// recipients is not part of it.
public struct AlertContent: Sendable, Hashable {
    public let alert: Alert
    public let cap: CAPReference
    /// `"alert":{…},"cap":{…}`: the content's fields, ready to close a frame.
    public let encodedFields: String

    public init(alert: Alert, cap: CAPReference) {
        // A recipient needs the alert, not the list of every other recipient.
        self.alert = alert
        self.cap = cap
        let encoder = JSONEncoder.cordon()
        var alertValue = (try? encoder.encode(alert)).flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }
        if case .object(var object)? = alertValue {
            object["checkpoints"] = nil
            alertValue = .object(object)
        }
        let alertJSON =
            (try? encoder.encode(alertValue ?? .object([:]))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let capJSON = (try? encoder.encode(cap)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        encodedFields = "\"alert\":\(alertJSON),\"cap\":\(capJSON)"
    }

    /// The end of every recipient's frame: the content's fields and the closing brace. A server may
    /// send it as a continuation of each recipient's ``AlertFrame/head``, encoded once for all of them.
    public var tail: String { encodedFields + "}" }

    /// What names this content among others: the alert and its CAP message. A content is never changed
    /// once made, so a copy encoded once may be kept under this key.
    public var key: String { alert.id.rawValue + " " + cap.identifier }

    public static func == (lhs: AlertContent, rhs: AlertContent) -> Bool {
        lhs.encodedFields == rhs.encodedFields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(encodedFields)
    }
}

/// The CAP message of an alert as a frame carries it.
public struct CAPReference: Sendable, Hashable, Codable {
    public let identifier: String
    public let messageType: String
    public let references: [String]
    /// The whole CAP 1.2 document.
    public let xml: String

    public init(identifier: String, messageType: String, references: [String], xml: String) {
        self.identifier = identifier
        self.messageType = messageType
        self.references = references
        self.xml = xml
    }

    enum CodingKeys: String, CodingKey {
        case identifier
        case messageType = "message_type"
        case references, xml
    }
}

/// A signed tree head of the audit log, with its JSON encoded once for every frame that carries it.
public struct EncodedTreeHead: Sendable, Hashable {
    public let head: SignedTreeHead
    let json: String

    public init(_ head: SignedTreeHead) {
        self.head = head
        let data = try? JSONEncoder.cordon().encode(head)
        json = data.map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}

/// The ids of revoked officer credentials, with their JSON array encoded once.
public struct RevocationList: Sendable, Hashable {
    public let ids: [String]
    let json: String

    public init(_ ids: [String]) {
        self.ids = ids
        let data = try? JSONEncoder.cordon().encode(ids)
        json = data.map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}

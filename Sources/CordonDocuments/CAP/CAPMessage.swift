import CordonCore

/// An OASIS Common Alerting Protocol 1.2 message: an alert, its update or cancellation, or an
/// acknowledgement.
///
/// A message is validated when it is made, with CAP's own rules: the identifier and sender hold no
/// whitespace, comma, `<` or `&`; `restriction` goes with scope `Restricted` and `addresses` with
/// scope `Private`, each required there and refused elsewhere; an update, cancellation,
/// acknowledgement or error names the messages it refers to in ``references``. Nested parts (``Info``,
/// ``Area``, ``Polygon``, ``Circle``, ``Time``, ``Reference``) validate themselves the same way, so a
/// value of this type always writes a message that the CAP 1.2 schema accepts.
///
/// ``xmlDocument()`` writes the message; ``init(xml:)`` reads one strictly.
public struct CAPMessage: Sendable, Hashable {
    /// The CAP 1.2 XML namespace.
    public static let namespace = "urn:oasis:names:tc:emergency:cap:1.2"

    /// How the message is to be handled (`status`).
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Actionable by all targeted recipients.
        case actual = "Actual"
        /// Actionable only by designated exercise participants.
        case exercise = "Exercise"
        /// For messages that support alert network internal functions.
        case system = "System"
        /// Technical testing only; all recipients disregard it.
        case test = "Test"
        /// A preliminary template or draft, not actionable in its current form.
        case draft = "Draft"
    }

    /// What the message is (`msgType`).
    public enum MessageType: String, Sendable, Hashable, CaseIterable {
        /// Initial information requiring attention.
        case alert = "Alert"
        /// Updates and supersedes the messages in ``CAPMessage/references``.
        case update = "Update"
        /// Cancels the messages in ``CAPMessage/references``.
        case cancel = "Cancel"
        /// Acknowledges receipt and acceptance of the messages in ``CAPMessage/references``.
        case ack = "Ack"
        /// Indicates rejection of the messages in ``CAPMessage/references``.
        case error = "Error"

        /// Whether a message of this type must name the messages it refers to.
        public var needsReferences: Bool { self != .alert }
    }

    /// Who the message is for (`scope`).
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// For general dissemination.
        case `public` = "Public"
        /// For users with a known operational requirement, said in ``CAPMessage/restriction``.
        case restricted = "Restricted"
        /// For the ``CAPMessage/addresses`` only.
        case `private` = "Private"
    }

    /// Unique among the sender's messages.
    public let identifier: String
    /// Who sent the message, globally unique (an e-mail address, say).
    public let sender: String
    /// When the message was sent.
    public let sent: Time
    public let status: Status
    public let messageType: MessageType
    /// The operator or device that originated the message.
    public let source: String?
    public let scope: Scope
    /// Who may see a restricted message; only with scope `Restricted`.
    public let restriction: String?
    /// The recipients of a private message; only with scope `Private`.
    public let addresses: [String]
    /// Special handling codes.
    public let codes: [String]
    /// A note on the message: the purpose of a `Cancel`, an `Ack` or an `Error`, say.
    public let note: String?
    /// The earlier messages this one refers to.
    public let references: [Reference]
    /// The incidents the message concerns, to collate related messages.
    public let incidents: [String]
    /// The information blocks.
    public let infos: [Info]

    /// Creates a message, checking CAP's rules.
    ///
    /// - Throws: ``ValidationFailure`` listing every field that breaks a rule, by its CAP element name
    ///   (`identifier`, `addresses`, `references`).
    public init(
        identifier: String,
        sender: String,
        sent: Time,
        status: Status,
        messageType: MessageType,
        source: String? = nil,
        scope: Scope,
        restriction: String? = nil,
        addresses: [String] = [],
        codes: [String] = [],
        note: String? = nil,
        references: [Reference] = [],
        incidents: [String] = [],
        infos: [Info] = []
    ) throws {
        var issues = IssueCollector()
        CAPText.checkToken(identifier, at: "identifier", into: &issues)
        CAPText.checkToken(sender, at: "sender", into: &issues)
        CAPText.check(source, at: "source", into: &issues)
        CAPText.check(note, at: "note", multiline: true, into: &issues)
        for (index, code) in codes.enumerated() {
            CAPText.check(code, at: "code[\(index)]", into: &issues)
        }
        if scope == .restricted {
            issues.check(restriction != nil, "restriction", .missing, "a restricted message says who may see it")
            CAPText.check(restriction, at: "restriction", into: &issues)
        } else {
            issues.check(restriction == nil, "restriction", .notAllowed, "restriction goes only with scope Restricted")
        }
        if scope == .private {
            issues.check(!addresses.isEmpty, "addresses", .missing, "a private message names its addresses")
        } else {
            issues.check(addresses.isEmpty, "addresses", .notAllowed, "addresses go only with scope Private")
        }
        for (index, address) in addresses.enumerated() {
            CAPText.checkListItem(address, at: "addresses[\(index)]", into: &issues)
        }
        for (index, incident) in incidents.enumerated() {
            CAPText.checkListItem(incident, at: "incidents[\(index)]", into: &issues)
        }
        if messageType.needsReferences {
            issues.check(
                !references.isEmpty,
                "references",
                .missing,
                "a message of type \(messageType.rawValue) names the messages it refers to"
            )
        }
        issues.check(
            !references.contains { $0.sender == sender && $0.identifier == identifier },
            "references",
            .inconsistent,
            "a message cannot refer to itself"
        )
        try issues.finish()
        self.identifier = identifier
        self.sender = sender
        self.sent = sent
        self.status = status
        self.messageType = messageType
        self.source = source
        self.scope = scope
        self.restriction = restriction
        self.addresses = addresses
        self.codes = codes
        self.note = note
        self.references = references
        self.incidents = incidents
        self.infos = infos
    }

    /// A reference to this message, for the ``references`` of a later one.
    public var reference: Reference {
        Reference(checkedSender: sender, identifier: identifier, sent: sent)
    }
}

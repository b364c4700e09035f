import CordonCore

extension CAPMessage {
    /// A reference to an earlier message: its sender, identifier and sent time, written
    /// `sender,identifier,sent`.
    public struct Reference: Sendable, Hashable, CustomStringConvertible {
        /// The earlier message's sender.
        public let sender: String
        /// The earlier message's identifier.
        public let identifier: String
        /// When the earlier message was sent.
        public let sent: Time

        /// Creates a reference.
        ///
        /// - Throws: ``ValidationFailure`` when the sender or identifier holds whitespace, a comma, `<`
        ///   or `&`.
        public init(sender: String, identifier: String, sent: Time) throws {
            var issues = IssueCollector()
            CAPText.checkToken(sender, at: "sender", into: &issues)
            CAPText.checkToken(identifier, at: "identifier", into: &issues)
            try issues.finish()
            self.init(checkedSender: sender, identifier: identifier, sent: sent)
        }

        init(checkedSender sender: String, identifier: String, sent: Time) {
            self.sender = sender
            self.identifier = identifier
            self.sent = sent
        }

        /// Reads `sender,identifier,sent`.
        ///
        /// - Throws: ``ValidationFailure`` when the text is not three comma-separated valid fields.
        public init(_ text: String) throws {
            let fields = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else {
                throw ValidationFailure(
                    path: "",
                    reason: .invalidFormat,
                    message: "'\(text)' is not a reference (sender,identifier,sent)"
                )
            }
            var issues = IssueCollector()
            let sent = issues.capture("sent") { try Time(fields[2]) }
            CAPText.checkToken(fields[0], at: "sender", into: &issues)
            CAPText.checkToken(fields[1], at: "identifier", into: &issues)
            try issues.finish()
            self.init(checkedSender: fields[0], identifier: fields[1], sent: sent!)
        }

        /// The reference as CAP writes it.
        public var text: String { "\(sender),\(identifier),\(sent.text)" }

        public var description: String { text }
    }
}

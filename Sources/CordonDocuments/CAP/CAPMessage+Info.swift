import CordonCore

extension CAPMessage {
    /// The category of an event (`category`).
    public enum Category: String, Sendable, Hashable, CaseIterable {
        case geo = "Geo"
        case met = "Met"
        case safety = "Safety"
        case security = "Security"
        case rescue = "Rescue"
        case fire = "Fire"
        case health = "Health"
        case env = "Env"
        case transport = "Transport"
        case infra = "Infra"
        case cbrne = "CBRNE"
        case other = "Other"
    }

    /// The action recommended to the audience (`responseType`).
    public enum ResponseType: String, Sendable, Hashable, CaseIterable {
        case shelter = "Shelter"
        case evacuate = "Evacuate"
        case prepare = "Prepare"
        case execute = "Execute"
        case avoid = "Avoid"
        case monitor = "Monitor"
        case assess = "Assess"
        case allClear = "AllClear"
        /// No action recommended (`None`).
        case noAction = "None"
    }

    /// How soon to act (`urgency`).
    public enum Urgency: String, Sendable, Hashable, CaseIterable {
        case immediate = "Immediate"
        case expected = "Expected"
        case future = "Future"
        case past = "Past"
        case unknown = "Unknown"
    }

    /// How bad it is (`severity`).
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case extreme = "Extreme"
        case severe = "Severe"
        case moderate = "Moderate"
        case minor = "Minor"
        case unknown = "Unknown"
    }

    /// How sure the sender is (`certainty`).
    public enum Certainty: String, Sendable, Hashable, CaseIterable {
        case observed = "Observed"
        case likely = "Likely"
        case possible = "Possible"
        case unlikely = "Unlikely"
        case unknown = "Unknown"
    }

    /// A named value: a `parameter`, an `eventCode` or a `geocode`.
    public struct NamedValue: Sendable, Hashable {
        /// The name of the value (`valueName`).
        public let name: String
        /// The value (`value`).
        public let value: String

        /// Creates a named value.
        ///
        /// - Throws: ``ValidationFailure`` for an empty name or control characters.
        public init(name: String, value: String) throws {
            var issues = IssueCollector()
            CAPText.check(name, at: "valueName", maxLength: 200, into: &issues)
            if !value.isEmpty { CAPText.check(value, at: "value", multiline: true, into: &issues) }
            try issues.finish()
            self.name = name
            self.value = value
        }
    }

    /// One block of information about the event (`info`), in one language.
    public struct Info: Sendable, Hashable {
        /// The language, RFC 3066 (`en-US` when absent).
        public let language: String?
        /// The categories, at least one.
        public let categories: [Category]
        /// What the event is.
        public let event: String
        public let responseTypes: [ResponseType]
        public let urgency: Urgency
        public let severity: Severity
        public let certainty: Certainty
        /// Who the information is for.
        public let audience: String?
        public let eventCodes: [NamedValue]
        /// When the information takes effect.
        public let effective: Time?
        /// When the event is expected to begin.
        public let onset: Time?
        /// When the information expires.
        public let expires: Time?
        /// The sender's name for people.
        public let senderName: String?
        /// A short headline.
        public let headline: String?
        /// What happened, at length.
        public let description: String?
        /// What recipients should do.
        public let instruction: String?
        /// A link to more information.
        public let web: String?
        /// Whom to contact.
        public let contact: String?
        public let parameters: [NamedValue]
        public let areas: [Area]

        /// Creates an information block.
        ///
        /// - Throws: ``ValidationFailure`` without a category, with an empty event or bad text.
        public init(
            language: String? = nil,
            categories: [Category],
            event: String,
            responseTypes: [ResponseType] = [],
            urgency: Urgency,
            severity: Severity,
            certainty: Certainty,
            audience: String? = nil,
            eventCodes: [NamedValue] = [],
            effective: Time? = nil,
            onset: Time? = nil,
            expires: Time? = nil,
            senderName: String? = nil,
            headline: String? = nil,
            description: String? = nil,
            instruction: String? = nil,
            web: String? = nil,
            contact: String? = nil,
            parameters: [NamedValue] = [],
            areas: [Area] = []
        ) throws {
            var issues = IssueCollector()
            if let language {
                issues.check(
                    language.count <= 35 && Self.isLanguageTag(language),
                    "language",
                    .invalidFormat,
                    "'\(language)' is not a language tag (en-US)"
                )
            }
            issues.check(!categories.isEmpty, "category", .missing, "an info block has at least one category")
            CAPText.check(event, at: "event", maxLength: 500, into: &issues)
            CAPText.check(audience, at: "audience", into: &issues)
            CAPText.check(senderName, at: "senderName", maxLength: 500, into: &issues)
            CAPText.check(headline, at: "headline", maxLength: 500, into: &issues)
            CAPText.check(description, at: "description", multiline: true, into: &issues)
            CAPText.check(instruction, at: "instruction", multiline: true, into: &issues)
            CAPText.check(contact, at: "contact", into: &issues)
            if let web {
                issues.check(
                    !web.contains(where: \.isWhitespace) && CAPText.isAbsoluteURI(web),
                    "web",
                    .invalidFormat,
                    "'\(web)' is not an absolute URI"
                )
            }
            try issues.finish()
            self.language = language
            self.categories = categories
            self.event = event
            self.responseTypes = responseTypes
            self.urgency = urgency
            self.severity = severity
            self.certainty = certainty
            self.audience = audience
            self.eventCodes = eventCodes
            self.effective = effective
            self.onset = onset
            self.expires = expires
            self.senderName = senderName
            self.headline = headline
            self.description = description
            self.instruction = instruction
            self.web = web
            self.contact = contact
            self.parameters = parameters
            self.areas = areas
        }

        /// Whether `text` is an `xs:language` value: `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`.
        static func isLanguageTag(_ text: String) -> Bool {
            let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
            return subtags.enumerated().allSatisfy { index, subtag in
                (1...8).contains(subtag.count)
                    && subtag.allSatisfy { $0.isASCII && ($0.isLetter || (index > 0 && $0.isNumber)) }
            }
        }
    }
}

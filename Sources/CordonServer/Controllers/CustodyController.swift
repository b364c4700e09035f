import CordonCore
import CordonCustody
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird

/// Custody watch over HTTP: a post's codes, its check-ins, and roll calls.
struct CustodyController<S: Store>: Sendable {
    let watch: CustodyWatch<S>
    let now: @Sendable () -> Date

    struct Codes: Decodable {
        let code: String
        let duressCode: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case code
            case duressCode = "duress_code"
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let code = object.required(.code, as: String.self)
            let duress = object.required(.duressCode, as: String.self)
            try object.finish()
            var issues = IssueCollector()
            Self.check(code!, at: "code", into: &issues)
            Self.check(duress!, at: "duress_code", into: &issues)
            try issues.finish()
            self.code = code!
            self.duressCode = duress!
        }

        static func check(_ code: String, at path: String, into issues: inout IssueCollector) {
            issues.check(
                (4...32).contains(code.count) && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) },
                path,
                .invalidFormat,
                "a code is 4 to 32 letters and digits"
            )
        }
    }

    struct CheckInRequest: Decodable {
        let code: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case code
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let code = object.required(.code, as: String.self)
            try object.finish()
            var issues = IssueCollector()
            Codes.check(code!, at: "code", into: &issues)
            try issues.finish()
            self.code = code!
        }
    }

    struct RollCallRequest: Decodable {
        let block: BlockID
        let counted: Int
        let countedBy: StaffID?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case block, counted
            case countedBy = "counted_by"
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let block = object.required(.block, as: BlockID.self)
            let counted = object.required(.counted, as: Int.self)
            countedBy = object.optional(.countedBy, as: StaffID.self)
            try object.finish()
            var issues = IssueCollector()
            issues.check(counted! >= 0, "counted", .outOfRange, "a count cannot be negative: \(counted!)")
            try issues.finish()
            self.block = block!
            self.counted = counted!
        }
    }

    struct CellOpeningRequest: Decodable {
        let requestedBy: StaffID
        let confirmedBy: StaffID?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case requestedBy = "requested_by"
            case confirmedBy = "confirmed_by"
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let requestedBy = object.required(.requestedBy, as: StaffID.self)
            confirmedBy = object.optional(.confirmedBy, as: StaffID.self)
            try object.finish()
            self.requestedBy = requestedBy!
        }
    }

    struct ArmoryRequest: Decodable {
        enum Kind: String, CodedEnum {
            case issue
            case `return`
            case count
        }

        let kind: Kind
        let serial: String?
        let staff: StaffID?
        let found: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind = "event"
            case serial, staff, found
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let kind = object.required(.kind, as: Kind.self)
            serial = object.optional(.serial, as: String.self)
            staff = object.optional(.staff, as: StaffID.self)
            found = object.list(.found, as: String.self)
            try object.finish()
            var issues = IssueCollector()
            switch kind! {
            case .issue, .return:
                issues.check(serial != nil, "serial", .missing, "an issue or a return names the item's serial")
                issues.check(staff != nil, "staff", .missing, "an issue or a return names the member of staff")
                issues.check(found.isEmpty, "found", .notAllowed, "only a count lists what was found")
            case .count:
                issues.check(serial == nil, "serial", .notAllowed, "a count lists the serials found in found")
                issues.check(staff == nil, "staff", .notAllowed, "a count names no member of staff")
            }
            if let serial { TextRules.check(serial, at: "serial", maxLength: 64, into: &issues) }
            for (index, item) in found.enumerated() {
                TextRules.check(item, at: "found[\(index)]", maxLength: 64, into: &issues)
            }
            issues.check(found.count <= 10_000, "found", .outOfRange, "at most 10,000 items")
            try issues.finish()
            self.kind = kind!
        }

        func event(at instant: Date) -> ArmoryLedger.Event {
            switch kind {
            case .issue: return .issue(serial: serial!, to: staff!, at: instant)
            case .return: return .return(serial: serial!, by: staff!, at: instant)
            case .count: return .count(found: Set(found), at: instant)
            }
        }
    }

    struct CredentialUseRequest: Decodable {
        let staff: StaffID
        let place: CredentialWatch.Place

        enum CodingKeys: String, CodingKey, CaseIterable {
            case staff, post, place
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self)
            let staff = object.required(.staff, as: StaffID.self)
            let post = object.optional(.post, as: GuardPostID.self)
            let place = object.optional(.place, as: String.self)
            try object.finish()
            var issues = IssueCollector()
            issues.check((post == nil) != (place == nil), "place", .missing, "give either post or place")
            if let place { TextRules.check(place, at: "place", maxLength: 100, into: &issues) }
            try issues.finish()
            self.staff = staff!
            self.place = post.map { .post($0) } ?? .other(place!)
        }
    }

    func register(on router: inout SecuredRouter) {
        let custody = router.group(Roles.custody)
        let command = router.group(Roles.command)
        custody.on(.post, "/v1/facilities/{id}/cells/{cell}/open") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "facilities", as: FacilityID.self)
            let text = try context.parameters.require("cell")
            guard let cell = try? CellID(text) else { throw Problem.notFound("no cell '\(text)'") }
            let body = try await HTTPSupport.decode(
                CellOpeningRequest.self,
                from: request,
                context: context,
                now: now()
            )
            let opening = try await watch.openCell(
                facility: id,
                cell: cell,
                requestedBy: body.requestedBy,
                confirmedBy: body.confirmedBy,
                by: identity
            )
            return try HTTPSupport.json(opening)
        }

        custody.on(.post, "/v1/facilities/{id}/armory") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "facilities", as: FacilityID.self)
            let body = try await HTTPSupport.decode(ArmoryRequest.self, from: request, context: context, now: now())
            let result = try await watch.armory(facility: id, event: body.event(at: now()), by: identity)
            return try HTTPSupport.json(result, status: .created)
        }

        custody.on(.post, "/v1/facilities/{id}/credential-uses") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "facilities", as: FacilityID.self)
            let body = try await HTTPSupport.decode(
                CredentialUseRequest.self,
                from: request,
                context: context,
                now: now()
            )
            let result = try await watch.credentialUsed(
                facility: id,
                staff: body.staff,
                place: body.place,
                by: identity
            )
            return try HTTPSupport.json(result, status: .created)
        }

        command.on(.put, "/v1/posts/{id}/codes") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "posts", as: GuardPostID.self)
            let body = try await HTTPSupport.decode(Codes.self, from: request, context: context, now: now())
            let watching = try await watch.setCodes(
                post: id,
                code: body.code,
                duressCode: body.duressCode,
                by: identity
            )
            return try HTTPSupport.json(watching)
        }

        custody.on(.post, "/v1/posts/{id}/check-ins") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "posts", as: GuardPostID.self)
            let body = try await HTTPSupport.decode(CheckInRequest.self, from: request, context: context, now: now())
            let receipt = try await watch.checkIn(
                post: id,
                code: body.code,
                by: identity,
                address: context.remoteAddress
            )
            return try HTTPSupport.json(receipt, status: .created)
        }

        custody.on(.post, "/v1/facilities/{id}/roll-calls") { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "facilities", as: FacilityID.self)
            let body = try await HTTPSupport.decode(RollCallRequest.self, from: request, context: context, now: now())
            let result = try await watch.rollCall(
                facility: id,
                block: body.block,
                counted: body.counted,
                countedBy: body.countedBy,
                by: identity
            )
            return try HTTPSupport.json(result, status: .created)
        }
    }
}

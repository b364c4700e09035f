import CordonCore
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

    func register(on router: inout SecuredRouter) {
        router.on(.put, "/v1/posts/{id}/codes", roles: Roles.command) { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "posts", as: GuardPostID.self)
            let body = try await HTTPSupport.decode(Codes.self, from: request, context: context, now: now())
            let watching = try await watch.setCodes(
                post: id,
                code: body.code,
                duressCode: body.duressCode,
                by: identity!
            )
            return try HTTPSupport.json(watching)
        }

        router.on(.post, "/v1/posts/{id}/check-ins", roles: Roles.custody) { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "posts", as: GuardPostID.self)
            let body = try await HTTPSupport.decode(CheckInRequest.self, from: request, context: context, now: now())
            let receipt = try await watch.checkIn(
                post: id,
                code: body.code,
                by: identity!,
                address: context.remoteAddress
            )
            return try HTTPSupport.json(receipt, status: .created)
        }

        router.on(.post, "/v1/facilities/{id}/roll-calls", roles: Roles.custody) { request, context, identity in
            try HTTPSupport.allowQuery(request, [])
            let id = try HTTPSupport.identifier(context, "facilities", as: FacilityID.self)
            let body = try await HTTPSupport.decode(RollCallRequest.self, from: request, context: context, now: now())
            let result = try await watch.rollCall(
                facility: id,
                block: body.block,
                counted: body.counted,
                countedBy: body.countedBy,
                by: identity!
            )
            return try HTTPSupport.json(result, status: .created)
        }
    }
}

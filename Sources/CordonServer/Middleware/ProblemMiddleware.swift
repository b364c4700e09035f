import CordonCore
import CordonStore
import Foundation
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error into an RFC 9457 problem; anything unexpected becomes a generic 500 that is logged
/// with the request id and never shows the client a driver's message.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = CordonRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let failure as ValidationFailure {
            return try Problem.validation(failure).response(from: request, context: context)
        } catch let error as HTTPParserError {
            // A body the HTTP parser cannot read (a broken chunk size, say) is the client's fault.
            return try Problem.badRequest("the request's body cannot be read: \(error)").response(
                from: request,
                context: context
            )
        } catch let error as OperationError {
            let problem: Problem = error.code == .notFound ? .notFound(error.message) : .conflict(error.message)
            return try problem.response(from: request, context: context)
        } catch let error as StoreError {
            return try Self.problem(for: error, request: request, context: context).response(
                from: request,
                context: context
            )
        } catch let error as HTTPError {
            let problem: Problem
            switch error.status {
            case .contentTooLarge: problem = .tooLarge(context.maxUploadSize)
            case .notFound: problem = .notFound("no route \(request.method) \(request.uri.path)")
            case .methodNotAllowed:
                problem = Problem(.methodNotAllowed, type: "method-not-allowed", title: "Method not allowed")
            default:
                problem = Problem(error.status, type: "http", title: error.status.reasonPhrase, detail: error.body)
            }
            return try problem.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let problem = Problem(error.status, type: "http", title: error.status.reasonPhrase)
            return try problem.response(from: request, context: context)
        } catch {
            context.logger.error(
                "unexpected error",
                metadata: ["request.id": .string(context.id), "error": .string(String(reflecting: error))]
            )
            return try Problem(
                .internalServerError,
                type: "internal",
                title: "Internal error",
                detail: "request \(context.id)"
            )
            .response(from: request, context: context)
        }
    }

    static func problem(for error: StoreError, request: Request, context: Context) -> Problem {
        if let underlying = error.underlying {
            context.logger.notice(
                "store error",
                metadata: [
                    "request.id": .string(context.id), "store.code": .string(error.code.description),
                    "error": .string(String(reflecting: underlying)),
                ]
            )
        }
        switch error.code {
        case .notFound: return .notFound(error.message)
        case .conflict:
            if request.headers[.ifMatch] != nil {
                return Problem(
                    .preconditionFailed,
                    type: "precondition-failed",
                    title: "The resource changed",
                    detail: error.message
                )
            }
            return .conflict(error.message)
        case .constraint:
            return Problem(
                .unprocessableContent,
                type: "constraint",
                title: "The change breaks a rule",
                detail: error.message
            )
        case .unavailable:
            return Problem(
                .serviceUnavailable,
                type: "unavailable",
                title: "The database is unavailable",
                detail: "nothing was changed; try again",
                retryAfter: 1
            )
        default:
            context.logger.error(
                "store error",
                metadata: ["request.id": .string(context.id), "error": .string(error.description)]
            )
            return Problem(
                .internalServerError,
                type: "internal",
                title: "Internal error",
                detail: "request \(context.id)"
            )
        }
    }
}

/// Reads the bearer token (or the dashboard's session cookie), if any, and sets the caller's identity.
struct AuthenticationMiddleware<S: Store>: RouterMiddleware {
    typealias Context = CordonRequestContext
    let store: S
    let now: @Sendable () -> Date

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, try await sessionContext(request, context))
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else { throw Problem.unauthorized }
        let token = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        guard (16...200).contains(token.utf8.count) else { throw Problem.unauthorized }
        let hash = AuditChain.digest(token)
        guard let record = try await store.token(hash: hash), record.isValid(at: now()),
            let account = try await store.account(username: record.username), !account.isDisabled
        else { throw Problem.unauthorized }
        var context = context
        context.identity = Identity(
            username: account.username,
            role: account.role,
            tokenHash: hash,
            serves: Set(account.serves)
        )
        context.logger[metadataKey: "user"] = .string(account.username)
        return try await next(request, context)
    }

    /// The dashboard's session cookie, when there is no Authorization header. A stale or unknown
    /// cookie, or a change asked for without the session's anti-forgery header, leaves the caller
    /// anonymous: secured routes then answer 401, and dashboard pages send the browser to sign in.
    private func sessionContext(_ request: Request, _ context: Context) async throws -> Context {
        guard let token = DashboardSession.token(of: request), DashboardSession.mayChange(request, token: token) else {
            return context
        }
        let hash = AuditChain.digest(token)
        guard let record = try await store.token(hash: hash), record.isValid(at: now()),
            let account = try await store.account(username: record.username), !account.isDisabled
        else { return context }
        var context = context
        context.identity = Identity(
            username: account.username,
            role: account.role,
            tokenHash: hash,
            serves: Set(account.serves)
        )
        context.logger[metadataKey: "user"] = .string(account.username)
        return context
    }
}

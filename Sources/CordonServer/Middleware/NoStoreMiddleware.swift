import HTTPTypes
import Hummingbird

/// Keeps API answers out of every cache: tokens and case data must not linger in a browser's or a
/// proxy's store. Answers under `/v1/` that set no `Cache-Control` of their own get `no-store`.
struct NoStoreMiddleware: RouterMiddleware {
    typealias Context = CordonRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if request.uri.path.hasPrefix("/v1/"), response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

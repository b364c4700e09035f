import Foundation
import HTTPTypes
import Hummingbird

/// Over TLS: tells browsers to come back only over HTTPS (HSTS, a year) and marks every cookie `Secure`,
/// so that no session cookie is ever sent in the clear.
struct TLSHeadersMiddleware: RouterMiddleware {
    typealias Context = CordonRequestContext

    static let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.strictTransportSecurity] = "max-age=31536000"
        let cookies = response.headers[values: .setCookie]
        if cookies.contains(where: { !Self.isSecure($0) }) {
            response.headers[values: .setCookie] = cookies.map { Self.isSecure($0) ? $0 : $0 + "; Secure" }
        }
        return response
    }

    static func isSecure(_ cookie: String) -> Bool {
        cookie.split(separator: ";").dropFirst().contains {
            $0.trimmingCharacters(in: .whitespaces).lowercased() == "secure"
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Renders the dashboard's Mustache templates and answers with HTML.
///
/// The templates and static files are resources of this module (`Resources/dashboard`), found
/// through `Bundle.module`, never relative to the working directory.
struct DashboardRenderer: Sendable {
    let library: MustacheLibrary
    /// The folder of static files (`/ui/static/…`).
    let staticFolder: String
    /// The folder of the dashboard's resources.
    let folder: URL

    /// Loads the templates.
    ///
    /// - Throws: when the resources are missing or a template does not parse.
    static func load() async throws -> DashboardRenderer {
        guard let folder = Bundle.module.url(forResource: "dashboard", withExtension: nil) else {
            throw DashboardMap.MapError(message: "the dashboard's resources are missing from the bundle")
        }
        let library = try await MustacheLibrary(directory: folder.appendingPathComponent("templates").path)
        return DashboardRenderer(
            library: library,
            staticFolder: folder.appendingPathComponent("static").path,
            folder: folder
        )
    }

    /// Renders a template with an object (a struct whose properties the template names).
    func render(_ template: String, _ object: Any) -> String {
        library.render(object, withTemplate: template) ?? ""
    }

    /// The headers every dashboard page carries: no caching of officers' data, and a content policy
    /// that allows only this server's own scripts, styles and connections.
    static var pageHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return headers
    }

    /// An HTML response.
    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = pageHeaders
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A redirect after a form or to the sign-in page.
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}

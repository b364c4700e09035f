import CordonCore
import Crypto
package import Foundation
package import HTTPTypes
package import Hummingbird

/// How a browser stays signed in to the dashboard: the bearer token in an HTTP-only cookie.
///
/// The browser never reads the token. A request signed in by the cookie that changes something
/// (any method but GET and HEAD) must also carry ``csrfHeader`` with ``csrfToken(for:)`` of the
/// session: another site can make a browser send the cookie, but it cannot read the page that holds
/// that value, nor add the header without the server's consent (CORS), so it cannot act in the
/// officer's name.
package enum DashboardSession {
    /// The cookie holding the session's bearer token.
    package static let cookie = "cordon_session"
    /// The cookie holding the browser's IANA time zone, for writing times in the officer's zone.
    package static let zoneCookie = "cordon_zone"
    /// The header a script sends with each change it asks for.
    package static let csrfHeader = HTTPField.Name("X-Cordon-CSRF")!

    /// The anti-forgery value of a session: derived from the token, so nothing more is stored.
    package static func csrfToken(for token: String) -> String {
        let digest = SHA256.hash(data: Data(("cordon-dashboard-csrf\u{0}" + token).utf8))
        return Hex.encode(Data(digest))
    }

    /// The session token a request carries in its cookie, if any.
    package static func token(of request: Request) -> String? {
        guard let value = request.cookies[cookie]?.value, (16...200).contains(value.utf8.count) else { return nil }
        return value
    }

    /// Whether a cookie-signed request may change something: safe methods always, others only with
    /// the session's anti-forgery header.
    package static func mayChange(_ request: Request, token: String) -> Bool {
        switch request.method {
        case .get, .head: return true
        default:
            guard let sent = request.headers[csrfHeader] else { return false }
            return constantTimeEquals(sent, csrfToken(for: token))
        }
    }

    /// The zone the officer's browser reported, or nil.
    package static func zone(of request: Request) -> TimeZone? {
        guard let name = request.cookies[zoneCookie]?.value.removingPercentEncoding, name.count <= 64 else {
            return nil
        }
        return TimeZone(identifier: name)
    }

    /// The cookie that signs a browser in, for as long as the token lives.
    package static func signInCookie(token: String, expires: Date, now: Date) -> Cookie {
        Cookie(
            name: cookie,
            value: token,
            maxAge: max(0, Int(expires.timeIntervalSince(now))),
            path: "/",
            httpOnly: true,
            sameSite: .strict
        )
    }

    /// The cookie that signs a browser out.
    package static var signOutCookie: Cookie {
        Cookie(name: cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict)
    }

    /// Compares two secrets in a time that does not depend on where they differ.
    package static func constantTimeEquals(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

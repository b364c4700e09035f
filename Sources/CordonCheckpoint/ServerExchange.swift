import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request to the Cordon server with the checkpoint's bearer token.
struct ServerExchange {
    /// What came back.
    struct Answer {
        let status: Int
        let body: Data

        /// The body as a JSON object, when it is one.
        var object: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }

        /// The problem's `detail`, for a one-line message.
        var detail: String? { object?["detail"] as? String }
    }

    /// The server could not be reached.
    struct Unreachable: Error, CustomStringConvertible {
        let description: String
    }

    let server: URL
    let token: String

    func perform(_ method: String, _ path: String, json: Data? = nil) async throws -> Answer {
        // A query stays a query: only the path is appended as a path.
        let parts = path.split(separator: "?", maxSplits: 1)
        var url = server.appendingPathComponent(String(parts.first ?? ""))
        if parts.count == 2, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.percentEncodedQuery = String(parts[1])
            url = components.url ?? url
        }
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let json {
            request.httpBody = json
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await URLSession.shared.exchange(request)
            return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
        } catch {
            throw Unreachable(description: "cannot reach \(server.absoluteString): \(error.localizedDescription)")
        }
    }
}

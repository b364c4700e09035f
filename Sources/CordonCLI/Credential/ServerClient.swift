import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Calls the Cordon API with a bearer token: JSON in, JSON out, problems turned into one line.
struct ServerClient: Sendable {
    /// Why a call failed: one line for people.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let base: String
    let token: String

    /// A client of `server` (an http:// or https:// URL) with `token`, or CORDON_TOKEN when nil.
    init(server: String, token: String?) throws {
        guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw ValidationError("--server must be an http:// or https:// URL, such as http://127.0.0.1:8080")
        }
        guard let token = token ?? ProcessInfo.processInfo.environment["CORDON_TOKEN"], !token.isEmpty else {
            throw ValidationError("give --token or set CORDON_TOKEN")
        }
        base = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
    }

    /// Sends a request and answers the JSON object of a 2xx answer.
    ///
    /// - Throws: ``Failure`` for a connection that fails, a 4xx or 5xx (with the problem's detail), or
    ///   an answer that is not a JSON object.
    func call(_ method: String, _ path: String, json body: [String: Any]? = nil) async throws -> [String: Any] {
        guard let url = URL(string: base + path) else { throw Failure(description: "bad URL \(base + path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw Failure(description: "cannot reach \(base): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard (200..<300).contains(status) else {
            var detail = object?["detail"] as? String ?? String(decoding: data.prefix(200), as: UTF8.self)
            if let errors = object?["errors"] as? [[String: Any]], !errors.isEmpty {
                detail += " (" + errors.compactMap { $0["pointer"] as? String }.joined(separator: ", ") + ")"
            }
            throw Failure(description: "the server answered \(status): \(detail)")
        }
        guard let object else { throw Failure(description: "the server's answer is not a JSON object") }
        return object
    }
}

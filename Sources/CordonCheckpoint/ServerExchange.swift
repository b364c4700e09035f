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
    /// How many times a request the server refused as overloaded is tried again, each after the wait
    /// its `Retry-After` asks for.
    var retries = 3
    /// The longest `Retry-After` honoured: a server asking for more is answered with its refusal.
    var longestWait: Duration = .seconds(30)

    /// Sends a request. A 503 with `Retry-After` is tried again after that many seconds (and a little
    /// more, so that many checkpoints refused together do not all come back in the same instant), up to
    /// ``retries`` times: for a read always, for anything else only when the server says `overloaded`,
    /// which it answers before reading the request, so nothing was done.
    func perform(_ method: String, _ path: String, json: Data? = nil) async throws -> Answer {
        var attempt = 0
        while true {
            let (answer, retryAfter) = try await once(method, path, json: json)
            attempt += 1
            guard answer.status == 503, attempt <= retries, let retryAfter, retryAfter <= longestWait,
                method == "GET" || (answer.object?["type"] as? String)?.hasSuffix("/overloaded") == true
            else { return answer }
            try await Task.sleep(for: retryAfter + .milliseconds(Int.random(in: 0...250)))
        }
    }

    private func once(_ method: String, _ path: String, json: Data?) async throws -> (Answer, Duration?) {
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
            let http = response as? HTTPURLResponse
            // Seconds only (RFC 9110 §10.2.3 also allows a date, which Cordon never sends).
            let retryAfter = http?.value(forHTTPHeaderField: "Retry-After")
                .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                .flatMap { $0 >= 0 ? Duration.seconds($0) : nil }
            return (Answer(status: http?.statusCode ?? 0, body: data), retryAfter)
        } catch {
            throw Unreachable(description: "cannot reach \(server.absoluteString): \(error.localizedDescription)")
        }
    }
}

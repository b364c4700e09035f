public import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where a checkpoint fetches the repository's files from.
public protocol RepositoryFetcher: Sendable {
    /// The file at `path` under the repository (`timestamp.json`, `targets/HASH.NAME`), or nil when the
    /// server says it has none (404).
    func fetch(_ path: String) async throws -> Data?
}

/// Fetches from a Cordon server over HTTP with a bearer token.
public struct HTTPRepositoryFetcher: RepositoryFetcher {
    /// Why a file could not be fetched.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The server's base URL (`http://host:port`).
    public let server: URL
    public let token: String
    /// The largest file accepted, in bytes.
    public var maximumSize = 256 << 20

    public init(server: URL, token: String) {
        self.server = server
        self.token = token
    }

    public func fetch(_ path: String) async throws -> Data? {
        let url = server.appendingPathComponent("v1/lists/tuf/" + path)
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw Failure(description: "cannot reach \(server.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if status == 404 { return nil }
        guard status == 200 else {
            let detail = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["detail"] as? String
            throw Failure(description: "\(url.absoluteString) answered \(status)" + (detail.map { ": \($0)" } ?? ""))
        }
        guard data.count <= maximumSize else {
            throw Failure(description: "\(path) is larger than \(maximumSize) bytes")
        }
        return data
    }
}

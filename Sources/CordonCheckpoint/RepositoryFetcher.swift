public import Foundation

/// Where a checkpoint fetches the repository's files from.
public protocol RepositoryFetcher: Sendable {
    /// The file at `path` under the repository (`timestamp.json`, `targets/HASH.NAME`), or nil when the
    /// server says it has none (404).
    func fetch(_ path: String) async throws -> Data?

    /// The server's API answer at `path` (`v1/audit/tree-head?since=12`), or nil when it has none; a
    /// fetcher that only serves the repository answers nil.
    func api(_ path: String) async throws -> Data?
}

extension RepositoryFetcher {
    public func api(_ path: String) async throws -> Data? { nil }
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
        try await get("v1/lists/tuf/" + path)
    }

    public func api(_ path: String) async throws -> Data? {
        try await get(path)
    }

    private func get(_ path: String) async throws -> Data? {
        let answer: ServerExchange.Answer
        do {
            answer = try await ServerExchange(server: server, token: token).perform("GET", path)
        } catch let unreachable as ServerExchange.Unreachable {
            throw Failure(description: unreachable.description)
        }
        if answer.status == 404 { return nil }
        guard answer.status == 200 else {
            throw Failure(description: "\(path) answered \(answer.status)" + (answer.detail.map { ": \($0)" } ?? ""))
        }
        let data = answer.body
        guard data.count <= maximumSize else {
            throw Failure(description: "\(path) is larger than \(maximumSize) bytes")
        }
        return data
    }
}

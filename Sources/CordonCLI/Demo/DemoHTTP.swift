import CordonCheckpoint
import CordonEvents
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Plain HTTP to the demo server.
struct DemoHTTP: Sendable {
    let base: String

    func token(_ username: String, _ password: String) async throws -> String {
        let answer = try await expect(
            201,
            "POST",
            "/v1/auth/token",
            json: ["username": username, "password": password]
        )
        guard let token = answer["token"] as? String else { throw DemoError("no token for \(username)") }
        return token
    }

    /// A file as served, byte for byte (signed metadata must not be re-encoded).
    func raw(_ path: String, token: String) async throws -> Data {
        var request = URLRequest(url: URL(string: base + path)!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.exchange(request)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard code == 200 else { throw DemoError("GET \(path) answered \(code)") }
        return data
    }

    @discardableResult
    func expect(
        _ status: Int,
        _ method: String,
        _ path: String,
        token: String? = nil,
        json: Any? = nil
    ) async throws
        -> [String: Any]
    {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.exchange(request)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard code == status else {
            throw DemoError("\(method) \(path) answered \(code): \(String(decoding: data, as: UTF8.self))")
        }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}

/// Reads headquarters' operations stream and hands each event to `handle`, until cancelled.
extension DemoNight {
    static func listenToOperations(
        port: Int,
        token: String,
        handle: @escaping @Sendable (OperationsEvent) async -> Void
    ) async throws {
        var logger = Logger(label: "cordon-demo-operations")
        logger.logLevel = .critical
        try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/v1/operations/stream",
            configuration: .init(maxFrameSize: 1 << 22, additionalHeaders: [.authorization: "Bearer \(token)"]),
            logger: logger
        ) { inbound, _, _ in
            for try await message in inbound.messages(maxSize: 1 << 22) {
                guard case .text(let text) = message, let record = try? EventRecord(frame: text) else { continue }
                await handle(record.event)
            }
        }
    }
}

import CordonCore
import CordonEvents
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Testing

/// A real WebSocket client for tests: connects to the live server, collects the JSON frames it
/// receives, and sends frames on request. Every frame of an alert stream is also read with the same
/// ``ServerFrame`` code the clients use, and every frame of the operations stream as an
/// ``EventRecord``: a frame they cannot read fails the test.
final class SocketClient: Sendable {
    private actor Inbox {
        var frames: [JSONValue] = []
        var isClosed = false
        var closeCode: WebSocketErrorCode?

        func append(_ frame: JSONValue) { frames.append(frame) }
        func close(_ code: WebSocketErrorCode?) {
            isClosed = true
            closeCode = code
        }
        func take() -> JSONValue? { frames.isEmpty ? nil : frames.removeFirst() }
    }

    private let inbox = Inbox()
    private let outgoing: AsyncStream<String>.Continuation
    private let task: Task<Void, Never>

    /// Connects to `path` on the server at `port` with a bearer token.
    init(port: Int, path: String, token: String) {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        outgoing = continuation
        let inbox = self.inbox
        task = Task {
            var logger = Logger(label: "test-socket")
            logger.logLevel = .critical
            do {
                let close = try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(port)\(path)",
                    configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: [.authorization: "Bearer \(token)"]),
                    logger: logger
                ) { inbound, outbound, _ in
                    let writer = Task {
                        for await text in stream {
                            try? await outbound.write(.text(text))
                        }
                        try? await outbound.close(.normalClosure, reason: nil)
                    }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { Self.checkTyped(text, path: path) }
                        if case .text(let text) = message,
                            let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                        {
                            await inbox.append(value)
                        }
                    }
                    writer.cancel()
                }
                await inbox.close(close?.closeCode)
            } catch {
                await inbox.close(nil)
            }
        }
    }

    /// Reads a frame with the shared typed code of its stream, recording an issue when it cannot.
    static func checkTyped(_ text: String, path: String) {
        do {
            if path.hasSuffix("/operations/stream") {
                _ = try EventRecord(frame: text)
            } else {
                _ = try ServerFrame(text: text)
            }
        } catch {
            Issue.record("the server sent a frame the typed code cannot read: \(error): \(text.prefix(300))")
        }
    }

    /// Sends a typed frame, written by the same code as every client's.
    func send(_ frame: ClientFrame) { outgoing.yield(frame.text) }

    /// Sends a frame (raw text, which may be anything).
    func send(raw text: String) { outgoing.yield(text) }

    /// Sends a JSON frame.
    func send(_ object: [String: JSONValue]) {
        let data = (try? JSONEncoder().encode(JSONValue.object(object))) ?? Data()
        outgoing.yield(String(decoding: data, as: UTF8.self))
    }

    /// The next frame, waiting up to `timeout`.
    func next(timeout: Duration = .seconds(10)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let frame = await inbox.take() { return frame }
            if await inbox.isClosed { throw TestFailure("the socket closed while waiting for a frame") }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestFailure("no frame within \(timeout)")
    }

    /// The next frame of a type, skipping others; fails on an unexpected frame when `strict`.
    func next(type: String, timeout: Duration = .seconds(10)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            let frame = try await next(timeout: deadline - ContinuousClock.now)
            if frame["type"]?.stringValue == type { return frame }
        }
    }

    /// Frames that arrive within `window`, for checking that nothing more comes.
    func drain(for window: Duration) async throws -> [JSONValue] {
        try await Task.sleep(for: window)
        var frames: [JSONValue] = []
        while let frame = await inbox.take() { frames.append(frame) }
        return frames
    }

    /// Waits for the server to close the connection; returns its close code.
    func closed(timeout: Duration = .seconds(10)) async throws -> WebSocketErrorCode? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await inbox.isClosed { return await inbox.closeCode }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("the socket stayed open")
    }

    /// Closes the connection from this side.
    func close() async {
        outgoing.finish()
        _ = await task.value
    }
}

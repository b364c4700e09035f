import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import CordonServer

/// The request deadlines on a channel whose clock the test moves: an idle connection after an answer is
/// closed without a word, a body that stops is answered 408, an answer being written is never cut off,
/// and a WebSocket upgrade takes the handler out of the pipeline.
@Suite struct RequestDeadlineTests {
    static let limits = ConnectionLimits(
        headerTimeout: .seconds(10),
        bodyTimeout: .seconds(30),
        idleTimeout: .seconds(60)
    )

    static func channel() async throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(RequestDeadlineHandler(limits: limits))
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).get()
        return channel
    }

    static let head = HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/screen"))

    static func answer(_ channel: EmbeddedChannel, _ status: HTTPResponseStatus = .ok) throws {
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status)))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    /// The status of the answer the handler wrote itself, if any.
    static func written(_ channel: EmbeddedChannel) throws -> HTTPResponseStatus? {
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            if case .head(let head) = part, head.status != .ok, head.status != .switchingProtocols {
                return head.status
            }
        }
        return nil
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeoutNotBefore() async throws {
        let channel = try await Self.channel()
        try channel.writeInbound(Self.head)
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        // Answering takes as long as it takes: nothing is cut off meanwhile.
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive)
        try Self.answer(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        #expect(try Self.written(channel) == nil, "an idle connection is closed without a word")
    }

    @Test func aSilentConnectionIsToldAndClosedAfterTheHeaderTimeout() async throws {
        let channel = try await Self.channel()
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try Self.written(channel) == .requestTimeout)
        #expect(!channel.isActive)
    }

    @Test func aBodyThatPausesTooLongIsAnswered408() async throws {
        let channel = try await Self.channel()
        try channel.writeInbound(Self.head)
        for _ in 0..<5 {
            // Each part of the body resets the pause.
            channel.embeddedEventLoop.advanceTime(by: .seconds(25))
            try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "{")))
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(31))
        #expect(try Self.written(channel) == .requestTimeout)
        #expect(!channel.isActive)
    }

    @Test func anUnreadableRequestIsAnswered400AndClosed() async throws {
        let channel = try await Self.channel()
        channel.pipeline.fireErrorCaught(HTTPParserError.invalidURL)
        #expect(try Self.written(channel) == .badRequest)
        #expect(!channel.isActive)
        let other = try await Self.channel()
        other.pipeline.fireErrorCaught(HTTPParserError.headerOverflow)
        #expect(try Self.written(other) == .requestHeaderFieldsTooLarge)
    }

    @Test func anUpgradeTakesTheHandlerOut() async throws {
        let channel = try await Self.channel()
        try channel.writeInbound(Self.head)
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        channel.writeAndFlush(
            HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .switchingProtocols)),
            promise: nil
        )
        #expect(throws: (any Error).self) {
            try channel.pipeline.syncOperations.handler(type: RequestDeadlineHandler.self)
        }
        // A WebSocket may stay quiet for hours.
        channel.embeddedEventLoop.advanceTime(by: .seconds(3600))
        #expect(channel.isActive)
    }
}

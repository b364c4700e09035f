import NIOCore
import NIOHTTP1

/// The first handler of every connection: takes its place in the ``ConnectionBudget`` and gives it back
/// when the connection ends. A connection over a limit is closed at once (over plain HTTP after a 503
/// saying so); it never reaches the HTTP decoder.
final class ConnectionBudgetHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let budget: ConnectionBudget
    private let explains: Bool
    private var address: String?

    /// - Parameter explains: whether a refused connection is told so in plain HTTP (not over TLS).
    init(budget: ConnectionBudget, explains: Bool) {
        self.budget = budget
        self.explains = explains
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { take(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        take(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let address {
            budget.release(address)
            self.address = nil
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A refused connection's bytes go nowhere.
        if address != nil { context.fireChannelRead(data) }
    }

    private func take(_ context: ChannelHandlerContext) {
        guard address == nil, context.channel.isActive else { return }
        let from = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if let refusal = budget.take(from) {
            guard explains else {
                context.close(promise: nil)
                return
            }
            let detail =
                refusal == .total
                ? "the server holds as many connections as it may" : "this address holds as many connections as it may"
            let body =
                #"{"type":"https://cordon.example/problems/too-many-connections","title":"Too many connections","#
                + #""status":503,"detail":"\#(detail)"}"#
            let text =
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nRetry-After: 5\r\nConnection: close\r\n\r\n\(body)"
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)))
                .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        address = from
    }
}

/// Watches each HTTP/1 request on a connection, between the decoder and the rest of the pipeline.
///
/// - The first request's head must arrive within the header timeout of the connection's start, and each
///   later head within the idle timeout of the answer before: else the connection is closed (with a 408
///   when a request had begun).
/// - A body may not pause longer than the body timeout: 408 and closed.
/// - A request the decoder cannot read (a NUL in the path, an endless header, both `Content-Length` and
///   `Transfer-Encoding`) is answered 400 (431 for headers too large) as a problem, and closed.
/// - A WebSocket upgrade takes the handler out: the stream's own rules (hello, frames) apply from then on.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// No request open: the next head is awaited (the first, or after an answer).
        case waitingForHead(first: Bool)
        case readingBody
        /// The request was read; the answer is being written (any time it takes, a live feed forever).
        case answering
        /// A 400 or 408 was sent; the connection closes.
        case closing
    }

    private let limits: ConnectionLimits
    private var state = State.waitingForHead(first: true)
    /// Heads read whose answer has not ended.
    private var unanswered = 0
    private var timer: Scheduled<Void>?
    /// The 101 of a WebSocket upgrade went out: the handler leaves once it is flushed.
    private var leaving = false

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, limits.headerTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil, case .waitingForHead = state { arm(context, limits.headerTimeout) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .closing = state { return }
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            state = .readingBody
            arm(context, limits.bodyTimeout)
        case .body:
            arm(context, limits.bodyTimeout)
        case .end:
            disarm()
            if unanswered == 0 {
                // Answered before its body ended (a refusal): the connection waits for the next head.
                state = .waitingForHead(first: false)
                arm(context, limits.idleTimeout)
            } else {
                state = .answering
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status == .switchingProtocols:
            // The WebSocket takes over the connection: this handler leaves it after the flush that follows
            // (leaving here would lose the flush of a write-and-flush).
            disarm()
            leaving = true
        case .end:
            unanswered = max(0, unanswered - 1)
            if unanswered == 0, case .answering = state {
                state = .waitingForHead(first: false)
                arm(context, limits.idleTimeout)
            }
        default:
            break
        }
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        context.flush()
        if leaving {
            leaving = false
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .waitingForHead, .readingBody:
            let tooLarge: Bool
            if let parser = error as? HTTPParserError {
                tooLarge = parser == .headerOverflow
            } else {
                tooLarge = error is NIOHTTPDecoderError
            }
            answer(
                context,
                status: tooLarge ? .requestHeaderFieldsTooLarge : .badRequest,
                kind: "malformed-request",
                detail: tooLarge
                    ? "the request's head is larger than this server reads" : "the request is not valid HTTP/1.1"
            )
        case .answering:
            // An answer is under way: no second one can be sent.
            state = .closing
            context.close(promise: nil)
        case .closing:
            break
        }
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: Duration) {
        timer?.cancel()
        let loop = context.eventLoop.assumeIsolated()
        timer = loop.scheduleTask(in: TimeAmount(timeout)) { [self] in
            timer = nil
            expire(context)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }

    private func expire(_ context: ChannelHandlerContext) {
        switch state {
        case .waitingForHead(let first) where first:
            answer(context, status: .requestTimeout, kind: "request-timeout", detail: "no request came in time")
        case .waitingForHead:
            // An idle connection after an answer is closed without a word, as clients expect.
            state = .closing
            context.close(promise: nil)
        case .readingBody:
            answer(
                context,
                status: .requestTimeout,
                kind: "request-timeout",
                detail: "the request's body stopped coming"
            )
        case .answering, .closing:
            break
        }
    }

    /// Sends one problem and closes the connection.
    private func answer(_ context: ChannelHandlerContext, status: HTTPResponseStatus, kind: String, detail: String) {
        state = .closing
        disarm()
        let body =
            #"{"type":"https://cordon.example/problems/\#(kind)","title":"\#(status.reasonPhrase)","#
            + #""status":\#(status.code),"detail":"\#(detail)"}"#
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/problem+json")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

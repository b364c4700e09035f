public import CordonCore
public import Hummingbird
public import HummingbirdWebSocket
import Logging
import NIOCore

/// The per-request context: the caller's identity and network address.
public struct CordonRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, set by ``AuthenticationMiddleware``.
    public var identity: Identity?
    /// The peer's address as text (`127.0.0.1`).
    public let remoteAddress: String?
    /// Where the alert stream's handler is kept while a connection upgrades to a WebSocket.
    public let webSocket: WebSocketHandlerReference<CordonRequestContext>
    /// The connection the request came on: an alert stream that falls behind is closed through it.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
        webSocket = .init()
        channel = source.channel
    }

    /// The largest body a JSON request may have; list imports stream with their own limit.
    public var maxUploadSize: Int { 1 << 20 }
}

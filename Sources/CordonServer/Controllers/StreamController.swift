import CordonAlerts
import CordonCore
import CordonDocuments
import CordonEvents
import CordonPublishing
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// The WebSocket streams: a checkpoint's or a post's alert outbox, and headquarters' operations feed.
///
/// A recipient connects to `/v1/checkpoints/{id}/stream` (or `/v1/posts/{id}/stream`) with its bearer
/// token and speaks JSON text frames:
///
/// - client: `{"type": "hello", "last_sequence": N, "device": …}` first, N being the last sequence it saw
///   (0 for none), with an optional device name;
///   then `{"type": "received", "sequence": N}` for each alert and `{"type": "ack", "alert": ID}`
///   once a person has read it, with `"pass"`, that officer's signed pass, when the client knows who
///   read it: the pass is verified (headquarters' keys, revocations, its window) and the officer it
///   names is recorded with the acknowledgement; a pass that fails is refused and acknowledges nothing;
/// - server: `{"type": "welcome", …}`, then `{"type": "alert", "sequence": N, "alert": {…}, "cap": {…}}`
///   for everything in its outbox after N, in order, and for each new alert at once;
///   `{"type": "acknowledged", "alert": ID, "ack_identifier": …}`; `{"type": "error", "message": …}`
///   for a frame it cannot take, which changes nothing.
///
/// Several devices may hold one recipient's stream; each gets every alert (see `AlertCenter`). A client
/// that sends more than ``maximumFramesPerSecond`` frames in a second is disconnected with close code
/// 1008 (policy violation), as is one that says no hello within ``helloTimeout``; one that sends a frame
/// over ``maximumFrameSize`` bytes with 1009.
struct StreamController<S: Store>: Sendable {
    let store: S
    let center: AlertCenter<S>
    /// Verifies the officers' passes that come with acknowledgements.
    let credentials: CredentialService<S>
    /// The streams each account may hold at once.
    let quota: StreamQuota
    let bus: any EventBus
    /// Alert contents encoded once as buffers, written to every recipient.
    let bodies: SharedAlertBodies
    /// The zone the operations stream writes times in.
    let zone: TimeZone
    let logger: Logger

    static var maximumFramesPerSecond: Int { 50 }
    /// How long a new stream may stay silent before its hello: then it is closed (1008).
    static var helloTimeout: Duration { .seconds(10) }
    static var maximumFrameSize: Int { 16 << 10 }

    enum Endpoint: Sendable {
        case checkpoint
        case post
        case operations

        var path: String {
            switch self {
            case .checkpoint: return "/v1/checkpoints/{id}/stream"
            case .post: return "/v1/posts/{id}/stream"
            case .operations: return "/v1/operations/stream"
            }
        }

        /// The recipient a stream's `id` names (`checkpoints/cp-air-dushanbe`).
        func recipient(_ id: String) -> String { (self == .checkpoint ? "checkpoints/" : "posts/") + id }

        var roles: Set<Role> {
            switch self {
            case .checkpoint: return [.admin, .commander, .checkpointOfficer]
            case .post: return Roles.custody
            case .operations: return Roles.command
            }
        }
    }

    /// The HTTP side: a plain GET (no upgrade) is checked like any route, then told to upgrade.
    func register(on router: inout SecuredRouter) {
        for endpoint in [Endpoint.checkpoint, .post, .operations] {
            router.group(endpoint.roles).on(.get, endpoint.path) { request, context, identity in
                try HTTPSupport.allowQuery(request, [])
                if endpoint != .operations {
                    let id = try context.parameters.require("id")
                    guard try await recipientExists(endpoint, id: id) else {
                        throw Problem.notFound("no \(endpoint == .checkpoint ? "checkpoints" : "posts") '\(id)'")
                    }
                    let recipient = endpoint.recipient(id)
                    guard identity.mayHold(recipient) else {
                        throw Problem(
                            .forbidden,
                            type: "forbidden",
                            title: "Not this account's stream",
                            detail:
                                "the account \(identity.username) does not serve \(recipient): its stream is refused"
                        )
                    }
                }
                throw Problem(
                    .upgradeRequired,
                    type: "upgrade-required",
                    title: "Connect with a WebSocket",
                    detail: "this route is a WebSocket stream: send the upgrade headers"
                )
            }
        }
    }

    /// The WebSocket side, on the router the upgrade requests go through.
    func register(webSocketRouter router: Router<CordonRequestContext>) {
        for endpoint in [Endpoint.checkpoint, .post, .operations] {
            router.ws(
                RouterPath(endpoint.path),
                shouldUpgrade: { _, context in
                    guard let identity = context.identity, endpoint.roles.contains(identity.role) else {
                        return .dontUpgrade
                    }
                    if endpoint != .operations {
                        // A stream is held only by an account that serves its checkpoint or post.
                        guard let id = context.parameters.get("id"), identity.mayHold(endpoint.recipient(id)),
                            try await recipientExists(endpoint, id: id)
                        else {
                            return .dontUpgrade
                        }
                    }
                    return .upgrade([:])
                },
                onUpgrade: { inbound, outbound, context in
                    let request = context.requestContext
                    guard let identity = request.identity else { return }
                    guard let hold = quota.take(identity.username) else {
                        // Answered once the client speaks (its hello; two seconds at most): a frame written
                        // in the same breath as the upgrade's answer can reach a client still reading that
                        // answer, which then loses it and waits for a refusal already sent.
                        await Self.firstFrame(of: inbound, within: .seconds(2))
                        let refusal = "the account \(identity.username) holds \(quota.limit) streams already"
                        try? await outbound.write(.text(ServerFrame.error(message: refusal, field: nil).text))
                        try? await outbound.close(.policyViolation, reason: "too many streams")
                        return
                    }
                    defer { hold.release() }
                    switch endpoint {
                    case .operations:
                        await serveOperations(inbound: inbound, outbound: outbound)
                    case .checkpoint, .post:
                        let id = request.parameters.get("id") ?? ""
                        let recipient = endpoint.recipient(id)
                        await serveRecipient(
                            recipient,
                            identity: identity,
                            inbound: inbound,
                            outbound: outbound,
                            channel: request.channel
                        )
                    }
                }
            )
        }
    }

    /// Waits for a client's first frame, or `limit`, whichever comes first.
    static func firstFrame(of inbound: WebSocketInboundStream, within limit: Duration) async {
        await withTaskGroup(of: Void.self) { race in
            race.addTask {
                var frames = inbound.messages(maxSize: maximumFrameSize).makeAsyncIterator()
                _ = try? await frames.next()
            }
            race.addTask { try? await Task.sleep(for: limit) }
            await race.next()
            race.cancelAll()
        }
    }

    private func recipientExists(_ endpoint: Endpoint, id: String) async throws -> Bool {
        switch endpoint {
        case .checkpoint:
            return try await store.entity(Checkpoint.self, id: id) != nil
        case .post:
            return try await store.allEntities(Facility.self).contains { $0.posts.contains { $0.id.rawValue == id } }
        case .operations:
            return true
        }
    }

    func serveOperations(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let subscription = await bus.subscribe()
        let zone = self.zone
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await record in subscription.events {
                    do { try await outbound.write(.text(record.frame(in: zone))) } catch { return }
                }
            }
            var gate = FloodGate()
            do {
                for try await message in inbound.messages(maxSize: Self.maximumFrameSize) {
                    guard gate.admit() else {
                        try? await outbound.close(.policyViolation, reason: "too many frames")
                        break
                    }
                    if case .text(let text) = message, text.utf8.count > Self.maximumFrameSize {
                        try? await outbound.close(.messageTooLarge, reason: "frame too large")
                        break
                    }
                }
            } catch {}
            await bus.unsubscribe(subscription.id)
            group.cancelAll()
        }
    }

    /// A client's frame: JSON text of at most ``maximumFrameSize`` bytes, one of the frames
    /// ``ClientFrame`` reads.
    static func clientFrame(_ message: WebSocketMessage) throws -> ClientFrame {
        guard case .text(let text) = message else { throw FrameError("send JSON text frames, not binary") }
        guard text.utf8.count <= maximumFrameSize else { throw FrameTooLarge() }
        return try ClientFrame(text: text)
    }

    static var tooLarge: ServerFrame {
        .error(message: "a frame may have at most \(maximumFrameSize) bytes", field: nil)
    }

    /// A frame over ``maximumFrameSize``: the connection is closed with 1009 (message too big).
    struct FrameTooLarge: Error {}
}

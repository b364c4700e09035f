import CordonCore
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// The WebSocket streams: a checkpoint's or a post's alert outbox, and headquarters' operations feed.
///
/// A recipient connects to `/v1/checkpoints/{id}/stream` (or `/v1/posts/{id}/stream`) with its bearer
/// token and speaks JSON text frames:
///
/// - client: `{"type": "hello", "last_sequence": N}` first, N being the last sequence it saw (0 for none);
///   then `{"type": "received", "sequence": N}` for each alert and `{"type": "ack", "alert": ID}`
///   once a person has read it;
/// - server: `{"type": "welcome", …}`, then `{"type": "alert", "sequence": N, "alert": {…}, "cap": {…}}`
///   for everything in its outbox after N, in order, and for each new alert at once;
///   `{"type": "acknowledged", "alert": ID, "ack_identifier": …}`; `{"type": "error", "message": …}`
///   for a frame it cannot take, which changes nothing.
///
/// A client that sends more than ``maximumFramesPerSecond`` frames in a second is disconnected with
/// close code 1008 (policy violation).
struct StreamController<S: Store>: Sendable {
    let store: S
    let center: AlertCenter<S>
    let logger: Logger

    static var maximumFramesPerSecond: Int { 50 }
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
            router.on(.get, endpoint.path, roles: endpoint.roles) { request, context, _ in
                try HTTPSupport.allowQuery(request, [])
                if endpoint != .operations {
                    let id = try context.parameters.require("id")
                    guard try await recipientExists(endpoint, id: id) else {
                        throw Problem.notFound("no \(endpoint == .checkpoint ? "checkpoints" : "posts") '\(id)'")
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
                        guard let id = context.parameters.get("id"), try await recipientExists(endpoint, id: id) else {
                            return .dontUpgrade
                        }
                    }
                    return .upgrade([:])
                },
                onUpgrade: { inbound, outbound, context in
                    let request = context.requestContext
                    guard let identity = request.identity else { return }
                    switch endpoint {
                    case .operations:
                        await serveOperations(inbound: inbound, outbound: outbound)
                    case .checkpoint, .post:
                        let id = request.parameters.get("id") ?? ""
                        let recipient = (endpoint == .checkpoint ? "checkpoints/" : "posts/") + id
                        await serveRecipient(recipient, identity: identity, inbound: inbound, outbound: outbound)
                    }
                }
            )
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

    // MARK: Sessions

    private struct FloodGate {
        var windowStart = ContinuousClock.now
        var count = 0

        mutating func admit() -> Bool {
            let now = ContinuousClock.now
            if now - windowStart >= .seconds(1) {
                windowStart = now
                count = 0
            }
            count += 1
            return count <= StreamController.maximumFramesPerSecond
        }
    }

    private func serveRecipient(
        _ recipient: String,
        identity: Identity,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter
    ) async {
        var messages = inbound.messages(maxSize: Self.maximumFrameSize).makeAsyncIterator()
        var gate = FloodGate()
        // The first frame must say where the client stands.
        let lastSeen: Int
        do {
            guard let first = try await messages.next() else { return }
            _ = gate.admit()
            let hello = try ClientFrame(first)
            guard hello.type == "hello" else {
                throw AlertCenter<S>.FrameError(message: "the first frame must be a hello", field: "type")
            }
            lastSeen = hello.lastSequence ?? 0
        } catch {
            try? await outbound.write(.text(Self.errorFrame(error)))
            try? await outbound.close(.protocolError, reason: "expected a hello frame")
            return
        }
        let connection: (UUID, AsyncStream<String>)
        do {
            connection = try await center.connect(recipient: recipient, lastSeen: lastSeen)
        } catch {
            try? await outbound.write(.text(Self.errorFrame(error)))
            try? await outbound.close(.protocolError, reason: "bad last_sequence")
            return
        }
        let (replies, reply) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in replies {
                    do { try await outbound.write(.text(frame)) } catch { return }
                }
            }
            group.addTask {
                for await frame in connection.1 { reply.yield(frame) }
                reply.finish()
            }
            do {
                while let message = try await messages.next() {
                    guard gate.admit() else {
                        reply.yield(
                            Self.errorFrame(message: "more than \(Self.maximumFramesPerSecond) frames a second")
                        )
                        reply.finish()
                        try? await Task.sleep(for: .milliseconds(20))
                        try? await outbound.close(.policyViolation, reason: "too many frames")
                        break
                    }
                    do {
                        let frame = try ClientFrame(message)
                        switch frame.type {
                        case "received":
                            guard let sequence = frame.sequence else {
                                throw AlertCenter<S>.FrameError(message: "received needs a sequence", field: "sequence")
                            }
                            try await center.received(recipient: recipient, sequence: sequence)
                        case "ack":
                            guard let alert = frame.alert else {
                                throw AlertCenter<S>.FrameError(message: "ack needs an alert", field: "alert")
                            }
                            let ackIdentifier = try await center.acknowledge(
                                recipient: recipient,
                                alert: try AlertID(alert),
                                note: frame.note,
                                by: identity
                            )
                            reply.yield(
                                AlertCenter<S>.frame([
                                    "type": .string("acknowledged"), "alert": .string(alert),
                                    "ack_identifier": .string(ackIdentifier),
                                ])
                            )
                        case "ping":
                            reply.yield(AlertCenter<S>.frame(["type": .string("pong")]))
                        default:
                            throw AlertCenter<S>.FrameError(
                                message: "unknown frame type '\(frame.type)': send received, ack or ping",
                                field: "type"
                            )
                        }
                    } catch {
                        reply.yield(Self.errorFrame(error))
                    }
                }
            } catch {
                logger.debug("alert stream closed", metadata: ["recipient": "\(recipient)", "error": "\(error)"])
            }
            await center.disconnect(recipient: recipient, id: connection.0)
            reply.finish()
            group.cancelAll()
        }
    }

    private func serveOperations(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let (id, stream) = await center.listen()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in stream {
                    do { try await outbound.write(.text(frame)) } catch { return }
                }
            }
            var gate = FloodGate()
            do {
                for try await _ in inbound.messages(maxSize: Self.maximumFrameSize) {
                    guard gate.admit() else {
                        try? await outbound.close(.policyViolation, reason: "too many frames")
                        break
                    }
                }
            } catch {}
            await center.stopListening(id)
            group.cancelAll()
        }
    }

    // MARK: Frames

    /// A frame from a client.
    struct ClientFrame {
        let type: String
        let lastSequence: Int?
        let sequence: Int?
        let alert: String?
        let note: String?

        init(_ message: WebSocketMessage) throws {
            guard case .text(let text) = message else {
                throw AlertCenter<S>.FrameError(message: "send JSON text frames, not binary", field: nil)
            }
            guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                throw AlertCenter<S>.FrameError(message: "the frame is not a JSON object", field: nil)
            }
            let known: Set<String> = ["type", "last_sequence", "sequence", "alert", "note"]
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw AlertCenter<S>.FrameError(message: "unknown field '\(unknown)'", field: unknown)
            }
            guard case .string(let type)? = object["type"] else {
                throw AlertCenter<S>.FrameError(message: "the frame has no type", field: "type")
            }
            func integer(_ key: String) throws -> Int? {
                guard let value = object[key] else { return nil }
                guard case .number(let number) = value, number == number.rounded(),
                    (0...Double(Int32.max)).contains(number)
                else {
                    throw AlertCenter<S>.FrameError(message: "\(key) must be a whole number from 0", field: key)
                }
                return Int(number)
            }
            func string(_ key: String, limit: Int) throws -> String? {
                guard let value = object[key] else { return nil }
                guard case .string(let string) = value, !string.isEmpty, string.count <= limit else {
                    throw AlertCenter<S>.FrameError(
                        message: "\(key) must be text of 1 to \(limit) characters",
                        field: key
                    )
                }
                return string
            }
            self.type = type
            self.lastSequence = try integer("last_sequence")
            self.sequence = try integer("sequence")
            self.alert = try string("alert", limit: 128)
            self.note = try string("note", limit: 500)
        }
    }

    static func errorFrame(_ error: any Error) -> String {
        switch error {
        case let error as AlertCenter<S>.FrameError:
            return errorFrame(message: error.message, field: error.field)
        case let failure as ValidationFailure:
            return errorFrame(message: failure.issues.map(\.description).joined(separator: "; "), field: nil)
        default:
            return errorFrame(message: "the frame could not be taken", field: nil)
        }
    }

    static func errorFrame(message: String, field: String? = nil) -> String {
        var object: [String: JSONValue] = ["type": .string("error"), "message": .string(message)]
        if let field { object["field"] = .string(field) }
        return AlertCenter<S>.frame(object)
    }
}

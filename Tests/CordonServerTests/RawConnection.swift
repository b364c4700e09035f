import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One plain TCP connection to a test server, held open as long as the test wants: for clients that
/// send half a request, or nothing. Every blocking call (connect, send, receive) runs on a thread of its
/// own: a connect that waits for a full accept queue must not hold one of the few threads the tests'
/// tasks share.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32

    /// What the server sent, and whether it closed the connection before the wait ended.
    struct Received {
        let text: String
        let closed: Bool
        /// The status line's code, if an answer began.
        var status: Int? { text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } }
    }

    /// Connects to 127.0.0.1:`port` from `source` (another loopback address stands for another machine).
    static func open(port: Int, from source: String? = nil) async throws -> RawConnection {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try RawConnection(port: port, from: source) })
            }
        }
    }

    private init(port: Int, from source: String?) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed") }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                close(descriptor)
                throw TestFailure("cannot bind to \(source)")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw TestFailure("cannot connect to port \(port)")
        }
    }

    deinit { close(descriptor) }

    /// Sends `text` (all of it, or as much as a closed connection takes).
    func send(_ text: String) async {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                _ = Array(text.utf8).withUnsafeBytes {
                    Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                continuation.resume()
            }
        }
    }

    /// Reads until the server closes the connection or `seconds` pass.
    func receive(for seconds: Double) async -> Received {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                continuation.resume(returning: blockingReceive(for: seconds))
            }
        }
    }

    private func blockingReceive(for seconds: Double) -> Received {
        let end = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let left = end.timeIntervalSinceNow
            if left <= 0 { return Received(text: String(decoding: received, as: UTF8.self), closed: false) }
            var wait = timeval(tv_sec: Int(left), tv_usec: Int((left - left.rounded(.down)) * 1_000_000) + 1)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                return Received(text: String(decoding: received, as: UTF8.self), closed: true)
            }
            if count > 0 { received += buffer[0..<count] }
        }
    }
}

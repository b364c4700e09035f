import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real server-sent events client for tests: a plain TCP connection that sends one GET and keeps
/// everything the server writes, read on a thread of its own.
final class EventStreamClient: Sendable {
    private final class State: Sendable {
        let received = Mutex<String>("")
        let closed = Mutex(false)
    }

    private let descriptor: Int32
    private let state = State()

    /// Connects to the server on 127.0.0.1 and asks for `path` with the given headers.
    init(port: Int, path: String, headers: [String: String]) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed") }
        self.descriptor = descriptor
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
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        let state = self.state
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 8192)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                state.received.withLock { $0 += text }
            }
            // The reading thread owns the descriptor's end: it closes it once nothing more comes.
            close(descriptor)
            state.closed.withLock { $0 = true }
        }
        thread.start()
    }

    /// Everything received so far, headers included.
    var text: String { state.received.withLock { $0 } }

    /// Whether the server closed the connection.
    var isClosed: Bool { state.closed.withLock { $0 } }

    /// Waits until what was received contains `fragment`.
    func wait(for fragment: String, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !text.contains(fragment) {
            guard ContinuousClock.now < deadline else {
                throw TestFailure("the event stream never carried \(fragment); it has: \(text.suffix(600))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Closes the connection; the reading thread then ends.
    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Sends raw bytes to the server over a plain TCP connection and returns what it answers within
/// `timeout` (the connection's first bytes up to the server's close or the timeout): for requests no
/// HTTP client library would send. The blocking socket calls run on a thread of their own, never on one
/// of the few threads the tests' tasks (and the in-process servers under test) share.
///
/// - Parameter source: the local address to connect from (any of 127.0.0.0/8 reaches a server on
///   127.0.0.1), to stand for another machine; the system's choice when nil.
func rawExchange(
    port: Int,
    _ request: String,
    timeout: TimeInterval = 5,
    from source: String? = nil
) async throws
    -> String
{
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(
                with: Result { try blockingRawExchange(port: port, request, timeout: timeout, from: source) }
            )
        }
    }
}

private func blockingRawExchange(
    port: Int,
    _ request: String,
    timeout: TimeInterval,
    from source: String?
) throws
    -> String
{
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw TestFailure("socket() failed") }
    defer { close(descriptor) }
    if let source {
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestFailure("cannot bind to \(source)") }
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
    guard connected == 0 else { throw TestFailure("cannot connect to port \(port)") }
    var wait = timeval(tv_sec: Int(timeout), tv_usec: 0)
    _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 8192)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        received += buffer[0..<count]
        if received.count > 1 << 20 { break }
    }
    return String(decoding: received, as: UTF8.self)
}

import Foundation

/// Sends raw bytes to the server over a plain TCP connection and returns what it answers within
/// `timeout` (the connection's first bytes up to the server's close or the timeout): for requests no
/// HTTP client library would send.
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
    let connection = try await RawConnection.open(port: port, from: source)
    await connection.send(request)
    return await connection.receive(for: timeout).text
}

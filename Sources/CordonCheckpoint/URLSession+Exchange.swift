public import Foundation

#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

extension URLSession {
    /// One request with a completion handler, awaited without tying the request to the awaiting task's
    /// cancellation: the request ends by its answer or its own timeout.
    ///
    /// The async `data(for:)` of swift-corelibs-foundation cancels its task from the awaiting task's
    /// cancellation handler, and that can deadlock against the session's own queue when many requests
    /// are cancelled at once (seen when a demo of 55 stations ends). Every request the checkpoint and
    /// the station make has a timeout, so letting it finish costs at most that.
    package func exchange(_ request: URLRequest) async throws -> (Data, URLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else if let response {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: URLError(.badServerResponse))
                }
            }.resume()
        }
    }
}

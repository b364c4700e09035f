import CordonEvents
import NIOCore
import Synchronization

/// The shared part of recent alerts' frames, each encoded once into a buffer that every recipient's
/// connection writes from: ten thousand checkpoints sent one alert make one copy of its 20-odd
/// kilobytes, not ten thousand.
///
/// Keeps the ``capacity`` contents used last; an older one asked for again (a re-send, a catch-up
/// after days) is encoded again.
final class SharedAlertBodies: Sendable {
    private struct Cache {
        var bodies: [String: ByteBuffer] = [:]
        /// Keys from the least to the most recently used.
        var order: [String] = []
    }

    let capacity: Int
    private let cache = Mutex(Cache())

    init(capacity: Int = 32) {
        self.capacity = max(1, capacity)
    }

    /// The content's tail (``AlertContent/tail``) as a buffer shared by every caller.
    func body(of content: AlertContent) -> ByteBuffer {
        let key = content.key
        if let body = cache.withLock({ cache -> ByteBuffer? in
            guard let body = cache.bodies[key] else { return nil }
            if cache.order.last != key {
                cache.order.removeAll { $0 == key }
                cache.order.append(key)
            }
            return body
        }) {
            return body
        }
        let body = ByteBuffer(string: content.tail)
        cache.withLock { cache in
            guard cache.bodies[key] == nil else { return }
            cache.bodies[key] = body
            cache.order.append(key)
            while cache.order.count > capacity { cache.bodies[cache.order.removeFirst()] = nil }
        }
        return body
    }

    /// How many contents are kept now.
    var count: Int { cache.withLock { $0.bodies.count } }
}

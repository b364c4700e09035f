import CordonCore
import CordonEvents
import CordonServer
import CordonStoreSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The server reads the feeds of its configuration: a feed served here, read once per item, a wanted
/// man named in a new item raised as a `mention` event, every item in the audit log.
@Suite(.timeLimit(.minutes(5))) struct FeedWatchTests {
    static func rss(_ items: [(id: String, title: String, body: String)]) -> String {
        let entries = items.map { item in
            "<item><guid>\(item.id)</guid><title>\(item.title)</title><description>\(item.body)</description></item>"
        }
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>"
            + entries.joined() + "</channel></rss>"
    }

    @Test func readsEachNewItemOnceAndRaisesMentions() async throws {
        let feed = Mutex(
            Self.rss([
                (
                    "a", "Escape",
                    "&lt;p&gt;Police named &lt;b&gt;Hikmatullo Davlatov&lt;/b&gt; among the men.&lt;/p&gt;"
                ),
                ("b", "Weather", "Rain in the Rasht valley."),
            ])
        )
        let fetches = Mutex(0)
        let router = Router()
        router.get("/wire.xml") { _, _ -> Response in
            fetches.withLock { $0 += 1 }
            var headers = HTTPFields()
            headers[.contentType] = "application/rss+xml"
            return Response(
                status: .ok,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: feed.withLock { $0 }))
            )
        }
        let wire = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await wire.test(.live) { client in
            let address = try #require(URL(string: "http://127.0.0.1:\(client.port ?? 0)/wire.xml"))
            try await withDemoServer(configure: { $0.feeds = [address] }) { server in
                func itemsRead() async throws -> [AuditRecord] {
                    try await server.store.auditRecords(after: 0, limit: 100_000).filter { $0.action == "feed.item" }
                }
                let deadline = ContinuousClock.now + .seconds(60)
                while try await itemsRead().count < 2, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                let first = try await itemsRead()
                #expect(first.compactMap { $0.details["item"]?.stringValue } == ["a", "b"])
                #expect(
                    first[0].details["mentions"]?.arrayValue.first?["entity"]?.stringValue == "p-davlatov-hikmatullo"
                )
                #expect(first[1].details["mentions"]?.arrayValue.isEmpty == true)

                // A new item: read on the next fetch, the others not again.
                let subscription = server.parts.events.subscribe()
                feed.withLock {
                    $0 = Self.rss([
                        ("c", "Tip", "Вчера Мирзоевым Абдурасулом интересовались в Вахдате."),
                        ("a", "Escape", "Hikmatullo Davlatov"), ("b", "Weather", "Rain."),
                    ])
                }
                let before = fetches.withLock { $0 }
                server.clock.advance(by: 301)
                var mention: OperationsEvent.FeedMention?
                for await record in subscription.events {
                    if case .mention(let found) = record.event {
                        mention = found
                        break
                    }
                }
                #expect(fetches.withLock { $0 } > before)
                #expect(mention?.entity == "p-mirzoyev-abdurasul")
                #expect(mention?.item == "c")
                #expect(mention?.text == "Мирзоевым Абдурасулом")
                #expect(mention?.feed == address.absoluteString)
                let all = try await itemsRead()
                #expect(all.compactMap { $0.details["item"]?.stringValue } == ["a", "b", "c"])
            }
        }
    }
}

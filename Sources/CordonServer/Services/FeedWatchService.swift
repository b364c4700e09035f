import CordonCore
import CordonEvents
import CordonReading
import CordonScreening
import CordonStore
import Foundation
import Logging
import ServiceLifecycle

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Watches the Atom and RSS feeds of the configuration: every `interval` of the engine's clock each feed
/// is fetched and read for the wanted list, each item once. An item that names a listed person,
/// organisation or vehicle raises a `mention` event for headquarters, one per entity named; every item
/// read is written to the audit log (`feed.item`: the feed, the item, what was found), which is also
/// how the items already read are known again after a restart. Runs on the leading node only.
struct FeedWatchService<S: Store>: Service {
    /// Fetches a feed's bytes, at most `limit` of them.
    typealias Fetch = @Sendable (_ url: URL, _ limit: Int) async throws -> [UInt8]

    let feeds: [URL]
    let interval: TimeInterval
    let maximumSize: Int
    let store: S
    let screening: ScreeningService
    let readers: ReaderCache
    let bus: any EventBus
    let clock: EngineClock
    let fetch: Fetch
    let logger: Logger

    func run() async throws {
        guard !feeds.isEmpty else { return }
        await withDiscardingTaskGroup { group in
            group.addTask {
                var seen = await itemsRead()
                while !Task.isCancelled {
                    for feed in feeds where !Task.isCancelled { await poll(feed, seen: &seen) }
                    do { try await clock.sleep(until: clock.now().addingTimeInterval(interval)) } catch { return }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// The items of every feed read before, from the audit log.
    func itemsRead() async -> Set<String> {
        var seen = Set<String>()
        var after: Int64 = 0
        while true {
            guard let page = try? await store.auditRecords(after: after, limit: 5_000), let last = page.last else {
                break
            }
            for record in page where record.action == "feed.item" {
                if let feed = record.details["feed"]?.stringValue, let item = record.details["item"]?.stringValue {
                    seen.insert(Self.key(feed, item))
                }
            }
            after = last.sequence
        }
        return seen
    }

    static func key(_ feed: String, _ item: String) -> String { feed + "\u{1F}" + item }

    /// Fetches and reads one feed; new items are audited and their mentions raised.
    func poll(_ feed: URL, seen: inout Set<String>) async {
        let address = feed.absoluteString
        let document: ReportDocument
        do {
            document = try ReportDocument(bytes: try await fetch(feed, maximumSize), format: .feed)
        } catch {
            logger.warning("could not read the feed", metadata: ["feed": "\(address)", "error": "\(error)"])
            return
        }
        let fresh = document.items.filter { !seen.contains(Self.key(address, $0.id)) }
        guard !fresh.isEmpty else { return }
        let (reader, _) = readers.reader(for: screening)
        let result = reader.read(document)
        for item in fresh {
            let mentions = result.mentions.filter { item.sourceRange.contains($0.start) }
            var raised: [String: Mention] = [:]
            for mention in mentions where mention.alert && raised[mention.entity] == nil {
                raised[mention.entity] = mention
            }
            let details = JSONValue.object([
                "feed": .string(address),
                "item": .string(item.id),
                "title": .string(item.title),
                "link": item.link.map(JSONValue.string) ?? .null,
                "mentions": .array(
                    mentions.map {
                        .object([
                            "entity": .string($0.entity), "text": .string($0.text), "score": .number($0.score),
                            "alert": .bool($0.alert),
                        ])
                    }
                ),
            ])
            do {
                _ = try await store.appendAudit(
                    .init(actor: "system", role: nil, action: "feed.item", target: "feed/\(address)", details: details)
                )
            } catch {
                logger.error("could not record a feed item", metadata: ["feed": "\(address)", "error": "\(error)"])
                return
            }
            seen.insert(Self.key(address, item.id))
            for mention in raised.values.sorted(by: { $0.start < $1.start }) {
                await bus.publish(
                    .mention(
                        .init(
                            feed: address,
                            item: item.id,
                            title: item.title,
                            link: item.link,
                            entity: mention.entity,
                            text: mention.text,
                            score: mention.score
                        )
                    )
                )
            }
        }
    }

    /// Fetches over HTTP(S) with a timeout, refusing answers that are not 2xx or larger than `limit`.
    static func fetchOverHTTP(timeout: TimeInterval) -> Fetch {
        { url, limit in
            var request = URLRequest(url: url, timeoutInterval: timeout)
            request.setValue(
                "application/atom+xml, application/rss+xml, application/xml;q=0.9",
                forHTTPHeaderField: "Accept"
            )
            let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
                URLSession.shared.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }.resume()
            }
            if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                throw URLError(.badServerResponse)
            }
            guard data.count <= limit else { throw URLError(.dataLengthExceedsMaximum) }
            return Array(data)
        }
    }
}

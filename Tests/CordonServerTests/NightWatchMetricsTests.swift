import CordonCore
import CordonServer
import Foundation
import HTTPTypes
import Testing

@Suite(.timeLimit(.minutes(5))) struct NightWatchMetricsTests {
    /// The value of a sample in Prometheus' text format, `name{labels} value`.
    static func sample(_ text: String, _ name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    @Test func metricsShowWhatANightOperatorWatches() async throws {
        let often: (inout ServerConfiguration) -> Void = { $0.metricsInterval = .milliseconds(20) }
        try await withDemoServer(configure: often) { server in
            let composed = try await server.api.call(
                .post,
                "/v1/incidents/inc-escape-2010-08-22/alerts",
                token: server.tokens[.commander],
                json: [
                    "kind": "be_on_lookout", "headline": "Twenty-five escaped",
                    "targets": ["checkpoints": ["cp-air-dushanbe", "cp-road-varzob"]],
                ]
            )
            #expect(composed.status == .created)
            let alert = try #require((composed.object["alert"] as? [String: Any])?["id"] as? String)
            let silent = "cordon_alert_recipients_silent{alert=\"\(alert)\"}"
            var text = ""
            for _ in 0..<250 where Self.sample(text, silent) != 2 {
                try await Task.sleep(for: .milliseconds(20))
                text = try await server.api.call(.get, "/metrics").text
            }
            #expect(Self.sample(text, silent) == 2, "two checkpoints have not acknowledged")
            #expect((Self.sample(text, "cordon_deliveries_unacknowledged") ?? 0) >= 2)
            #expect((Self.sample(text, "cordon_deliveries_pending") ?? 0) >= 2, "nobody is connected to receive it")
            #expect((Self.sample(text, "cordon_alert_oldest_unacknowledged_seconds") ?? -1) >= 0)
            #expect(Self.sample(text, "cordon_node_leader") == 1)
            #expect(Self.sample(text, "cordon_node_engines_serving") == 1)
            #expect(Self.sample(text, "cordon_database_up") == 1)
            #expect((Self.sample(text, "cordon_database_round_trip_seconds") ?? -1) >= 0)
            #expect(Self.sample(text, "cordon_screening_list_version") == 1)
            #expect((Self.sample(text, "cordon_list_version") ?? 0) >= 1, "the signed list was released")
            #expect((Self.sample(text, "cordon_list_age_seconds") ?? -1) >= 0)
        }
    }
}

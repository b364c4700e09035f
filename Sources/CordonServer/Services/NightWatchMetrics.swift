import CordonAlerts
import CordonEvents
import CordonPublishing
import CordonScreening
import CordonStore
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// What an operator watches at night, written into the metrics registry every few seconds (and served
/// by `/metrics`): whether this node leads, the database's round trip, deliveries pending and
/// unacknowledged, the age of the oldest unacknowledged one, recipients still silent per alert, and the
/// signed list's version and age. Delivery figures come from the leader's engine; a standby reports 0.
struct NightWatchMetrics<S: Store>: Service {
    let store: S
    let registry: PrometheusCollectorRegistry
    let leadership: any Leadership
    let term: LeaderTerm
    let alerts: AlertCenter<S>
    let publisher: ListPublisher<S>
    let screening: ScreeningService
    let now: @Sendable () -> Date
    let interval: Duration
    let logger: Logger

    func run() async {
        let gauges = Gauges(registry: registry)
        await cancelWhenGracefulShutdown {
            var silentAlerts: Set<String> = []
            while !Task.isCancelled {
                await update(gauges, silentAlerts: &silentAlerts)
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }

    private struct Gauges {
        let leader: Gauge
        let serving: Gauge
        let roundTrip: Gauge
        let databaseUp: Gauge
        let pending: Gauge
        let unacknowledged: Gauge
        let oldest: Gauge
        let listVersion: Gauge
        let listAge: Gauge
        let screeningVersion: Gauge
        let registry: PrometheusCollectorRegistry

        init(registry: PrometheusCollectorRegistry) {
            self.registry = registry
            leader = registry.makeGauge(descriptor: Gauges.gauge("node_leader", "1 when this node leads"))
            serving = registry.makeGauge(
                descriptor: Gauges.gauge("node_engines_serving", "1 when this node's engines serve")
            )
            roundTrip = registry.makeGauge(
                descriptor: Gauges.gauge(
                    "database_round_trip_seconds",
                    "The last database round trip (a read of the list version)"
                )
            )
            databaseUp = registry.makeGauge(
                descriptor: Gauges.gauge("database_up", "1 when the last round trip succeeded")
            )
            pending = registry.makeGauge(
                descriptor: Gauges.gauge("deliveries_pending", "Alert deliveries not yet confirmed as received")
            )
            unacknowledged = registry.makeGauge(
                descriptor: Gauges.gauge(
                    "deliveries_unacknowledged",
                    "Alert deliveries not yet acknowledged by a person"
                )
            )
            oldest = registry.makeGauge(
                descriptor: Gauges.gauge(
                    "alert_oldest_unacknowledged_seconds",
                    "Age of the oldest unacknowledged delivery, 0 when none"
                )
            )
            listVersion = registry.makeGauge(descriptor: Gauges.gauge("list_version", "The latest signed list release"))
            listAge = registry.makeGauge(
                descriptor: Gauges.gauge("list_age_seconds", "Time since the latest signed list release")
            )
            screeningVersion = registry.makeGauge(
                descriptor: Gauges.gauge("screening_list_version", "The list version this node's screening index holds")
            )
        }

        static func gauge(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "cordon", metricName: name, unitName: "", helpText: help)
        }

        func silent(_ alert: String) -> Gauge {
            registry.makeGauge(
                descriptor: Gauges.gauge("alert_recipients_silent", "Recipients that have not acknowledged the alert"),
                labels: [("alert", alert)]
            )
        }
    }

    private func update(_ gauges: Gauges, silentAlerts: inout Set<String>) async {
        gauges.leader.set(leadership.isLeader ? 1.0 : 0.0)
        gauges.serving.set(term.isServing ? 1.0 : 0.0)
        gauges.screeningVersion.set(Double(screening.listVersion))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await store.listVersion()
            gauges.roundTrip.set((clock.now - start) / .seconds(1))
            gauges.databaseUp.set(1.0)
        } catch {
            gauges.databaseUp.set(0.0)
        }
        let figures = term.isServing ? await alerts.figures() : DeliveryFigures()
        let now = now()
        gauges.pending.set(Double(figures.pending))
        gauges.unacknowledged.set(Double(figures.unacknowledged))
        gauges.oldest.set(figures.oldestUnacknowledgedSince.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        // An alert everyone acknowledged stays at 0 rather than vanishing, so a graph shows it end.
        for alert in silentAlerts.union(figures.silentByAlert.keys) {
            gauges.silent(alert).set(Double(figures.silentByAlert[alert] ?? 0))
        }
        silentAlerts.formUnion(figures.silentByAlert.keys)
        if let release = await publisher.release {
            gauges.listVersion.set(Double(release.listVersion))
            gauges.listAge.set(max(0, now.timeIntervalSince(release.at)))
        }
    }
}

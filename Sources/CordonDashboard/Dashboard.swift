// The command dashboard, on top of the server's routes: pages rendered on the server from Mustache
// templates, a live feed of the operations events as server-sent events, sign-in by cookie, and the
// static scripts and styles, all bundled as resources. It reads the engines (alerts, custody) and the
// event bus the server built; it adds no engine of its own.
import CordonCore
public import CordonServer
public import CordonStore
import Foundation
import Hummingbird
import Logging

/// The dashboard as an addition to the server.
public enum Dashboard {
    /// The extension that serves the dashboard under `/ui/`: hand it to `buildApplication`.
    public static func serverExtension<S: Store>() -> ServerExtension<S> {
        ServerExtension(
            middleware: { router, logger in
                // The dashboard's own scripts and styles; they hold no data, so no sign-in is needed.
                guard let folder = Bundle.module.url(forResource: "dashboard", withExtension: nil) else { return }
                router.add(
                    middleware: FileMiddleware(
                        folder.appendingPathComponent("static").path,
                        urlBasePath: "/ui/static",
                        cacheControl: .init([(MediaType(type: .any), [.noCache])]),
                        logger: logger
                    )
                )
            },
            install: { setup in
                let renderer = try await DashboardRenderer.load()
                let map = try DashboardMap(
                    geoJSON: try Data(contentsOf: renderer.folder.appendingPathComponent("geo/tajikistan.geojson"))
                )
                let gazetteer = try Gazetteer(
                    json: try Data(contentsOf: renderer.folder.appendingPathComponent("geo/places.json"))
                )
                DashboardController(
                    store: setup.store,
                    auth: setup.auth,
                    data: DashboardData(
                        store: setup.store,
                        alerts: setup.parts.alerts,
                        custody: setup.parts.custody,
                        bus: setup.parts.events,
                        map: map,
                        gazetteer: gazetteer
                    ),
                    renderer: renderer,
                    zone: setup.configuration.zone,
                    now: setup.configuration.now,
                    feedCheckInterval: setup.configuration.feedCheckInterval,
                    streamQuota: setup.parts.streamQuota,
                    maximumReportSize: setup.configuration.maximumReportSize
                ).register(on: setup.router)
            }
        )
    }
}

public import CordonCheckpoint
public import Foundation
import HTTPTypes
public import Hummingbird
public import Logging

/// Builds the station: its state over the checkpoint's copy, the page on loopback, and the services
/// that hold the alert stream and sync the list.
public enum StationApplication {
    /// Why the station cannot start.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes the application; `onRunning` is told the page's port once it listens.
    public static func make(
        configuration: StationConfiguration,
        copy: CheckpointStore,
        folder: String,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        guard let resources = Bundle.module.url(forResource: "station", withExtension: nil) else {
            throw Failure(description: "the station's page is missing from the bundle")
        }
        let station = Station(configuration: configuration, copy: copy, now: now)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: LoopbackHostMiddleware())
        router.add(
            middleware: FileMiddleware(
                resources.appendingPathComponent("static").path,
                urlBasePath: "/static",
                cacheControl: .init([(MediaType(type: .any), [.noCache])]),
                searchForIndexHtml: false,
                logger: logger
            )
        )
        StationPage(station: station, folder: resources, maximumRequestSize: configuration.maximumRequestSize)
            .register(on: router)
        let host = configuration.host
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "cordon-station"),
            services: [
                StationLinkService(
                    station: station,
                    configuration: configuration,
                    stateFile: folder + "/station-stream.state",
                    logger: logger
                ),
                StationSyncService(station: station, configuration: configuration, copy: copy, logger: logger),
            ],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.notice("station listening on http://\(host):\(port)", metadata: ["station.port": "\(port)"])
                await onRunning(port)
            },
            logger: logger
        )
    }
}

/// Refuses a request whose Host is not this computer's loopback, so that a page elsewhere that points
/// its own name at 127.0.0.1 cannot read the station.
struct LoopbackHostMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let host = request.head.authority ?? ""
        let name =
            host.hasPrefix("[")
            ? String(host.prefix { $0 != "]" }.dropFirst()) : String(host.split(separator: ":").first ?? "")
        guard ["127.0.0.1", "localhost", "::1"].contains(name.lowercased()) else {
            return Response(status: .misdirectedRequest)
        }
        return try await next(request, context)
    }
}

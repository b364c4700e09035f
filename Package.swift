// swift-tools-version:6.1

import PackageDescription

let package = Package(
    name: "Cordon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cordon", targets: ["CordonCLI"]),
        .library(name: "CordonCore", targets: ["CordonCore"]),
        .library(name: "CordonMatch", targets: ["CordonMatch"]),
        .library(name: "CordonDocuments", targets: ["CordonDocuments"]),
        .library(name: "CordonDemo", targets: ["CordonDemo"]),
        .library(name: "CordonCheckpoint", targets: ["CordonCheckpoint"]),
        .library(name: "CordonStation", targets: ["CordonStation"]),
        .library(name: "CordonEvents", targets: ["CordonEvents"]),
        .library(name: "CordonScreening", targets: ["CordonScreening"]),
        .library(name: "CordonAlerts", targets: ["CordonAlerts"]),
        .library(name: "CordonCustody", targets: ["CordonCustody"]),
        .library(name: "CordonReading", targets: ["CordonReading"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        // Pure domain model: value types, typed identifiers, validation. No I/O.
        .target(name: "CordonCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Pure name normalisation, transliteration, indexing and scoring.
        .target(name: "CordonMatch", dependencies: ["CordonCore"]),
        // The Store protocol, its error and query types, and the typed layer over documents. No driver.
        .target(name: "CordonStore", dependencies: ["CordonCore"]),
        // The embedded SQLite back end (GRDB, WAL).
        .target(
            name: "CordonStoreSQLite",
            dependencies: ["CordonStore", "CordonCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The back end for several nodes: PostgreSQL through postgres-nio's PostgresClient, run as a Service.
        .target(
            name: "CordonStorePostgres",
            dependencies: [
                "CordonStore", "CordonCore", "CordonEvents",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Pure parsers and writers of outside formats: FollowTheMoney and CSV lists, CAP 1.2, MRZ, plates,
        // signed credentials and TUF metadata (signing is computation, not I/O).
        .target(
            name: "CordonDocuments",
            dependencies: ["CordonCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // A checkpoint's own copy of the wanted list: TUF client, SQLite copy, offline screening, report queue.
        .target(
            name: "CordonCheckpoint",
            dependencies: [
                "CordonCore", "CordonMatch", "CordonDocuments", "CordonEvents",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The checkpoint station: one process on the checkpoint's computer that holds the alert stream,
        // syncs the list, uploads the queue and serves the officers' page on 127.0.0.1.
        .target(
            name: "CordonStation",
            dependencies: [
                "CordonCore", "CordonMatch", "CordonDocuments", "CordonEvents", "CordonCheckpoint", "CordonScreening",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/station")]
        ),
        // Reading reports: plain text, HTML and feeds scanned for the list's names in any script and their
        // inflected forms, and for plates. Pure.
        .target(name: "CordonReading", dependencies: ["CordonCore", "CordonMatch", "CordonDocuments"]),
        // Operations events, the event bus, and the typed frames of the alert streams: what the engines,
        // the server and every client exchange. No I/O.
        .target(name: "CordonEvents", dependencies: ["CordonCore"]),
        // Screening: the index kept in step with the store, documents, plates, the report of a hit, the threshold,
        // and looking back over checkpoints' past queries when the list changes.
        .target(
            name: "CordonScreening",
            dependencies: [
                "CordonCore", "CordonMatch", "CordonDocuments", "CordonStore", "CordonEvents",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Alerts below HTTP: composition, targeting, the outbox, delivery, re-sending, escalation, CAP acks.
        .target(
            name: "CordonAlerts",
            dependencies: [
                "CordonCore", "CordonDocuments", "CordonStore", "CordonEvents",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The custody watch: posts' check-ins, roll calls, the armory ledger, two-person rule, credential use.
        .target(
            name: "CordonCustody",
            dependencies: [
                "CordonCore", "CordonStore", "CordonEvents",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Headquarters' keys, officers' passes and the signed wanted-list repository (TUF) with its re-signing.
        .target(
            name: "CordonPublishing",
            dependencies: [
                "CordonCore", "CordonMatch", "CordonDocuments", "CordonStore", "CordonEvents",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The HTTP layer: routes, middleware, roles, problem+json and start-up.
        .target(
            name: "CordonServer",
            dependencies: [
                "CordonCore",
                "CordonMatch",
                "CordonDocuments",
                "CordonStore",
                "CordonEvents",
                "CordonScreening",
                "CordonAlerts",
                "CordonCustody",
                "CordonPublishing",
                "CordonReading",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/openapi.json")]
        ),
        // The command dashboard on top of the server's routes: pages, the live feed, templates, static files.
        .target(
            name: "CordonDashboard",
            dependencies: [
                "CordonCore", "CordonStore", "CordonEvents", "CordonAlerts", "CordonCustody", "CordonServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/dashboard")]
        ),
        // Test support: the store contract suite every back end runs, fixtures, a manual clock.
        .target(
            name: "CordonTesting",
            dependencies: [
                "CordonStore", "CordonCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The bundled demo scenario (a JSON resource) and its loader.
        .target(
            name: "CordonDemo",
            dependencies: ["CordonCore"],
            resources: [.copy("Resources/demo-scenario.json")]
        ),
        .executableTarget(
            name: "CordonCLI",
            dependencies: [
                "CordonCore",
                "CordonMatch",
                "CordonDocuments",
                "CordonDemo",
                "CordonStore",
                "CordonStoreSQLite",
                "CordonStorePostgres",
                "CordonEvents",
                "CordonScreening",
                "CordonServer",
                "CordonDashboard",
                "CordonCheckpoint",
                "CordonStation",
                "CordonReading",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "CordonCoreTests",
            dependencies: ["CordonCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "CordonMatchTests", dependencies: ["CordonMatch", "CordonCore"]),
        .testTarget(
            name: "CordonReadingTests",
            dependencies: ["CordonReading", "CordonMatch", "CordonDocuments", "CordonDemo", "CordonCore"]
        ),
        .testTarget(
            name: "CordonStoreSQLiteTests",
            dependencies: [
                "CordonStoreSQLite", "CordonTesting", "CordonStore", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "CordonStorePostgresTests",
            dependencies: [
                "CordonStorePostgres", "CordonTesting", "CordonStore", "CordonCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CordonDocumentsTests",
            dependencies: ["CordonDocuments", "CordonCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "CordonServerTests",
            dependencies: [
                "CordonServer", "CordonDashboard", "CordonStoreSQLite", "CordonStore", "CordonTesting", "CordonDemo",
                "CordonCore", "CordonEvents", "CordonScreening", "CordonAlerts", "CordonCustody", "CordonPublishing",
                "CordonCheckpoint", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "CordonDemoTests", dependencies: ["CordonDemo", "CordonCore"]),
        .testTarget(name: "CordonEventsTests", dependencies: ["CordonEvents", "CordonCore"]),
        .testTarget(
            name: "CordonCustodyTests",
            dependencies: [
                "CordonCustody", "CordonEvents", "CordonCore", "CordonStore", "CordonStoreSQLite", "CordonTesting",
                "CordonDemo",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CordonScreeningTests",
            dependencies: [
                "CordonScreening", "CordonMatch", "CordonCore", "CordonStore", "CordonStoreSQLite", "CordonTesting",
                "CordonDemo", "CordonDocuments", "CordonEvents",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CordonAlertsTests",
            dependencies: [
                "CordonAlerts", "CordonEvents", "CordonCore", "CordonStore", "CordonStoreSQLite", "CordonTesting",
                "CordonDemo",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CordonCheckpointTests",
            dependencies: [
                "CordonCheckpoint", "CordonDocuments", "CordonMatch", "CordonCore", "CordonStation", "CordonEvents",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "CordonCLITests",
            dependencies: [
                "CordonCLI", "CordonDemo", "CordonCore", "CordonStore", "CordonStoreSQLite", "CordonCheckpoint",
                "CordonEvents", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)

for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("NonisolatedNonsendingByDefault"))
    target.swiftSettings = settings
}

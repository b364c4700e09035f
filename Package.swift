// swift-tools-version:6.1

import PackageDescription

let package = Package(
    name: "Cordon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cordon", targets: ["CordonCLI"]),
        .library(name: "CordonCore", targets: ["CordonCore"]),
        .library(name: "CordonMatch", targets: ["CordonMatch"]),
        .library(name: "CordonDemo", targets: ["CordonDemo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
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
        // Test support: the store contract suite every back end runs, fixtures, a manual clock.
        .target(name: "CordonTesting", dependencies: ["CordonStore", "CordonCore"]),
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
                "CordonDemo",
                "CordonStore",
                "CordonStoreSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CordonCoreTests", dependencies: ["CordonCore"]),
        .testTarget(name: "CordonMatchTests", dependencies: ["CordonMatch", "CordonCore"]),
        .testTarget(
            name: "CordonStoreSQLiteTests",
            dependencies: ["CordonStoreSQLite", "CordonTesting", "CordonStore"]
        ),
        .testTarget(name: "CordonDemoTests", dependencies: ["CordonDemo", "CordonCore"]),
        .testTarget(
            name: "CordonCLITests",
            dependencies: [
                "CordonCLI", "CordonDemo", "CordonCore", "CordonStore", "CordonStoreSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
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

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
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2")
    ],
    targets: [
        // Pure domain model: value types, typed identifiers, validation. No I/O.
        .target(name: "CordonCore"),
        // Pure name normalisation, transliteration, indexing and scoring.
        .target(name: "CordonMatch", dependencies: ["CordonCore"]),
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CordonCoreTests", dependencies: ["CordonCore"]),
        .testTarget(name: "CordonMatchTests", dependencies: ["CordonMatch", "CordonCore"]),
        .testTarget(name: "CordonDemoTests", dependencies: ["CordonDemo", "CordonCore"]),
        .testTarget(name: "CordonCLITests", dependencies: ["CordonCLI", "CordonDemo", "CordonCore"]),
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

// swift-tools-version:6.1

import PackageDescription

// The benchmarks: a nested package so that the root `swift test` never builds them.
// Build and run with `swift run -c release --package-path Benchmarks cordon-match-bench ...` and
// `... cordon-delivery-bench --binary .build/release/cordon`, `... cordon-plate-bench --entries 100000`,
// `... cordon-credential-bench`, `... cordon-list-bench --entries 100000` and
// `... cordon-read-bench --entries 100000 --megabytes 20`.
let package = Package(
    name: "CordonBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so that the products are found whatever the folder of the checkout is called.
        .package(name: "cordon", path: "../"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // Measuring helpers and deterministic synthetic material shared by the tools.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "CordonMatch", package: "cordon")],
            path: "Sources/BenchSupport"
        ),
        .executableTarget(
            name: "cordon-read-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "CordonReading", package: "cordon"),
                .product(name: "CordonMatch", package: "cordon"),
                .product(name: "CordonScreening", package: "cordon"),
                .product(name: "CordonCore", package: "cordon"),
            ],
            path: "Sources/CordonReadBench"
        ),
        .executableTarget(
            name: "cordon-match-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "CordonMatch", package: "cordon"),
                .product(name: "CordonDocuments", package: "cordon"),
            ],
            path: "Sources/CordonMatchBench"
        ),
        .executableTarget(
            name: "cordon-list-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "CordonMatch", package: "cordon"),
                .product(name: "CordonDocuments", package: "cordon"),
                .product(name: "CordonCheckpoint", package: "cordon"),
            ],
            path: "Sources/CordonListBench"
        ),
        .executableTarget(
            name: "cordon-plate-bench",
            dependencies: ["BenchSupport", .product(name: "CordonDocuments", package: "cordon")],
            path: "Sources/CordonPlateBench"
        ),
        .executableTarget(
            name: "cordon-delivery-bench",
            dependencies: [
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/CordonDeliveryBench"
        ),
        .executableTarget(
            name: "cordon-credential-bench",
            dependencies: [
                .product(name: "CordonDocuments", package: "cordon"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/CordonCredentialBench"
        ),
    ]
)

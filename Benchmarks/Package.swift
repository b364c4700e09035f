// swift-tools-version:6.1

import PackageDescription

// The benchmarks: a nested package so that the root `swift test` never builds them.
// Build and run with `swift run -c release --package-path Benchmarks cordon-match-bench ...` and
// `... cordon-delivery-bench --binary .build/release/cordon`, `... cordon-plate-bench --entries 100000`,
// `... cordon-credential-bench` and `... cordon-list-bench --entries 100000`.
let package = Package(
    name: "CordonBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // Measuring helpers and deterministic synthetic material shared by the tools.
        .target(name: "BenchSupport", path: "Sources/BenchSupport"),
        .executableTarget(
            name: "cordon-match-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "CordonMatch", package: "main"),
                .product(name: "CordonDocuments", package: "main"),
            ],
            path: "Sources/CordonMatchBench"
        ),
        .executableTarget(
            name: "cordon-list-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "CordonMatch", package: "main"),
                .product(name: "CordonDocuments", package: "main"),
                .product(name: "CordonCheckpoint", package: "main"),
            ],
            path: "Sources/CordonListBench"
        ),
        .executableTarget(
            name: "cordon-plate-bench",
            dependencies: ["BenchSupport", .product(name: "CordonDocuments", package: "main")],
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
                .product(name: "CordonDocuments", package: "main"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/CordonCredentialBench"
        ),
    ]
)

// swift-tools-version:6.1

import PackageDescription

// The matcher benchmarks: a nested package so that the root `swift test` never builds them.
// Build and run with `swift run -c release --package-path Benchmarks cordon-match-bench ...`.
let package = Package(
    name: "CordonBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../")],
    targets: [
        .executableTarget(
            name: "cordon-match-bench",
            dependencies: [.product(name: "CordonMatch", package: "main")],
            path: "Sources/CordonMatchBench"
        )
    ]
)

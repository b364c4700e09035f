// swift-tools-version:6.1

import PackageDescription

// libFuzzer harnesses for the parsers that read outside input: a nested package, so that the root
// `swift build` and `swift test` never build them. Build and run them with `scripts/fuzz`, which passes
// `-sanitize=fuzzer,address` to every Swift module, so that the parsers themselves are instrumented
// (the harnesses do not link without it). Each harness is one executable whose `main.swift` hands the
// process to libFuzzer's driver with the harness's `LLVMFuzzerTestOneInput`.
let package = Package(
    name: "CordonFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so that the products below are found whatever the folder of the checkout is called.
        .package(name: "cordon", path: "../"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // The declaration of libFuzzer's driver.
        .target(name: "LibFuzzer"),
        // Running the driver, checking an invariant and reading the input, shared by every harness.
        .target(name: "FuzzSupport", dependencies: ["LibFuzzer"]),
    ]
)

/// The harnesses, `Sources/Fuzz<Name>`, with the products of the root package each one reads through.
let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
    ("MRZ", [cordon("CordonDocuments"), cordon("CordonCore")]),
    ("Plate", [cordon("CordonDocuments"), cordon("CordonCore")]),
    ("CAP", [cordon("CordonDocuments"), cordon("CordonCore")]),
    ("Credential", [cordon("CordonDocuments"), .product(name: "Crypto", package: "swift-crypto")]),
    ("TUF", [cordon("CordonDocuments"), cordon("CordonCore"), .product(name: "Crypto", package: "swift-crypto")]),
    ("Entities", [cordon("CordonCore")]),
    ("Scenario", [cordon("CordonCore")]),
    ("ListImport", [cordon("CordonDocuments"), cordon("CordonCore")]),
    ("Names", [cordon("CordonMatch")]),
    ("Frames", [cordon("CordonEvents"), cordon("CordonCore")]),
    ("Reading", [cordon("CordonReading"), cordon("CordonMatch"), cordon("CordonDocuments")]),
]

func cordon(_ product: String) -> Target.Dependency { .product(name: product, package: "cordon") }

for harness in harnesses {
    package.targets.append(
        .executableTarget(name: "Fuzz\(harness.name)", dependencies: ["FuzzSupport"] + harness.dependencies)
    )
}

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}

// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: PlannerSpec -> PlannerKit -> PlannerCLI -> planner.
let package = Package(
    name: "planner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "planner", targets: ["planner"]),
        .library(name: "PlannerKit", targets: ["PlannerKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .target(name: "PlannerSpec", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "PlannerKit", dependencies: ["PlannerSpec", .product(name: "Yams", package: "Yams")]),
        .target(name: "PlannerCLI", dependencies: [
            "PlannerKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "planner", dependencies: ["PlannerCLI"]),
        .executableTarget(name: "planner-bench", dependencies: ["PlannerKit"], path: "bench/Sources/planner-bench"),
        // What every test target needs: the package root, running the `planner` binary, marked
        // spec text, seeded random topologies and the brute-force oracle.
        .target(name: "PlannerTestSupport", dependencies: ["PlannerKit", "PlannerSpec"]),
        .testTarget(name: "PlannerSpecTests", dependencies: ["PlannerSpec", "PlannerTestSupport"]),
        .testTarget(name: "PlannerKitTests", dependencies: ["PlannerKit", "PlannerTestSupport"]),
        .testTarget(name: "PlannerCLITests", dependencies: ["PlannerKit", "PlannerCLI", "PlannerTestSupport"]),
    ]
)

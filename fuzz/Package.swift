// swift-tools-version:6.0
// A libFuzzer target for `planner`'s spec reader and checker. Kept out of the main package so that
// `swift build` / `swift test` never need the fuzzer runtime; build it with fuzz/run.sh.
import PackageDescription

let package = Package(
    name: "planner-fuzz",
    dependencies: [.package(name: "planner", path: "..")],
    targets: [
        .executableTarget(
            name: "planner-fuzz",
            dependencies: [.product(name: "PlannerKit", package: "planner")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)

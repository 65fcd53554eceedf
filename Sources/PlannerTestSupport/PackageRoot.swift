// The package's root folder, the one way tests find topologies/, Tests/Fixtures and Tests/Golden.
import Foundation

public enum PackageRoot {
    /// Three folders above this file: Sources/PlannerTestSupport/PackageRoot.swift.
    public static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The absolute path of `relative` (for example `topologies/shop.spec`) inside the package.
    public static func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }
}

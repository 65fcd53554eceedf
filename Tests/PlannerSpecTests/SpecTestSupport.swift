import PlannerTestSupport
import PlannerSpec

extension LoadedSpec {
    /// Where each diagnostic with `code` landed, in file order.
    func positions(of code: DiagnosticCode) -> [Position] {
        diagnostics.filter { $0.code == code }.compactMap { $0.location.map(Position.init) }
    }

    /// The diagnostics with `code`.
    func diagnostics(_ code: DiagnosticCode) -> [Diagnostic] { diagnostics.filter { $0.code == code } }

    /// Every code reported, in file order.
    var codes: [DiagnosticCode] { diagnostics.map(\.code) }

    /// Messages of the diagnostics with `code`, for matching on their wording.
    func messages(_ code: DiagnosticCode) -> [String] { diagnostics(code).map(\.message) }
}

extension Diagnostic {
    var position: Position? { location.map(Position.init) }
}

/// A small spec with no problems at all; tests that need a clean base start from it.
let cleanSpec = """
    topology: t
    hosts:
      h1: {cpu: 4, memory: 8GiB}
      h2: {cpu: 4, memory: 8GiB}
    purposes:
      web:
        image: registry.example/web:1.0
        replicas: 2
        cpu: 1
        memory: 1GiB

    """

import Testing
@testable import PlannerKit

/// The simplex on linear programs whose answers are known by hand, and the relaxation it serves.
@Suite struct DenseSimplexTests {
    typealias Row = DenseSimplex.Row

    @Test("a textbook minimum: x + y ≥ 2 written as x + y = 2 + s, cost 3x + 2y, x ≤ 1.5")
    func textbookMinimum() {
        // Variables x, y, s (surplus). Minimum at y = 2, x = 0: cost 4.
        let rows = [Row(coefficients: [(0, 1), (1, 1), (2, -1)], relation: .equal, bound: 2),
                    Row(coefficients: [(0, 1)], relation: .lessOrEqual, bound: 1.5)]
        #expect(DenseSimplex.minimise(cost: [3, 2, 0], variables: 3, rows: rows) == .optimal(4))
    }

    @Test("the minimum moves to a vertex when the cheap variable is capped")
    func cappedCheapVariable() {
        // minimise x + 3y subject to x + y = 4, x ≤ 1: x = 1, y = 3, cost 10.
        let rows = [Row(coefficients: [(0, 1), (1, 1)], relation: .equal, bound: 4),
                    Row(coefficients: [(0, 1)], relation: .lessOrEqual, bound: 1)]
        #expect(DenseSimplex.minimise(cost: [1, 3], variables: 2, rows: rows) == .optimal(10))
    }

    @Test("contradictory rows are infeasible")
    func infeasible() {
        // x + y = 5 with x ≤ 1 and y ≤ 2.
        let rows = [Row(coefficients: [(0, 1), (1, 1)], relation: .equal, bound: 5),
                    Row(coefficients: [(0, 1)], relation: .lessOrEqual, bound: 1),
                    Row(coefficients: [(1, 1)], relation: .lessOrEqual, bound: 2)]
        #expect(DenseSimplex.minimise(cost: [0, 0], variables: 2, rows: rows) == .infeasible)
    }

    @Test("a decreasing cost without a bound is unbounded")
    func unbounded() {
        let rows = [Row(coefficients: [(0, 1), (1, -1)], relation: .lessOrEqual, bound: 1)]
        #expect(DenseSimplex.minimise(cost: [0, -1], variables: 2, rows: rows) == .unbounded)
    }

    @Test("a minimax: the least T with each of two loads at most T, the loads summing to 3 and the first at most 1")
    func minimax() throws {
        // Variables a, b, T: a + b = 3, a ≤ 1, a − T ≤ 0, b − T ≤ 0. Minimum T = 2 (a = 1, b = 2).
        let rows = [Row(coefficients: [(0, 1), (1, 1)], relation: .equal, bound: 3),
                    Row(coefficients: [(0, 1)], relation: .lessOrEqual, bound: 1),
                    Row(coefficients: [(0, 1), (2, -1)], relation: .lessOrEqual, bound: 0),
                    Row(coefficients: [(1, 1), (2, -1)], relation: .lessOrEqual, bound: 0)]
        guard case .optimal(let value) = DenseSimplex.minimise(cost: [0, 0, 1], variables: 3, rows: rows) else {
            Issue.record("not optimal")
            return
        }
        #expect(abs(value - 2) < 1e-9)
    }
}

extension DenseSimplexTests {
    @Test("duals: minimise −2x − y with x ≤ 2, x + y ≤ 3, y ≤ 5; the first two rows bind, each with dual −1")
    func duals() {
        // At x = 2, y = 1 the reduced costs vanish: −2 − y₀ − y₁ = 0 and −1 − y₁ = 0, so y = (−1, −1, 0),
        // and bᵀy = −5 is the optimum, as strong duality says.
        let rows = [Row(coefficients: [(0, 1)], relation: .lessOrEqual, bound: 2),
                    Row(coefficients: [(0, 1), (1, 1)], relation: .lessOrEqual, bound: 3),
                    Row(coefficients: [(1, 1)], relation: .lessOrEqual, bound: 5)]
        let solved = DenseSimplex.minimiseWithDuals(cost: [-2, -1], variables: 2, rows: rows)
        #expect(solved.outcome == .optimal(-5))
        #expect(solved.duals.count == 3)
        #expect(solved.values == [2, 1])
        for (dual, expected) in zip(solved.duals, [-1.0, -1, 0]) { #expect(abs(dual - expected) < 1e-9) }
    }

    @Test("duals of an equality row come from its artificial column")
    func equalityDual() {
        // minimise x + 3y with x + y = 4, x ≤ 1: x = 1, y = 3. y's reduced cost 3 − y₀ = 0 gives y₀ = 3,
        // x's 1 − y₀ − y₁ = 0 gives y₁ = −2; bᵀy = 12 − 2 = 10.
        let rows = [Row(coefficients: [(0, 1), (1, 1)], relation: .equal, bound: 4),
                    Row(coefficients: [(0, 1)], relation: .lessOrEqual, bound: 1)]
        let solved = DenseSimplex.minimiseWithDuals(cost: [1, 3], variables: 2, rows: rows)
        #expect(solved.outcome == .optimal(10))
        for (dual, expected) in zip(solved.duals, [3.0, -2]) { #expect(abs(dual - expected) < 1e-9) }
    }
}

@Suite struct SpreadRelaxationTests {
    @Test("the relaxation proves a tight cluster unplaceable, and the solver says so without searching")
    func provesInfeasible() throws {
        let topology = try HeuristicTests.topology("infeasible-tight-10-hosts.spec")
        let problem = PlacementProblem(topology)
        let relaxed = try #require(Solver.relaxedPeak(problem))
        #expect(relaxed > 1)
        // The per-resource averages alone do not see it: cpu and memory must fit on the same hosts.
        let cpu = problem.demands.reduce(0.0) { $0 + Double($1.cpu) * Double($1.replicas) } / problem.hosts.reduce(0.0) { $0 + Double($1.cpu) }
        let memory = problem.demands.reduce(0.0) { $0 + Double($1.memory) * Double($1.replicas) } / problem.hosts.reduce(0.0) { $0 + Double($1.memory) }
        #expect(max(cpu, memory) < 1)
        let result = Solver(problem, limits: .init(steps: 10_000)).solve()
        #expect(result.status == .infeasible)
        #expect(result.steps == 0)
    }

    @Test("the relaxation is skipped above its size limit")
    func skippedWhenLarge() throws {
        let problem = PlacementProblem(try HeuristicTests.topology("spread-200-hosts.spec"))
        #expect(Solver.relaxedPeak(problem) == nil)
    }
}

extension DenseSimplexTests {
    @Test("out of pivots, it says nothing is known rather than guessing")
    func givesUp() {
        // minimise −x − y with x + y ≤ 4 and x ≤ 3 needs two pivots.
        let rows = [Row(coefficients: [(0, 1), (1, 1)], relation: .lessOrEqual, bound: 4),
                    Row(coefficients: [(0, 1)], relation: .lessOrEqual, bound: 3)]
        #expect(DenseSimplex.minimise(cost: [-1, -1], variables: 2, rows: rows, maxPivots: 0) == .gaveUp)
        #expect(DenseSimplex.minimise(cost: [-1, -1], variables: 2, rows: rows) == .optimal(-4))
    }
}

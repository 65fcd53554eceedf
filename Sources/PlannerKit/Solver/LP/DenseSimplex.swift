/// A small linear-programming solver: minimise c·x subject to rows `a·x ≤ b` or `a·x = b` (b ≥ 0)
/// and x ≥ 0. The two-phase primal simplex method on a dense tableau (Dantzig, 1951), entering
/// variable by the most negative reduced cost, switching to Bland's rule (1977) after a run of
/// degenerate pivots so that it cannot cycle. O(rows · columns) per pivot; meant for the few
/// hundred rows and columns of a small placement problem, with a pivot limit as a safety net.
struct DenseSimplex {
    enum Relation { case lessOrEqual, equal }

    struct Row {
        var coefficients: [(variable: Int, value: Double)]
        var relation: Relation
        var bound: Double
    }

    enum Outcome: Equatable {
        case optimal(Double)
        case infeasible
        case unbounded
        /// The pivot limit ran out: nothing is known.
        case gaveUp
    }

    static let epsilon = 1e-9

    /// Minimises `cost`·x over `variables` non-negative variables subject to `rows`.
    /// `maxPivots` defaults to four per row: the relaxations seen take about one per row, and the
    /// limit keeps a pathological case from running long (nothing is then known: `gaveUp`).
    static func minimise(cost: [Double], variables: Int, rows: [Row], maxPivots: Int? = nil) -> Outcome {
        minimiseWithDuals(cost: cost, variables: variables, rows: rows, maxPivots: maxPivots).outcome
    }

    /// `minimise`, and with an optimum the variables' values and the dual value of each row: y with
    /// cost − yᵀA ≥ 0 on every variable, read off the final reduced costs of each row's slack or
    /// artificial column (whose cost is 0, so its reduced cost is −yᵢ). yᵢ ≤ 0 for a `≤` row. Both
    /// empty unless optimal. `work` counts the tableau entries its pivots updated.
    static func minimiseWithDuals(cost: [Double], variables: Int, rows: [Row], maxPivots: Int? = nil)
        -> (outcome: Outcome, values: [Double], duals: [Double], work: Int) {
        let maxPivots = maxPivots ?? 4 * (rows.count + 50)
        precondition(rows.allSatisfy { $0.bound >= 0 }, "right-hand sides must be non-negative")
        let slacks = rows.filter { $0.relation == .lessOrEqual }.count
        let artificials = rows.count - slacks
        let columns = variables + slacks + artificials
        let width = columns + 1
        var tableau = [Double](repeating: 0, count: rows.count * width)
        var basis = [Int](repeating: 0, count: rows.count)
        var nextSlack = variables, nextArtificial = variables + slacks
        var auxiliary = [Int](repeating: 0, count: rows.count)   // each row's own slack or artificial column
        for (i, row) in rows.enumerated() {
            for (variable, value) in row.coefficients { tableau[i * width + variable] += value }
            tableau[i * width + columns] = row.bound
            if row.relation == .lessOrEqual {
                tableau[i * width + nextSlack] = 1
                basis[i] = nextSlack
                auxiliary[i] = nextSlack
                nextSlack += 1
            } else {
                tableau[i * width + nextArtificial] = 1
                basis[i] = nextArtificial
                auxiliary[i] = nextArtificial
                nextArtificial += 1
            }
        }
        var pivots = 0

        /// Runs the simplex on the reduced costs `reduced` (objective value in its last entry, negated).
        func optimise(_ reduced: inout [Double], allowed: Int) -> Outcome? {
            var degenerate = 0
            while true {
                var entering = -1
                if degenerate < 50 {
                    var most = -epsilon
                    for j in 0..<allowed where reduced[j] < most { most = reduced[j]; entering = j }
                } else {
                    entering = (0..<allowed).first { reduced[$0] < -epsilon } ?? -1
                }
                if entering < 0 { return nil }
                var leaving = -1, ratio = Double.infinity
                for i in 0..<rows.count {
                    let a = tableau[i * width + entering]
                    guard a > epsilon else { continue }
                    let r = tableau[i * width + columns] / a
                    if r < ratio - epsilon || (r < ratio + epsilon && leaving >= 0 && basis[i] < basis[leaving]) {
                        ratio = r
                        leaving = i
                    }
                }
                if leaving < 0 { return .unbounded }
                pivots += 1
                if pivots > maxPivots { return .gaveUp }
                degenerate = ratio < epsilon ? degenerate + 1 : 0
                pivot(row: leaving, column: entering, reduced: &reduced)
            }
        }

        func pivot(row r: Int, column c: Int, reduced: inout [Double]) {
            let base = r * width
            let p = tableau[base + c]
            for j in 0..<width { tableau[base + j] /= p }
            for i in 0..<rows.count where i != r {
                let factor = tableau[i * width + c]
                guard factor != 0 else { continue }
                let other = i * width
                for j in 0..<width { tableau[other + j] -= factor * tableau[base + j] }
            }
            let factor = reduced[c]
            if factor != 0 { for j in 0..<width { reduced[j] -= factor * tableau[base + j] } }
            basis[r] = c
        }

        // Phase 1: minimise the sum of the artificial variables.
        if artificials > 0 {
            var reduced = [Double](repeating: 0, count: width)
            for i in 0..<rows.count where basis[i] >= variables + slacks {
                for j in 0..<width { reduced[j] -= tableau[i * width + j] }
            }
            for j in (variables + slacks)..<columns { reduced[j] = 0 }
            if let stop = optimise(&reduced, allowed: variables + slacks) { return (stop == .unbounded ? .gaveUp : stop, [], [], pivots * tableau.count) }
            let scale = max(1, rows.reduce(0.0) { max($0, $1.bound) })
            if -reduced[columns] > 1e-7 * scale { return (.infeasible, [], [], pivots * tableau.count) }
            // Artificials left in the basis at zero: pivot them out where a real column can replace them.
            for i in 0..<rows.count where basis[i] >= variables + slacks {
                if let j = (0..<(variables + slacks)).first(where: { abs(tableau[i * width + $0]) > 1e-7 }) {
                    var unused = [Double](repeating: 0, count: width)
                    pivot(row: i, column: j, reduced: &unused)
                }
            }
        }
        // Phase 2: the real objective, artificial columns never entering.
        var reduced = [Double](repeating: 0, count: width)
        for j in 0..<variables { reduced[j] = cost[j] }
        for i in 0..<rows.count {
            let b = basis[i]
            guard b < variables, cost[b] != 0 else { continue }
            for j in 0..<width { reduced[j] -= cost[b] * tableau[i * width + j] }
        }
        if let stop = optimise(&reduced, allowed: variables + slacks) { return (stop, [], [], pivots * tableau.count) }
        var values = [Double](repeating: 0, count: variables)
        for i in 0..<rows.count where basis[i] < variables { values[basis[i]] = tableau[i * width + columns] }
        return (.optimal(-reduced[columns]), values, auxiliary.map { -reduced[$0] }, pivots * tableau.count)
    }
}

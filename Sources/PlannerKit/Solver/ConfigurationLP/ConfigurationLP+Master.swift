// The master LP of the column generation, over the configurations found so far.

extension ConfigurationLP {
    /// The master LP over the configurations: maximise the replicas held (minimise their negation)
    /// with each purpose held at most its remaining replicas, each open host one configuration in
    /// all, each domain row at most what its r − m leaves. The replicas it holds, the configurations'
    /// weights and the duals, rows in that order; nil when the simplex does not reach an optimum.
    func solveMaster(_ configurations: [Configuration], domainRows: [DomainRow], domainRoom: [Int],
                             domainRowIndex: [DomainRow: Int]) -> (held: Double, values: [Double], duals: [Double])? {
        let demands = problem.demands, hostCount = problem.hosts.count
        var rows = remaining.map { DenseSimplex.Row(coefficients: [], relation: .lessOrEqual, bound: Double($0)) }
        rows += (0..<hostCount).map { _ in DenseSimplex.Row(coefficients: [], relation: .lessOrEqual, bound: 1) }
        rows += domainRoom.map { DenseSimplex.Row(coefficients: [], relation: .lessOrEqual, bound: Double(max(0, $0))) }
        if let budget = hostsLeft {
            rows.append(DenseSimplex.Row(coefficients: configurations.indices.map { ($0, 1) }, relation: .lessOrEqual,
                                         bound: Double(budget)))
        }
        var cost: [Double] = []
        for (j, configuration) in configurations.enumerated() {
            var held = 0
            for (d, n) in configuration.counts.sorted(by: { $0.key < $1.key }) {
                held += n
                rows[d].coefficients.append((j, Double(n)))
                for i in domainRowIndices(of: d, on: configuration.host, in: domainRowIndex) {
                    rows[demands.count + hostCount + i].coefficients.append((j, Double(n)))
                }
            }
            rows[demands.count + configuration.host].coefficients.append((j, 1))
            cost.append(-Double(held))
        }
        let solved = DenseSimplex.minimiseWithDuals(cost: cost, variables: configurations.count, rows: rows,
                                                    maxPivots: 20 * (rows.count + configurations.count))
        meter?.charge(tableauEntries: solved.work)
        guard case .optimal(let value) = solved.outcome else { return nil }
        return (-value, solved.values, solved.duals)
    }
}

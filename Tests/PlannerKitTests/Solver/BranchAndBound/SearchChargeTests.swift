import Foundation
import PlannerSpec
import Testing
@testable import PlannerKit

/// The complete search counts the work of its forward checks in steps (`Search.charge`), so that the
/// step budget bounds its time at 40 hosts as at 10.
@Suite struct SearchChargeTests {
    @Test("pairs examined are charged one step per pairsPerStep, the remainder carried, until the budget is spent")
    func chargesPairs() throws {
        let problem = try BinpackBoundTests.problem(ParkingTests.spec)
        let perStep = Search.pairsPerStep
        var search = Search(problem, SolverLimits(steps: 10), clock: Date(), lowerBound: Solver.lowerBound(problem))
        let short = search.charge(pairs: perStep - 1), shortSteps = search.steps
        let whole = search.charge(pairs: 1), wholeSteps = search.steps
        let rest = search.charge(pairs: 9 * perStep), restSteps = search.steps
        let past = search.charge(pairs: perStep)
        #expect(short && shortSteps == 0, "less than a step's pairs charged \(shortSteps) steps")
        #expect(whole && wholeSteps == 1, "the carried pairs made \(wholeSteps) steps")
        #expect(rest && restSteps == 10)
        #expect(!past, "a charge past the budget went through")
        #expect(search.aborted)
    }
}

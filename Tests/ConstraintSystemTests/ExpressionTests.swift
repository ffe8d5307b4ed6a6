import TestSupport
import FieldArithmetic
import Testing

@testable import ConstraintSystem

struct ExpressionTests {
    let a = AdviceColumn(index: 0)
    let b = AdviceColumn(index: 1)
    let f = FixedColumn(index: 0)
    let rho = Challenge(index: 0)

    @Test func degreeCountsQueriesNotConstantsOrChallenges() {
        #expect(Expression(integerLiteral: 7).degree == 0)
        #expect(rho.expression.degree == 0)
        #expect(a.cur.degree == 1)
        #expect((a.cur * b.next).degree == 2)
        #expect((a.cur * b.cur * f.cur - 3).degree == 3)
        #expect((a.cur * a.cur + b.cur).degree == 2)
        #expect((rho.expression * a.cur * Fr(5)).degree == 1)
        #expect((-(a.cur * b.cur)).degree == 2)
        // A gate adds its selector's degree.
        #expect(Gate(name: "g", selector: f, constraints: [a.cur, a.cur * b.cur * b.cur]).degree == 4)
        // logUp: q_active · Δφ · A · T with A linear is degree 4.
        #expect(LookupArgument(name: "l", selector: f, inputs: [1, a.cur], table: [f, f]).degree == 4)
        #expect(LookupArgument(name: "l", selector: f, inputs: [a.cur * b.cur], table: [f]).degree == 5)
    }

    @Test func evaluationMatchesDirectArithmetic() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<200 {
            let va = rng.element(), vb = rng.element(), vbNext = rng.element(), vf = rng.element()
            let r = rng.element()
            let e = (a.cur * b.next - f.cur * 3) * rho.expression + (-a.cur) - Fr(9) * b.cur + 2
            let value = e.evaluate(
                query: { q in
                    switch (q.column, q.rotation) {
                    case (a.column, .current): return va
                    case (b.column, .current): return vb
                    case (b.column, .next): return vbNext
                    case (f.column, .current): return vf
                    default: Issue.record("unexpected query \(q)"); return .zero
                    }
                }, challenge: { _ in r })
            let expected = (va * vbNext - vf * Fr(3)) * r - va - Fr(9) * vb + Fr(2)
            #expect(value == expected)
        }
    }

    /// The prover evaluates the same tree over whole vectors; element-wise it must agree with the
    /// scalar evaluation.
    @Test func vectorEvaluationAgreesWithScalarEvaluation() {
        var rng = SeededRandom(seed: 12)
        let length = 16
        let columns: [Query: [Fr]] = [
            Query(a.column, .current): (0..<length).map { _ in rng.element() },
            Query(a.column, .next): (0..<length).map { _ in rng.element() },
            Query(f.column, .current): (0..<length).map { _ in rng.element() },
        ]
        let r = rng.element()
        let e = a.cur * a.next * f.cur - (a.next - 1) * rho.expression + Fr(4) * f.cur
        let vector: [Fr] = e.evaluate(
            constant: { c in [Fr](repeating: c, count: length) },
            query: { columns[$0]! },
            challenge: { _ in [Fr](repeating: r, count: length) },
            sum: { x, y in zip(x, y).map { $0 + $1 } },
            product: { x, y in zip(x, y).map { $0 * $1 } },
            negated: { $0.map { -$0 } },
            scaled: { x, c in x.map { $0 * c } })
        for i in 0..<length {
            let scalar = e.evaluate(query: { columns[$0]![i] }, challenge: { _ in r })
            #expect(vector[i] == scalar)
        }
    }

    @Test func balancedSumEqualsLinearSum() {
        var rng = SeededRandom(seed: 13)
        let values = (0..<37).map { _ in rng.element() }
        let sum = Expression.sum(of: values.map { Expression($0) })
        let direct = values.reduce(Fr.zero, +)
        #expect(sum.evaluate(query: { _ in .zero }, challenge: { _ in .zero }) == direct)
        #expect(Expression.sum(of: []).evaluate(query: { _ in .one }, challenge: { _ in .one }).isZero)
        // Balanced: depth is logarithmic, not linear.
        func depth(_ e: Expression) -> Int {
            if case .sum(let x, let y) = e { return 1 + max(depth(x), depth(y)) }
            return 0
        }
        #expect(depth(sum) == 6)
    }

    @Test func queriesAndChallengesAreCollected() {
        let e = a.cur * b.next + a.cur * rho.expression + f.cur
        #expect(e.queries == [Query(a.column, .current), Query(b.column, .next), Query(f.column, .current)])
        #expect(e.challenges == [rho])
    }

    @Test func negativeConstantsPrintSmall() {
        #expect(FieldFormatting.signed(Fr(signed: -3)) == "-3")
        #expect(FieldFormatting.signed(Fr(42)) == "42")
        #expect((a.cur - 1).description == "(advice[0] - 1)")
    }
}

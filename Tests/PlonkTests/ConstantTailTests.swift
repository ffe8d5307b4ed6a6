import TestSupport
import BN254
import FieldArithmetic
import MSM
import Testing

@testable import PlonkProver

/// The prover's constant-tail split (a running sum that stays at its last value over the padding rows)
/// must give the same commitment as the plain MSM of the whole column.
struct ConstantTailTests {
    @Test(arguments: [(200, 0), (200, 63), (200, 64), (200, 150), (130, 130)])
    func splitCommitmentEqualsPlainMSM(count: Int, tail: Int) {
        var rng = SeededRandom(seed: UInt64(7 + count + tail))
        let points = (0..<count).map { _ in (G1Projective.generator * rng.element()).toAffine() }
        var values = (0..<count).map { _ in rng.element() }
        let last = rng.element()
        for i in (count - tail)..<count { values[i] = last }
        let expected = msm(points: points, scalars: values)

        var cut = values
        let run = ConstantTail.cut(&cut)
        if tail >= ConstantTail.minimumLength {
            // The run found may be longer than the one written only if the value before it happens to match.
            #expect(run?.start == count - tail)
            #expect(cut[(count - tail)...].allSatisfy { $0 == .zero })
        } else {
            #expect(run == nil)
            #expect(cut == values)
        }
        let sums = ConstantTail.baseSums(starts: run.map { [$0.start] } ?? [], end: count, bases: points)
        var total = msm(points: points, scalars: cut)
        if let run { total = total + sums[run.start]! * run.value }
        #expect(total == expected)
    }

    @Test func zeroTailIsLeftToTheMSM() {
        var values = [Fr](repeating: .zero, count: 100)
        values[0] = Fr(5)
        #expect(ConstantTail.cut(&values) == nil)
        #expect(values[0] == Fr(5))
    }
}

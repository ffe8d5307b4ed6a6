import TestSupport
import FieldArithmetic
import Testing

@testable import ConstraintSystem

/// The row recurrences of docs/protocol.md §8 (permutation) and §9 (logUp), computed literally on the
/// sample circuit: they close (z(ω^u) = 1, φ(ω^u) = 0) exactly when the checker accepts. This pins the
/// document's formulas — identity tags δ^i·ω^r, σ, chunking, multiplicities, signs — before any prover.
struct ProtocolIdentityTests {
    let sample: SampleCircuit
    init() throws { sample = try SampleCircuit() }

    func cell(_ circuit: Circuit, _ w: Assignment, _ column: Column, _ row: Int) -> Fr {
        switch column.kind {
        case .advice: return w.value(AdviceColumn(index: column.index), row: row) ?? .zero
        case .instance: return w.value(InstanceColumn(index: column.index), row: row) ?? .zero
        case .fixed: return circuit.fixedValue(FixedColumn(index: column.index), row: row)
        case .challenge: return .zero
        }
    }

    /// z(ω^u) from §8's chunked recurrence.
    func permutationProduct(_ w: Assignment, beta: Fr, gamma: Fr) -> Fr {
        let circuit = sample.circuit
        let omega = Fr.rootOfUnity(log2Size: circuit.log2Rows)
        let columns = circuit.permutationColumns
        let mapping = PermutationMapping(circuit)
        let delta = Fr.multiplicativeGenerator
        let deltaPowers = (0..<columns.count).map { delta.power(UInt64($0)) }
        let s = circuit.permutationChunkSize
        var z = Fr.one
        for r in 0..<circuit.usableRows {
            let omegaR = omega.power(UInt64(r))
            var pi = z
            for chunkStart in stride(from: 0, to: columns.count, by: s) {
                var f = Fr.one, g = Fr.one
                for i in chunkStart..<min(chunkStart + s, columns.count) {
                    let v = cell(circuit, w, columns[i], r)
                    let image = mapping.image(column: i, row: r)
                    let sigma = deltaPowers[image.column] * omega.power(UInt64(image.row))
                    f = f * (v + beta * deltaPowers[i] * omegaR + gamma)
                    g = g * (v + beta * sigma + gamma)
                }
                pi = pi * f * g.inverse()
            }
            z = pi  // the last chunk's result is z(ω^{r+1})
        }
        return z
    }

    /// φ(ω^u) from §9 for one lookup, with the multiplicities defined there.
    func logUpSum(_ w: Assignment, _ lookup: LookupArgument, theta: Fr, beta: Fr) -> Fr {
        let circuit = sample.circuit
        let u = circuit.usableRows
        func compress(_ values: [Fr]) -> Fr {
            var acc = beta
            var power = Fr.one
            for v in values {
                acc = acc + power * v
                power = power * theta
            }
            return acc
        }
        func q(_ column: FixedColumn?, _ r: Int) -> Fr { column.map { circuit.fixedValue($0, row: r) } ?? .one }
        let tables = (0..<u).map { r in lookup.table.map { circuit.fixedValue($0, row: r) } }
        let inputs = (0..<u).map { r in
            lookup.inputs.map { e in
                e.evaluate(
                    query: { cell(circuit, w, $0.column, r + $0.rotation.rawValue) },
                    challenge: { _ in .zero })
            }
        }
        var m = [Fr](repeating: .zero, count: u)
        for r in 0..<u where !q(lookup.selector, r).isZero {
            if let first = (0..<u).first(where: { tables[$0] == inputs[r] && !q(lookup.tableSelector, $0).isZero }) {
                m[first] = m[first] + q(lookup.selector, r)
            }
        }
        var phi = Fr.zero
        for r in 0..<u {
            let a = compress(inputs[r]), t = compress(tables[r])
            phi = phi + q(lookup.selector, r) * a.inverse() - m[r] * q(lookup.tableSelector, r) * t.inverse()
        }
        return phi
    }

    @Test func permutationProductClosesExactlyWhenCopiesHold() throws {
        var rng = SeededRandom(seed: 41)
        let honest = try sample.witness()
        let cheat = try sample.witness { $0["out"] = 10 }
        for _ in 0..<3 {
            let beta = rng.element(), gamma = rng.element()
            #expect(permutationProduct(honest, beta: beta, gamma: gamma) == .one)
            #expect(permutationProduct(cheat, beta: beta, gamma: gamma) != .one)
        }
    }

    @Test func logUpSumClosesExactlyWhenInputsAreInTheTable() throws {
        var rng = SeededRandom(seed: 42)
        let honest = try sample.witness()
        let cheat = try sample.witness { $0["a1"] = 9; $0["b1"] = 1; $0["c1"] = 9 }
        let range = sample.circuit.lookups[0], square = sample.circuit.lookups[1]
        for _ in 0..<3 {
            let theta = rng.element(), beta = rng.element()
            #expect(logUpSum(honest, range, theta: theta, beta: beta).isZero)
            #expect(logUpSum(honest, square, theta: theta, beta: beta).isZero)
            #expect(!logUpSum(cheat, range, theta: theta, beta: beta).isZero)
            #expect(logUpSum(cheat, square, theta: theta, beta: beta).isZero)
        }
    }
}
